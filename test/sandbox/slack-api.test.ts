import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LogLevel, WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { createSlackApi } from '../../src/sandbox/slack-api';
import { SlackWorkspace } from '../../src/sandbox/slack-workspace';
import { serveHandler, type LocalServer } from './local-server';

const T0 = 1732525200000;
const PUBLIC_URL = 'http://localhost:3000';

let clock = T0;
let workspace: SlackWorkspace;
let server: LocalServer;
let slack: WebClient;

/** web-api logs every ok:false answer; these tests expect many. */
const silentLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  setLevel: () => undefined,
  getLevel: () => LogLevel.ERROR,
  setName: () => undefined,
};

function client(token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${server.url}/sandbox/slack/api/`,
    retryConfig: { retries: 0 },
    logger: silentLogger,
  });
}

async function slackError(call: Promise<unknown>): Promise<{ error: string; errors?: string[] }> {
  try {
    await call;
  } catch (error) {
    return (error as WebAPIPlatformError).data as { error: string; errors?: string[] };
  }
  throw new Error('expected the call to fail');
}

const alertBlocks = [
  { type: 'header', text: { type: 'plain_text', text: 'SSH brute force' } },
  {
    type: 'actions',
    block_id: 'alert_actions',
    elements: [
      {
        type: 'button',
        action_id: 'hivewire.create_case',
        text: { type: 'plain_text', text: 'Create Case' },
        value: 'fp-1',
        style: 'primary',
      },
    ],
  },
];

beforeEach(async () => {
  clock = T0;
  workspace = new SlackWorkspace({ alertChannel: 'C0SANDBOX', now: () => clock });
  server = await serveHandler(createSlackApi({ workspace, publicUrl: PUBLIC_URL }));
  slack = client('xoxb-sandbox');
});

afterEach(async () => {
  await server.close();
});

describe('Slack Web API stand-in, driven by @slack/web-api', () => {
  it("answers auth.test with the sandbox bot identity and its workspace's URL, as Slack does", async () => {
    const result = await slack.auth.test();
    expect(result).toMatchObject({
      ok: true,
      url: 'https://hivewire-sandbox.slack.com/',
      team_id: 'T0SANDBOX',
      user_id: 'U0HIVEWIRE',
      bot_id: 'B0HIVEWIRE',
      user: 'hivewire',
    });
  });

  it('posts messages with strictly increasing Slack timestamps and keeps blocks and metadata', async () => {
    const first = await slack.chat.postMessage({
      channel: 'C0SANDBOX',
      text: 'SSH brute force',
      blocks: alertBlocks,
      metadata: { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1', state: 'open' } },
    });
    const second = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'second' });

    expect(first.ts).toBe('1732525200.000000');
    expect(second.ts).toBe('1732525200.000001');
    expect(first.channel).toBe('C0SANDBOX');
    expect(first.message?.metadata).toEqual({
      event_type: 'hivewire_alert',
      event_payload: { fingerprint: 'fp-1', state: 'open' },
    });
    const stored = workspace.getMessage('C0SANDBOX', first.ts!);
    expect(stored?.blocks?.[1]).toEqual({ ...alertBlocks[1], block_id: 'alert_actions' });
    expect(typeof stored?.blocks?.[0]?.block_id).toBe('string');
  });

  it('returns metadata from conversations.history only with include_all_metadata', async () => {
    const metadata = { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1', caseNumber: 3 } };
    await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert', blocks: alertBlocks, metadata });

    const withMetadata = await slack.conversations.history({
      channel: 'C0SANDBOX',
      include_all_metadata: true,
    });
    const without = await slack.conversations.history({ channel: 'C0SANDBOX' });

    expect(withMetadata.messages?.[0]?.metadata).toEqual(metadata);
    expect(without.messages?.[0]).not.toHaveProperty('metadata');
    expect(without.messages?.[0]).toMatchObject({ type: 'message', bot_id: 'B0HIVEWIRE', text: 'alert' });
  });

  it('lists history newest first and pages with a cursor', async () => {
    for (const text of ['one', 'two', 'three']) await slack.chat.postMessage({ channel: 'C0SANDBOX', text });

    const firstPage = await slack.conversations.history({ channel: 'C0SANDBOX', limit: 2 });
    const secondPage = await slack.conversations.history({
      channel: 'C0SANDBOX',
      limit: 2,
      cursor: firstPage.response_metadata?.next_cursor,
    });

    expect(firstPage.messages?.map((m) => m.text)).toEqual(['three', 'two']);
    expect(firstPage.has_more).toBe(true);
    expect(secondPage.messages?.map((m) => m.text)).toEqual(['one']);
    expect(secondPage.has_more).toBe(false);
  });

  it('threads replies under the parent, parent first, and shows broadcast replies in the channel', async () => {
    const parent = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert' });
    const reply = await slack.chat.postMessage({
      channel: 'C0SANDBOX',
      text: 'case #1',
      thread_ts: parent.ts,
    });
    // Replying to a reply's ts still lands in the parent's thread, as in Slack.
    await slack.chat.postMessage({
      channel: 'C0SANDBOX',
      text: 'closed',
      thread_ts: reply.ts!,
      reply_broadcast: true,
    });

    const thread = await slack.conversations.replies({ channel: 'C0SANDBOX', ts: parent.ts! });
    const history = await slack.conversations.history({ channel: 'C0SANDBOX' });

    expect(thread.messages?.map((m) => m.text)).toEqual(['alert', 'case #1', 'closed']);
    expect(thread.messages?.[0]).toMatchObject({
      thread_ts: parent.ts,
      reply_count: 2,
      reply_users: ['U0HIVEWIRE'],
    });
    expect(thread.messages?.[1]).toMatchObject({ thread_ts: parent.ts, parent_user_id: 'U0HIVEWIRE' });
    expect(history.messages?.map((m) => [m.text, m.subtype])).toEqual([
      ['closed', 'thread_broadcast'],
      ['alert', undefined],
    ]);
  });

  it('rejects a reply to a message that does not exist', async () => {
    expect(
      await slackError(slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'x', thread_ts: '1.2' })),
    ).toEqual(expect.objectContaining({ error: 'thread_not_found' }));
  });

  it('updates a message: new blocks replace the old, text alone removes the blocks, metadata stays', async () => {
    const metadata = { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1', state: 'open' } };
    const posted = await slack.chat.postMessage({
      channel: 'C0SANDBOX',
      text: 'alert',
      blocks: alertBlocks,
      metadata,
    });
    const newBlocks = [{ type: 'section', block_id: 's1', text: { type: 'mrkdwn', text: '*Escalated*' } }];

    const updated = await slack.chat.update({
      channel: 'C0SANDBOX',
      ts: posted.ts!,
      text: 'escalated',
      blocks: newBlocks,
    });
    expect(updated).toMatchObject({ ok: true, channel: 'C0SANDBOX', ts: posted.ts, text: 'escalated' });
    expect(workspace.getMessage('C0SANDBOX', posted.ts!)).toMatchObject({ blocks: newBlocks, metadata });

    await slack.chat.update({ channel: 'C0SANDBOX', ts: posted.ts!, text: 'plain now' });
    expect(workspace.getMessage('C0SANDBOX', posted.ts!)).not.toHaveProperty('blocks');
  });

  it('answers message_not_found and cant_update_message like Slack', async () => {
    const fromAlice = workspace.postMessage({
      channel: 'C0SANDBOX',
      user: 'U0ALICE',
      content: { text: 'on it' },
    }).message;

    expect(
      await slackError(slack.chat.update({ channel: 'C0SANDBOX', ts: '1.000001', text: 'x' })),
    ).toMatchObject({
      error: 'message_not_found',
    });
    expect(
      await slackError(slack.chat.update({ channel: 'C0SANDBOX', ts: fromAlice.ts, text: 'x' })),
    ).toMatchObject({
      error: 'cant_update_message',
    });
  });

  it('gives permalinks into the console, with the thread for replies', async () => {
    const parent = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert' });
    const reply = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'r', thread_ts: parent.ts });

    const root = await slack.chat.getPermalink({ channel: 'C0SANDBOX', message_ts: parent.ts! });
    const threaded = await slack.chat.getPermalink({ channel: 'C0SANDBOX', message_ts: reply.ts! });

    expect(root.permalink).toBe(`${PUBLIC_URL}/#/C0SANDBOX/${parent.ts}`);
    expect(threaded.permalink).toBe(
      `${PUBLIC_URL}/#/C0SANDBOX/${reply.ts}?thread_ts=${parent.ts}&cid=C0SANDBOX`,
    );
    expect(
      await slackError(slack.chat.getPermalink({ channel: 'C0SANDBOX', message_ts: '9.9' })),
    ).toMatchObject({
      error: 'message_not_found',
    });
  });

  it('keeps ephemeral messages per user, out of the channel history', async () => {
    const result = await slack.chat.postEphemeral({
      channel: 'C0SANDBOX',
      user: 'U0BOB',
      text: 'Already escalated',
    });

    expect(workspace.ephemeralsFor('U0BOB')).toEqual([
      { ts: result.message_ts, channel: 'C0SANDBOX', user: 'U0BOB', text: 'Already escalated' },
    ]);
    expect(workspace.ephemeralsFor('U0ALICE')).toEqual([]);
    expect((await slack.conversations.history({ channel: 'C0SANDBOX' })).messages).toEqual([]);
    expect(
      await slackError(slack.chat.postEphemeral({ channel: 'C0SANDBOX', user: 'U0NOBODY', text: 'x' })),
    ).toMatchObject({ error: 'user_not_in_channel' });
  });

  it('opens a DM with a D… id, the same one each time', async () => {
    const first = await slack.conversations.open({ users: 'U0ALICE' });
    const again = await slack.conversations.open({ users: 'U0ALICE' });
    const posted = await slack.chat.postMessage({ channel: first.channel!.id!, text: 'Was this you?' });

    expect(first.channel?.id).toBe('D0ALICE');
    expect(again).toMatchObject({ channel: { id: 'D0ALICE' }, already_open: true });
    expect(posted.channel).toBe('D0ALICE');
    expect(await slackError(slack.conversations.open({ users: 'U0NOBODY' }))).toMatchObject({
      error: 'user_not_found',
    });
  });

  it('posts to a #name of a known channel, and shows a DM posted by id to its person', async () => {
    const byName = await slack.chat.postMessage({ channel: '#security-alerts', text: 'by name' });
    const dm = await slack.chat.postMessage({ channel: 'D0CAROL', text: 'Was this you?' });

    expect(byName.channel).toBe('C0SANDBOX');
    expect(workspace.listConversations()).toContainEqual({
      id: 'D0CAROL',
      kind: 'im',
      name: 'carol',
      members: ['U0CAROL'],
    });
    expect(dm.channel).toBe('D0CAROL');
    expect(await slackError(slack.chat.postMessage({ channel: '#nowhere', text: 'x' }))).toMatchObject({
      error: 'channel_not_found',
    });
  });

  it('looks users up by id and by e-mail', async () => {
    const byEmail = await slack.users.lookupByEmail({ email: 'Alice@Example.com' });
    const byId = await slack.users.info({ user: 'U0BOB' });

    expect(byEmail.user).toMatchObject({
      id: 'U0ALICE',
      name: 'alice',
      real_name: 'Alice (SOC analyst)',
      profile: { email: 'alice@example.com' },
    });
    expect(byId.user).toMatchObject({ id: 'U0BOB', profile: { email: 'bob@example.com' } });
    expect(await slackError(slack.users.lookupByEmail({ email: 'nobody@example.com' }))).toMatchObject({
      error: 'users_not_found',
    });
    expect(await slackError(slack.users.info({ user: 'U0NOBODY' }))).toMatchObject({
      error: 'user_not_found',
    });
  });

  it('opens a modal only with a fresh, unused trigger_id, for the user who clicked', async () => {
    const view = {
      type: 'modal' as const,
      callback_id: 'hivewire.close_case',
      title: { type: 'plain_text' as const, text: 'Close case' },
      submit: { type: 'plain_text' as const, text: 'Close' },
      blocks: [
        {
          type: 'input',
          block_id: 'summary',
          label: { type: 'plain_text' as const, text: 'Summary' },
          element: { type: 'plain_text_input', action_id: 'summary' },
        },
      ],
    };
    const trigger = workspace.issueTrigger('U0CAROL');

    expect(await slackError(slack.views.open({ trigger_id: 'made-up', view }))).toMatchObject({
      error: 'invalid_trigger_id',
    });
    const opened = await slack.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({
      type: 'modal',
      callback_id: 'hivewire.close_case',
      state: { values: {} },
      app_id: 'A0HIVEWIRE',
    });
    expect(workspace.modalFor('U0CAROL')?.id).toBe(opened.view?.id);
    expect(await slackError(slack.views.open({ trigger_id: trigger, view }))).toMatchObject({
      error: 'exchanged_trigger_id',
    });

    const late = workspace.issueTrigger('U0CAROL');
    clock += 3001;
    expect(await slackError(slack.views.open({ trigger_id: late, view }))).toMatchObject({
      error: 'expired_trigger_id',
    });
  });

  it('rejects calls without a token, with a malformed one, and unknown methods', async () => {
    expect(await slackError(client().auth.test())).toMatchObject({ error: 'not_authed' });
    expect(await slackError(client('not-a-token').auth.test())).toMatchObject({ error: 'invalid_auth' });
    expect(
      await slackError(slack.apiCall('chat.meMessage', { channel: 'C0SANDBOX', text: 'x' })),
    ).toMatchObject({
      error: 'unknown_method',
    });
  });

  it('rejects blocks Slack would reject, naming the block', async () => {
    const tooLong = [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }];
    const sameId = [
      { type: 'divider', block_id: 'a' },
      { type: 'divider', block_id: 'a' },
    ];

    expect(
      await slackError(slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'x', blocks: tooLong })),
    ).toEqual(
      expect.objectContaining({
        error: 'invalid_blocks',
        errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      }),
    );
    expect(
      await slackError(slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'x', blocks: sameId })),
    ).toEqual(
      expect.objectContaining({ errors: ['non-unique block_id "a" [json-pointer:/blocks/1/block_id]'] }),
    );
    expect(await slackError(slack.chat.postMessage({ channel: 'C0SANDBOX', text: '' }))).toMatchObject({
      error: 'no_text',
    });
  });

  it('answers msg_blocks_too_long past about 12k characters of block text', async () => {
    const blocks = Array.from({ length: 5 }, () => ({
      type: 'section',
      text: { type: 'mrkdwn', text: 'y'.repeat(2500) },
    }));
    expect(
      await slackError(slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'x', blocks })),
    ).toMatchObject({
      error: 'msg_blocks_too_long',
    });
  });

  it('accepts a JSON body with the token in the Authorization header', async () => {
    const response = await fetch(`${server.url}/sandbox/slack/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: 'Bearer xoxb-sandbox', 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0SANDBOX', text: 'from JSON', blocks: alertBlocks }),
    });
    const body = (await response.json()) as { ok: boolean; ts: string };

    expect(response.status).toBe(200);
    expect(body.ok).toBe(true);
    expect(workspace.getMessage('C0SANDBOX', body.ts)?.blocks?.[1]?.block_id).toBe('alert_actions');
  });
});

describe('response_url stand-in', () => {
  async function respond(id: string, body: unknown): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${server.url}/sandbox/slack/response/${id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it('replaces the clicked message with replace_original', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert', blocks: alertBlocks });
    const target = workspace.issueResponseTarget({
      userId: 'U0ALICE',
      channel: 'C0SANDBOX',
      messageTs: posted.ts,
    });

    expect(await respond(target.id, { replace_original: true, text: 'Ignored by Alice' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(workspace.getMessage('C0SANDBOX', posted.ts!)).toMatchObject({ text: 'Ignored by Alice' });
    expect(workspace.getMessage('C0SANDBOX', posted.ts!)).not.toHaveProperty('blocks');
  });

  it('answers the clicker privately by default, and in the channel with response_type in_channel', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert' });
    const target = workspace.issueResponseTarget({
      userId: 'U0ALICE',
      channel: 'C0SANDBOX',
      messageTs: posted.ts,
    });

    await respond(target.id, { text: 'Only you can see this' });
    await respond(target.id, {
      text: 'Everyone sees this',
      response_type: 'in_channel',
      thread_ts: posted.ts,
    });

    expect(workspace.ephemeralsFor('U0ALICE').map((e) => e.text)).toEqual(['Only you can see this']);
    expect(workspace.replies('C0SANDBOX', posted.ts!).messages.map((m) => m.text)).toEqual([
      'alert',
      'Everyone sees this',
    ]);
  });

  it('deletes the clicked message with delete_original', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert' });
    const target = workspace.issueResponseTarget({
      userId: 'U0ALICE',
      channel: 'C0SANDBOX',
      messageTs: posted.ts,
    });

    await respond(target.id, { delete_original: true });

    expect(workspace.getMessage('C0SANDBOX', posted.ts!)).toBeUndefined();
  });

  it('stops working after five uses, and for unknown ids', async () => {
    const posted = await slack.chat.postMessage({ channel: 'C0SANDBOX', text: 'alert' });
    const target = workspace.issueResponseTarget({
      userId: 'U0ALICE',
      channel: 'C0SANDBOX',
      messageTs: posted.ts,
    });
    for (let i = 0; i < 5; i += 1) expect((await respond(target.id, { text: `n${i}` })).status).toBe(200);

    expect(await respond(target.id, { text: 'sixth' })).toEqual({
      status: 404,
      body: { ok: false, error: 'expired_url' },
    });
    expect((await respond('unknown', { text: 'x' })).status).toBe(404);
  });
});

describe('workspace persistence', () => {
  it('keeps messages, threads and ephemerals across a restart', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hivewire-sandbox-'));
    try {
      const stateFile = join(dir, 'slack.json');
      const before = new SlackWorkspace({ alertChannel: 'C0SANDBOX', stateFile, now: () => T0 });
      const parent = before.postMessage({
        channel: 'C0SANDBOX',
        user: 'U0HIVEWIRE',
        botId: 'B0HIVEWIRE',
        content: {
          text: 'alert',
          metadata: { event_type: 'hivewire_alert', event_payload: { state: 'open' } },
        },
      }).message;
      before.postMessage({
        channel: 'C0SANDBOX',
        user: 'U0HIVEWIRE',
        content: { text: 'r' },
        threadTs: parent.ts,
      });
      before.postEphemeral({ channel: 'C0SANDBOX', user: 'U0BOB', content: { text: 'psst' } });
      before.flush();

      const after = new SlackWorkspace({ alertChannel: 'C0SANDBOX', stateFile, now: () => T0 });
      const next = after.postMessage({
        channel: 'C0SANDBOX',
        user: 'U0HIVEWIRE',
        content: { text: 'later' },
      });

      expect(after.replies('C0SANDBOX', parent.ts).messages.map((m) => m.text)).toEqual(['alert', 'r']);
      expect(after.getMessage('C0SANDBOX', parent.ts)?.metadata).toEqual({
        event_type: 'hivewire_alert',
        event_payload: { state: 'open' },
      });
      expect(after.ephemeralsFor('U0BOB').map((e) => e.text)).toEqual(['psst']);
      expect(next.message.ts).toBe('1732525200.000003');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
