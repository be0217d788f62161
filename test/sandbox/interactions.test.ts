import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, LogLevel, verifySlackRequest, type BlockAction, type ButtonAction } from '@slack/bolt';
import { createSandbox, type Sandbox } from '../../src/sandbox';
import { slackSignature } from '../../src/sandbox/interactions';
import { serveHandler, startRecorder, type LocalServer, type Recorder } from './local-server';

const SIGNING_SECRET = 'test-signing-secret';

const alertBlocks = [
  { type: 'header', block_id: 'title', text: { type: 'plain_text', text: 'SSH brute force' } },
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
      {
        type: 'button',
        action_id: 'hivewire.ignore',
        text: { type: 'plain_text', text: 'Ignore' },
        value: 'fp-1',
        style: 'danger',
      },
      {
        type: 'static_select',
        action_id: 'hivewire.snooze',
        placeholder: { type: 'plain_text', text: 'Snooze' },
        options: [
          { text: { type: 'plain_text', text: '1 hour' }, value: '1h' },
          { text: { type: 'plain_text', text: '1 day' }, value: '1d' },
        ],
      },
    ],
  },
];
const metadata = { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1', state: 'open' } };

let sandbox: Sandbox;
let server: LocalServer;

/** Serves the sandbox before it exists, so its URL can be given to the app it will talk to. */
async function listenForSandbox(): Promise<void> {
  server = await serveHandler((req, res) => sandbox.handle(req, res));
}

function createTestSandbox(botEventsUrl: string): void {
  sandbox = createSandbox({
    publicUrl: server.url,
    signingSecret: SIGNING_SECRET,
    theHiveApiKey: 'sandbox',
    webhookSecret: 'webhook-secret',
    ingestSecret: 'ingest-secret',
    alertChannel: 'C0SANDBOX',
    samples: [],
    botEventsUrl,
  });
}

function postAlert(): string {
  return sandbox.workspace.postMessage({
    channel: 'C0SANDBOX',
    user: 'U0HIVEWIRE',
    botId: 'B0HIVEWIRE',
    content: { text: 'SSH brute force', blocks: alertBlocks, metadata },
  }).message.ts;
}

async function consolePost(
  path: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/sandbox/console/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function payloadOf(rawBody: string): Record<string, unknown> {
  const form = new URLSearchParams(rawBody);
  return JSON.parse(form.get('payload') ?? '{}') as Record<string, unknown>;
}

afterEach(async () => {
  await sandbox?.close();
  await server?.close();
});

describe('a click in the console, received by a recording app', () => {
  let bot: Recorder;

  beforeEach(async () => {
    bot = await startRecorder();
    await listenForSandbox();
    createTestSandbox(`${bot.url}/slack/events`);
  });

  afterEach(async () => {
    await bot.close();
  });

  it('is a block_actions interaction signed with the signing secret, as Slack signs it', async () => {
    const ts = postAlert();

    const outcome = await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
    });
    const request = await bot.next();
    const timestamp = Number(request.headers['x-slack-request-timestamp']);
    const expected = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${request.body}`).digest('hex')}`;

    expect(outcome).toEqual({ status: 200, body: { status: 200, body: '', result: 'ok' } });
    expect(request.path).toBe('/slack/events');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request.headers['x-slack-signature']).toBe(expected);
    expect(Math.abs(timestamp - Date.now() / 1000)).toBeLessThan(60);
    expect(
      verifySlackRequest({
        signingSecret: SIGNING_SECRET,
        body: request.body,
        headers: {
          'x-slack-signature': String(request.headers['x-slack-signature']),
          'x-slack-request-timestamp': timestamp,
        },
      }),
    ).toBeUndefined();
    expect(request.body.startsWith('payload=')).toBe(true);
  });

  it('carries what Slack sends: user, team, container, channel, the message with its metadata, the action', async () => {
    const ts = postAlert();

    await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
    });
    const payload = payloadOf((await bot.next()).body);

    expect(payload).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: 'T0SANDBOX' },
      api_app_id: 'A0HIVEWIRE',
      team: { id: 'T0SANDBOX', domain: 'hivewire-sandbox' },
      container: { type: 'message', message_ts: ts, channel_id: 'C0SANDBOX', is_ephemeral: false },
      channel: { id: 'C0SANDBOX', name: 'security-alerts' },
      message: {
        type: 'message',
        ts,
        bot_id: 'B0HIVEWIRE',
        text: 'SSH brute force',
        blocks: sandbox.workspace.getMessage('C0SANDBOX', ts)!.blocks,
        metadata,
      },
      state: { values: {} },
      actions: [
        {
          type: 'button',
          action_id: 'hivewire.create_case',
          block_id: 'alert_actions',
          value: 'fp-1',
          style: 'primary',
          text: { type: 'plain_text', text: 'Create Case' },
        },
      ],
    });
    expect(payload.trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]{32}$/);
    expect(payload.response_url).toMatch(new RegExp(`^${server.url}/sandbox/slack/response/[0-9a-f]{24}$`));
    expect((payload.actions as { action_ts: string }[])[0]!.action_ts).toMatch(/^\d+\.\d{6}$/);
  });

  it('sends a click again, signed, from the message as it was, once the message no longer offers it', async () => {
    const ts = postAlert();
    const click = { channel: 'C0SANDBOX', ts, actionId: 'hivewire.create_case', blockId: 'alert_actions' };
    await consolePost('click', { ...click, userId: 'U0ALICE' });
    const first = payloadOf((await bot.next()).body);
    const asClicked = sandbox.workspace.getMessage('C0SANDBOX', ts)!.blocks;
    const state = async () =>
      (await (await fetch(`${server.url}/sandbox/console/state?user=U0BOB`)).json()) as {
        replayable: unknown[];
      };

    // The button is still there: clicking it again is the way, no replay is offered.
    expect((await state()).replayable).toEqual([]);
    sandbox.workspace.updateMessage('C0SANDBOX', ts, 'U0HIVEWIRE', {
      text: 'Case #1',
      blocks: [{ type: 'section', block_id: 'case', text: { type: 'mrkdwn', text: 'Case #1' } }],
    });
    expect((await state()).replayable).toEqual([
      { channel: 'C0SANDBOX', ts, actionId: 'hivewire.create_case', label: 'Create Case' },
    ]);

    const outcome = await consolePost('click/replay', { channel: 'C0SANDBOX', ts, userId: 'U0BOB' });
    const request = await bot.next();
    const again = payloadOf(request.body);
    const timestamp = Number(request.headers['x-slack-request-timestamp']);

    expect(outcome.body).toEqual({ status: 200, body: '', result: 'ok' });
    expect(request.headers['x-slack-signature']).toBe(
      slackSignature(SIGNING_SECRET, timestamp, request.body),
    );
    expect(again).toMatchObject({
      type: 'block_actions',
      user: { id: 'U0BOB' },
      container: { message_ts: ts, channel_id: 'C0SANDBOX' },
      message: { ts, blocks: asClicked },
      actions: [{ action_id: 'hivewire.create_case', block_id: 'alert_actions', value: 'fp-1' }],
    });
    expect(again.trigger_id).not.toBe(first.trigger_id);
    expect(again.response_url).not.toBe(first.response_url);
  });

  it('refuses to replay a message nobody clicked', async () => {
    const ts = postAlert();
    const outcome = await consolePost('click/replay', { channel: 'C0SANDBOX', ts, userId: 'U0ALICE' });
    expect(outcome).toEqual({
      status: 400,
      body: { error: `no click on ${ts} in C0SANDBOX to repeat` },
    });
  });

  it('names the thread of a reply in the container', async () => {
    const parent = postAlert();
    const reply = sandbox.workspace.postMessage({
      channel: 'C0SANDBOX',
      user: 'U0HIVEWIRE',
      botId: 'B0HIVEWIRE',
      content: { text: 'Case #1', blocks: alertBlocks },
      threadTs: parent,
    }).message.ts;

    await consolePost('click', {
      channel: 'C0SANDBOX',
      ts: reply,
      actionId: 'hivewire.ignore',
      blockId: 'alert_actions',
      userId: 'U0BOB',
    });
    const payload = payloadOf((await bot.next()).body);

    expect(payload.container).toEqual({
      type: 'message',
      message_ts: reply,
      channel_id: 'C0SANDBOX',
      is_ephemeral: false,
      thread_ts: parent,
    });
    expect(payload.message).toMatchObject({ ts: reply, thread_ts: parent });
  });

  it('sends no message for a click in an ephemeral message, only the container and response_url', async () => {
    const ephemeral = sandbox.workspace.postEphemeral({
      channel: 'C0SANDBOX',
      user: 'U0CAROL',
      content: { text: 'Was this you?', blocks: alertBlocks },
    });

    await consolePost('click', {
      channel: 'C0SANDBOX',
      ts: ephemeral.ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0CAROL',
      ephemeral: true,
    });
    const payload = payloadOf((await bot.next()).body);

    expect(payload).not.toHaveProperty('message');
    expect(payload.container).toEqual({
      type: 'message',
      message_ts: ephemeral.ts,
      channel_id: 'C0SANDBOX',
      is_ephemeral: true,
    });
  });

  it('sends the chosen option of a select', async () => {
    const ts = postAlert();

    await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.snooze',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
      selectedValue: '1d',
    });
    const payload = payloadOf((await bot.next()).body);

    expect((payload.actions as unknown[])[0]).toMatchObject({
      type: 'static_select',
      action_id: 'hivewire.snooze',
      selected_option: { text: { type: 'plain_text', text: '1 day' }, value: '1d' },
    });
  });

  it('reports an app that answers an error as Slack would see it', async () => {
    const ts = postAlert();
    bot.answer = { status: 401, body: '' };

    const outcome = await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
    });

    expect(outcome.body).toEqual({ status: 401, body: '', result: 'app_error' });
  });

  it('refuses a click on a button the message does not have, or by someone who is not a sandbox user', async () => {
    const ts = postAlert();

    const noButton = await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.delete_everything',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
    });
    const noUser = await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0HIVEWIRE',
    });

    expect(noButton).toEqual({
      status: 400,
      body: { error: 'no element hivewire.delete_everything in block alert_actions' },
    });
    expect(noUser).toEqual({ status: 400, body: { error: 'userId: not a sandbox user' } });
    expect(bot.requests).toEqual([]);
  });
});

describe('a click in the console, received by a real Bolt app', () => {
  let app: App;
  let boltServer: Server;

  beforeEach(async () => {
    await listenForSandbox();
    app = new App({
      token: 'xoxb-sandbox',
      signingSecret: SIGNING_SECRET,
      tokenVerificationEnabled: false,
      botId: 'B0HIVEWIRE',
      botUserId: 'U0HIVEWIRE',
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: `${server.url}/sandbox/slack/api/`, retryConfig: { retries: 0 } },
    });
    boltServer = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    createTestSandbox(`http://127.0.0.1:${(boltServer.address() as AddressInfo).port}/slack/events`);
  });

  afterEach(async () => {
    await app.stop();
  });

  it('passes Bolt verification, and the app answers through the Web API, response_url and a modal', async () => {
    const ts = postAlert();
    const view = {
      type: 'modal' as const,
      callback_id: 'hivewire.close_case',
      title: { type: 'plain_text' as const, text: 'Close case' },
      submit: { type: 'plain_text' as const, text: 'Close' },
      blocks: [
        {
          type: 'input' as const,
          block_id: 'summary',
          label: { type: 'plain_text' as const, text: 'Summary' },
          element: { type: 'plain_text_input' as const, action_id: 'summary' },
        },
      ],
    };
    let done!: (error?: unknown) => void;
    const handled = new Promise<void>(
      (resolve, reject) => (done = (error) => (error ? reject(error) : resolve())),
    );
    const seen: { user?: string; value?: string; metadata?: unknown } = {};
    app.action<BlockAction<ButtonAction>>(
      'hivewire.create_case',
      async ({ ack, body, action, client, respond }) => {
        await ack();
        seen.user = body.user.id;
        seen.value = action.value;
        seen.metadata = (body.message as { metadata?: unknown }).metadata;
        await client.views.open({ trigger_id: body.trigger_id, view });
        await respond({ text: 'Creating a case…', replace_original: false });
        await client.chat.update({
          channel: body.container.channel_id,
          ts: body.container.message_ts,
          text: 'Escalating',
        });
        done();
      },
    );
    const submissions: unknown[] = [];
    app.view('hivewire.close_case', async ({ ack, view: submitted }) => {
      submissions.push(submitted.state.values);
      const summary = submitted.state.values.summary?.summary?.value ?? '';
      if (summary.length < 10)
        await ack({ response_action: 'errors', errors: { summary: 'Say a little more.' } });
      else await ack();
    });

    const outcome = await consolePost('click', {
      channel: 'C0SANDBOX',
      ts,
      actionId: 'hivewire.create_case',
      blockId: 'alert_actions',
      userId: 'U0ALICE',
    });
    await handled;

    expect(outcome.body).toMatchObject({ status: 200, result: 'ok' });
    expect(seen).toEqual({ user: 'U0ALICE', value: 'fp-1', metadata });
    expect(sandbox.workspace.ephemeralsFor('U0ALICE').map((e) => e.text)).toEqual(['Creating a case…']);
    expect(sandbox.workspace.getMessage('C0SANDBOX', ts)).toMatchObject({ text: 'Escalating' });
    const modal = sandbox.workspace.modalFor('U0ALICE')!;
    expect(modal.view).toMatchObject({ callback_id: 'hivewire.close_case' });

    const refused = await consolePost('view/submit', {
      viewId: modal.id,
      userId: 'U0ALICE',
      values: { summary: { summary: { value: 'short' } } },
    });
    expect(refused.body).toMatchObject({ result: 'ok', errors: { summary: 'Say a little more.' } });
    expect(sandbox.workspace.modalFor('U0ALICE')?.id).toBe(modal.id);

    const accepted = await consolePost('view/submit', {
      viewId: modal.id,
      userId: 'U0ALICE',
      values: { summary: { summary: { value: 'Blocked at the security group' } } },
    });
    expect(accepted.body).toEqual({ status: 200, body: '', result: 'ok' });
    expect(sandbox.workspace.modalFor('U0ALICE')).toBeUndefined();
    expect(submissions[1]).toEqual({
      summary: { summary: { type: 'plain_text_input', value: 'Blocked at the security group' } },
    });
  });

  it('does not send a submission with a required input left empty', async () => {
    const trigger = sandbox.workspace.issueTrigger('U0BOB');
    const modal = sandbox.workspace.openModal(trigger, {
      type: 'modal',
      title: { type: 'plain_text', text: 'Why?' },
      submit: { type: 'plain_text', text: 'Send' },
      blocks: [
        {
          type: 'input',
          block_id: 'reason',
          label: { type: 'plain_text', text: 'Reason' },
          element: { type: 'plain_text_input', action_id: 'reason' },
        },
      ],
    });

    const outcome = await consolePost('view/submit', { viewId: modal.id, userId: 'U0BOB', values: {} });

    expect(outcome.body).toEqual({
      status: 0,
      body: '',
      result: 'ok',
      errors: { reason: 'Please complete this required field.' },
    });
  });
});

describe('slackSignature', () => {
  it("matches Slack's published example", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(slackSignature('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });
});
