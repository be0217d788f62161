/**
 * TheHive Markdown escaping: exact output for each construct Markdown would act on, none where it
 * would not, and (property) no link, HTML, invisible character or block structure from any text.
 */
import fc from 'fast-check';
import { escapeMarkdown, escapeTableCell } from '../../src/cases/markdown';

describe('escapeMarkdown', () => {
  it.each([
    ['*bold* **strong** a*b*c', '\\*bold\\* \\*\\*strong\\*\\* a\\*b\\*c'],
    ['_it_ __x__ snake_case_name', '\\_it\\_ \\_\\_x\\_\\_ snake_case_name'],
    ['~strike~ ~~x~~ ~/home', '\\~strike\\~ \\~\\~x\\~\\~ \\~/home'],
    ['3 * 4 and 5 _ 6 and a ~ b', '3 * 4 and 5 _ 6 and a ~ b'],
    ['`code` ```fence```', '\\`code\\` \\`\\`\\`fence\\`\\`\\`'],
    ['[x](y) ![i](j) [ref]: z', '\\[x\\](y) !\\[i\\](j) \\[ref\\]: z'],
    ['<b>x</b> <!-- c --> <?php <http:x> a < b <3', '\\<b>x\\</b> \\<!-- c --> \\<?php \\<http:x> a < b <3'],
    ['&amp; &#60; &#x3C; & AT&T', '\\&amp; \\&#60; \\&#x3C; & AT&T'],
    ['C:\\Users\\x and \\* and end\\', 'C:\\Users\\x and \\\\\\* and end\\\\'],
    ['a | b', 'a \\| b'],
    ['Title ## ', 'Title \\## '],
    ['C# and #hashtag', 'C# and #hashtag'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it.each([
    ['# heading', '\\# heading'],
    ['###### six', '\\###### six'],
    ['#nospace', '#nospace'],
    ['> quote', '\\> quote'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['* item', '\\* item'],
    ['-5 degrees', '-5 degrees'],
    ['1. one', '1\\. one'],
    ['2019) two', '2019\\) two'],
    ['1.5 litres', '1.5 litres'],
    ['===', '\\==='],
    ['- - -', '\\- - -'],
    ['___', '\\_\\_\\_'],
    ['    indented code', 'indented code'],
    ['\t\t> tabbed quote', '\\> tabbed quote'],
  ])('at the start of a line, escapes %j as %j', (input, expected) => {
    expect(escapeMarkdown(`before\n${input}`)).toBe(`before\n${expected}`);
    expect(escapeMarkdown(`before\r\n${input}`)).toBe(`before\n${expected}`);
  });

  it('keeps a right-to-left override visible and in logical order', () => {
    expect(escapeMarkdown('invoice\u202Efdp.exe')).toBe('invoice\\<U+202E>fdp.exe');
  });

  it('leaves nothing a renderer would link, format or parse as HTML (property)', () => {
    const piece = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.constantFrom(
        'https://',
        'http://',
        'ftp://',
        '//',
        'www.',
        '.com',
        '.example',
        'evil',
        '@',
        '.',
        '<',
        '>',
        '[',
        ']',
        '(',
        ')',
        '!',
        '*',
        '_',
        '~',
        '`',
        '#',
        '|',
        '&',
        ';',
        '\\',
        '\n',
        ' ',
        '1.',
        '-',
        '=',
        '\u202E',
        '\u200B',
      ),
    );
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 30 }).map((pieces) => pieces.join('')),
        (text) => {
          for (const rendered of [escapeMarkdown(text), escapeTableCell(text)]) {
            // No scheme a renderer links, and no host name: every dot of one is `[.]`.
            expect(rendered).not.toMatch(/(https?|ftp):\/\//i);
            expect(rendered).not.toMatch(/(^|[^\p{L}\p{N}_-])www\.[\p{L}\p{N}]/iu);
            expect(rendered).not.toMatch(/[\p{L}\p{N}]\.(com|example)(?![\p{L}\p{N}_-])/iu);
            expect(rendered).not.toMatch(/@[\p{L}\p{N}_-]+\.[\p{L}\p{N}]/u);
            // No unescaped bracket, backtick, pipe, or `<` that could open a tag or an autolink.
            expect(rendered.replace(/\\[\s\S]|\[\.\]/g, ' ')).not.toMatch(/[[\]`|]|<[A-Za-z/!?]/);
            expect(rendered).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
          }
          expect(escapeTableCell(text)).not.toMatch(/[\r\n]/);
          // No line starts a block: heading, quote, list, thematic break, setext underline, code.
          for (const line of escapeMarkdown(text).split('\n'))
            expect(line).not.toMatch(
              /^(?:\s|>|#{1,6}(?:\s|$)|[-+*](?:\s|$)|\d{1,9}[.)](?:\s|$)|([-*_=])(?:\s*\1)*\s*$)/,
            );
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('escapeTableCell', () => {
  it('folds line breaks and escapes the pipes that would end the cell', () => {
    expect(escapeTableCell('id|forged | row\n| Injected | yes |')).toBe(
      'id\\|forged \\| row \\| Injected \\| yes \\|',
    );
  });
});
