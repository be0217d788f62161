import { slackLink, webUrlHost } from '../../blocks/elements';

describe('webUrlHost', () => {
  it.each([
    ['https://thehive.example.com/cases/~1/details', 'thehive.example.com'],
    ['http://localhost:3000/sandbox/thehive/cases/~1/details', 'localhost:3000'],
    ['HTTPS://Console.AWS.Amazon.com?x=1', 'console.aws.amazon.com'],
    ['https://console.aws.amazon.com@evil.example/', undefined],
    ['https://evil.example\\@console.aws.amazon.com/', undefined],
    ['ftp://example.com/', undefined],
    ['javascript:alert(1)//https://x', undefined],
    ['https://example.com/a|b', undefined],
    ['https://example.com/a>b', undefined],
    ['https://example.com/a\nb', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (url, host) => {
    expect(webUrlHost(url)).toBe(host);
  });

  it('refuses a URL longer than a button allows', () => {
    expect(webUrlHost(`https://example.com/${'a'.repeat(2981)}`)).toBeUndefined();
    expect(webUrlHost(`https://example.com/${'a'.repeat(2980)}`)).toBe('example.com');
  });
});

describe('slackLink', () => {
  it('escapes & in the URL', () => {
    expect(slackLink('https://example.com/?a=1&b=2', 'Case #1')).toBe(
      '<https://example.com/?a=1&amp;b=2|Case #1>',
    );
  });
});
