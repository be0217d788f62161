/**
 * Hivewire's Bolt receiver: a real Bolt App built on it, requests in Hivewire's own request type, and
 * through `POST /slack/events` signed requests (the signature is checked before the body is read).
 */
import { App, type AllMiddlewareArgs } from '@slack/bolt';
import { createLogger } from '../../../src/observability/logger';
import { signSlackRequest } from '../../../src/http/slack-signature';
import type { HttpRequest } from '../../../src/http/request';
import { createSlackEventsEndpoint } from '../../../src/http/endpoints/slack-events';
import { HttpRequestReceiver } from '../../../src/slack/receiver';
import { SIGNING_SECRET, startAnalystHarness, type AnalystHarness } from '../../helpers/analyst';

const logger = createLogger('receiver-test');

function request(headers: Record<string, string> = {}): HttpRequest {
  return { method: 'POST', path: '/slack/events', headers, body: '' };
}

function appOn(receiver: HttpRequestReceiver): App {
  return new App({
    receiver,
    authorize: async () => ({ botToken: 'xoxb-test', botUserId: 'U0HIVEWIRE', botId: 'B0HIVEWIRE' }),
  });
}

const mentionEnvelope = {
  type: 'event_callback',
  team_id: 'T0TEST',
  api_app_id: 'A0HIVEWIRE',
  event_id: 'Ev0001',
  event_time: 1,
  event: { type: 'app_mention', user: 'U0ANALYST', text: 'hi', channel: 'C0SECOPS', ts: '1.000100' },
};

describe('HttpRequestReceiver', () => {
  it("hands Slack's retry headers to the listeners' context", async () => {
    const receiver = new HttpRequestReceiver(logger);
    const seen: AllMiddlewareArgs['context'][] = [];
    appOn(receiver).event('app_mention', async ({ context }) => void seen.push(context));

    const first = await receiver.handle(request(), mentionEnvelope);
    const retry = await receiver.handle(
      request({ 'X-Slack-Retry-Num': '2', 'X-Slack-Retry-Reason': 'http_timeout' }),
      mentionEnvelope,
    );

    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(seen.map(({ retryNum, retryReason }) => ({ retryNum, retryReason }))).toEqual([
      { retryNum: undefined, retryReason: undefined },
      { retryNum: 2, retryReason: 'http_timeout' },
    ]);
  });

  it('answers with what the listener acknowledged: text as is, an object as JSON', async () => {
    const receiver = new HttpRequestReceiver(logger);
    const app = appOn(receiver);
    app.command('/text', async ({ ack }) => ack('plain answer'));
    app.command('/object', async ({ ack }) => ack({ response_type: 'ephemeral', text: 'json answer' }));
    const command = (name: string) => ({
      command: name,
      text: '',
      team_id: 'T0TEST',
      user_id: 'U0ANALYST',
      channel_id: 'C0SECOPS',
      response_url: 'https://hooks.slack.com/commands/1',
      trigger_id: '1.2.3',
    });

    expect(await receiver.handle(request(), command('/text'))).toEqual({ status: 200, body: 'plain answer' });
    const object = await receiver.handle(request(), command('/object'));
    expect(object.status).toBe(200);
    expect(object.headers).toEqual({ 'content-type': 'application/json' });
    expect(JSON.parse(object.body)).toEqual({ response_type: 'ephemeral', text: 'json answer' });
  });

  it('answers 404 when no listener acknowledged, and 500 when a listener failed', async () => {
    const receiver = new HttpRequestReceiver(logger);
    const app = appOn(receiver);
    app.command('/fails', async () => {
      throw new Error('listener broke');
    });
    const command = (name: string) => ({ command: name, text: '', team_id: 'T0TEST', user_id: 'U0ANALYST' });

    expect((await receiver.handle(request(), command('/nobody'))).status).toBe(404);
    expect((await receiver.handle(request(), command('/fails'))).status).toBe(500);
  });

  it('refuses to serve before a Bolt app was built on it', async () => {
    await expect(new HttpRequestReceiver(logger).handle(request(), mentionEnvelope)).rejects.toThrow(
      'no Bolt app',
    );
  });
});

describe('POST /slack/events through the receiver', () => {
  let harness: AnalystHarness;

  beforeAll(async () => {
    harness = await startAnalystHarness();
  });

  afterAll(async () => {
    await harness.close();
  });

  it("answers Slack's URL verification with its challenge once the request is signed", async () => {
    const response = await harness.event({
      type: 'url_verification',
      token: 't',
      challenge: 'c-123',
    } as never);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ challenge: 'c-123' });
  });

  it('refuses a challenge signed five minutes and more in the future, before reading it', async () => {
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123' });
    const nowMs = harness.clock.now.getTime();
    const endpoint = createSlackEventsEndpoint(harness.deps);
    const response = await endpoint({
      method: 'POST',
      path: '/slack/events',
      headers: {
        'content-type': 'application/json',
        ...signSlackRequest({ signingSecret: SIGNING_SECRET, rawBody: body, nowMs: nowMs + 6 * 60_000 }),
      },
      body,
    });
    expect(response).toEqual({ status: 401, body: '' });
  });

  it('answers an SSL check with 200 and runs no listener', async () => {
    const response = await harness.command({ ssl_check: '1', token: 't' } as never);
    expect(response).toEqual({ status: 200, body: '' });
  });
});
