/**
 * The chat port's Slack adapter: each port call makes the Slack Web API call Hivewire makes today, with
 * the message built by blocks/ (the real WebClient; Slack mocked at the HTTP layer).
 */
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { SlackChat } from '../../src/chat/slack/adapter';
import type { ChatMessageRef } from '../../src/chat/port';
import { SlackDelivery, workerClientOptions } from '../../src/slack/delivery';
import { SlackUserDirectory } from '../../src/slack/users';
import { makeAlertRecord } from '../helpers/alerts';

/** Response URLs are trusted on Slack's hooks host only (not in the sandbox). */
const PRODUCTION = {
  sandbox: false,
  publicUrl: 'http://localhost:3000',
  slack: { apiUrl: undefined },
} as never;
const ROOT: ChatMessageRef = { platform: 'slack', channel: 'C0SECOPS', messageId: '1764064800.000100' };

function chat(): SlackChat {
  const client = new WebClient('xoxb-test', { ...workerClientOptions(), retryConfig: { retries: 0 } });
  return new SlackChat(new SlackDelivery(client, 0), new SlackUserDirectory(client), PRODUCTION);
}

/** The form-encoded or JSON body WebClient sent, as an object. */
function bodyOf(body: unknown): Record<string, unknown> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return body as Record<string, unknown>;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('SlackChat', () => {
  it('posts the alert with its blocks and resolves the ts', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => ((sent = bodyOf(body)), true))
      .reply(200, { ok: true, ts: '1764064800.000200', channel: 'C0SECOPS' });
    const alert = makeAlertRecord();

    const ts = await chat().postAlert('C0SECOPS', { alert, responseActions: [] });

    expect(ts).toBe('1764064800.000200');
    expect(sent.channel).toBe('C0SECOPS');
    expect(String(sent.blocks)).toContain('Create Case');
  });

  it('threads a note under the alert, escaping the words of a plain notice', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => ((sent = bodyOf(body)), true))
      .reply(200, { ok: true, ts: '1764064800.000300', channel: 'C0SECOPS' });

    const ts = await chat().replyInThread(ROOT, { kind: 'notice', text: 'Done <!channel>' });

    expect(ts).toBe('1764064800.000300');
    expect(sent.thread_ts).toBe(ROOT.messageId);
    expect(sent.text).toBe('`Done &lt;!channel&gt;`');
    expect(JSON.parse(String(sent.blocks))).toEqual([
      { type: 'section', text: { type: 'plain_text', text: 'Done <!channel>' } },
    ]);
  });

  it('tells one person privately in the thread (an ephemeral)', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (body) => ((sent = bodyOf(body)), true))
      .reply(200, { ok: true, message_ts: '1764064800.000400' });

    await chat().tellPrivately(
      ROOT,
      { platform: 'slack', id: 'U0ALICE' },
      { kind: 'ignored', person: 'U0BOB' },
    );

    expect(sent).toMatchObject({ channel: 'C0SECOPS', user: 'U0ALICE', thread_ts: ROOT.messageId });
    expect(String(sent.text)).toContain('<@U0BOB>');
  });

  it('finds a person by e-mail, and says undefined when Slack knows none', async () => {
    nock('https://slack.com')
      .post('/api/users.lookupByEmail')
      .reply(200, { ok: true, user: { id: 'U0ALICE' } })
      .post('/api/users.lookupByEmail')
      .reply(200, { ok: false, error: 'users_not_found' });

    await expect(chat().findPerson('alice@example.com')).resolves.toEqual({
      platform: 'slack',
      id: 'U0ALICE',
      email: 'alice@example.com',
    });
    await expect(chat().findPerson('nobody@example.com')).resolves.toBeUndefined();
  });

  it('throws a Slack failure to look a person up (retryable), and asks Slack again next time', async () => {
    nock('https://slack.com')
      .post('/api/users.lookupByEmail')
      .reply(500, 'Internal Server Error')
      .post('/api/users.lookupByEmail')
      .reply(200, { ok: true, user: { id: 'U0ALICE' } });
    const slack = chat();

    await expect(slack.findPerson('alice@example.com')).rejects.toMatchObject({
      name: 'SlackDeliveryError',
      method: 'users.lookupByEmail',
      retryable: true,
    });
    await expect(slack.findPerson('alice@example.com')).resolves.toMatchObject({ id: 'U0ALICE' });
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('sends a direct message in the DM it opens', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://slack.com')
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0ALICE' } })
      .post('/api/chat.postMessage', (body) => ((sent = bodyOf(body)), true))
      .reply(200, { ok: true, ts: '1764064800.000500', channel: 'D0ALICE' });

    const ref = await chat().directMessage(
      { platform: 'slack', id: 'U0ALICE' },
      { kind: 'notice', text: 'Hello' },
    );

    expect(ref).toEqual({ platform: 'slack', channel: 'D0ALICE', messageId: '1764064800.000500' });
    expect(sent.channel).toBe('D0ALICE');
  });

  it('opens the ignore form as a modal with the click’s trigger_id, and refuses without one', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://slack.com')
      .post('/api/views.open', (body) => ((sent = bodyOf(body)), true))
      .reply(200, { ok: true });
    const alert = makeAlertRecord();
    const form = { kind: 'ignore-reason' as const, ...alert };
    const person = { platform: 'slack' as const, id: 'U0ALICE' };

    await chat().openForm({ platform: 'slack', root: ROOT, person, trigger: '123.456.abc' }, form);
    await expect(chat().openForm({ platform: 'slack', root: ROOT, person }, form)).rejects.toThrow(
      'trigger_id',
    );

    expect(sent.trigger_id).toBe('123.456.abc');
    expect(String(sent.view)).toContain('"type":"modal"');
  });

  it('answers a slash command on its response URL, ephemerally, and never on a URL not Slack’s', async () => {
    let sent: Record<string, unknown> = {};
    nock('https://hooks.slack.com')
      .post('/commands/T0TEST/1/x', (body) => ((sent = body as Record<string, unknown>), true))
      .reply(200, 'ok');
    const note = {
      kind: 'lookup-results' as const,
      reports: [{ target: { dataType: 'ip' as const, value: '185.220.101.1' }, results: [] }],
      sources: ['RDAP' as const],
      at: '2026-12-04T20:00:00.000Z',
    };

    await chat().answerCommand('https://hooks.slack.com/commands/T0TEST/1/x', note);
    await expect(chat().answerCommand('https://evil.example/commands/1', note)).rejects.toThrow(
      'untrusted_response_url',
    );

    expect(sent).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    expect(sent.text).toBe('Threat-intel lookup: 1 indicators, 0 flagged');
    expect(JSON.stringify(sent.blocks)).toContain('185.220.101.1');
  });
});
