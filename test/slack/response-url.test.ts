import nock from 'nock';
import { isTrustedResponseUrl, postToResponseUrl } from '../../src/slack/response-url';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const production = {
  sandbox: false,
  publicUrl: 'http://localhost:3000',
  slack: { apiUrl: undefined },
} as never;
const sandbox = {
  sandbox: true,
  publicUrl: 'http://localhost:3000',
  slack: { apiUrl: 'http://localhost:3000/sandbox/slack/api/' },
} as never;

describe('response URLs', () => {
  it("trusts Slack's hooks host, and the sandbox's own origin only in sandbox mode", () => {
    expect(isTrustedResponseUrl('https://hooks.slack.com/commands/T1/2/x', production)).toBe(true);
    expect(isTrustedResponseUrl('https://hooks.slack.com.evil.example/x', production)).toBe(false);
    expect(isTrustedResponseUrl('http://hooks.slack.com/commands/T1/2/x', production)).toBe(false);
    expect(isTrustedResponseUrl('http://localhost:3000/sandbox/slack/response/1', production)).toBe(false);
    expect(isTrustedResponseUrl('http://localhost:3000/sandbox/slack/response/1', sandbox)).toBe(true);
    expect(isTrustedResponseUrl('http://169.254.169.254/latest/meta-data', sandbox)).toBe(false);
  });

  it('posts the message as an ephemeral that does not replace the original', async () => {
    let body: unknown;
    nock('https://hooks.slack.com')
      .post('/commands/T1/2/x', (b) => {
        body = b;
        return true;
      })
      .reply(200, 'ok');
    await postToResponseUrl(
      'https://hooks.slack.com/commands/T1/2/x',
      { text: 'hi', blocks: [] },
      production,
    );
    expect(body).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'hi', blocks: [] });
  });

  it('refuses an untrusted URL without calling it, and does not retry an expired one', async () => {
    await expect(
      postToResponseUrl('https://evil.example/x', { text: 'hi', blocks: [] }, production),
    ).rejects.toMatchObject({ name: 'SlackDeliveryError', code: 'untrusted_response_url', retryable: false });
    nock('https://hooks.slack.com').post('/commands/T1/2/x').reply(404, 'expired_url');
    await expect(
      postToResponseUrl('https://hooks.slack.com/commands/T1/2/x', { text: 'hi', blocks: [] }, production),
    ).rejects.toMatchObject({ code: 'http_404', retryable: false });
    nock('https://hooks.slack.com').post('/commands/T1/2/x').reply(503, '');
    await expect(
      postToResponseUrl('https://hooks.slack.com/commands/T1/2/x', { text: 'hi', blocks: [] }, production),
    ).rejects.toMatchObject({ code: 'http_503', retryable: true });
  });
});
