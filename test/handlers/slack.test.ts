/**
 * The slack function as Lambda runs it: API Gateway v2 events in, the real Bolt app, the store on a
 * local DynamoDB, SSM, SQS and Slack mocked at the HTTP layer. Run twice: from the TypeScript source,
 * and from the bundle esbuild makes of it with serverless.yml's options (minified, the AWS SDK left
 * to the runtime, its clients loaded at the first request).
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import nock from 'nock';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { esbuildOptions, readTemplate } from '../../bench/bundles';
import { CREATE_CASE } from '../../blocks/actions';
import { newAlertRecord } from '../../src/alerts/ingest';
import { configFileSchema } from '../../src/config/config';
import { enrichFromConfig } from '../../src/enrich/enrich';
import { parseEvent } from '../../src/findings/parse';
import { captureLogs } from '../helpers/logs';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { updateAlert } from '../../src/store/store';
import {
  apiGatewayEvent,
  fixture,
  functionEnvironment,
  lambdaContext,
  mockJobsQueue,
  mockSsm,
  SECRETS,
  slackSignature,
  STAGE,
  TABLE_NAME,
} from './lambda-events';

const SIGNING_SECRET = SECRETS[`/hivewire/${STAGE}/slack-signing-secret`]!;
const ALERT_TS = '1795582800.000100';
const savedEnv = process.env;

let opened: OpenedStore;
let fingerprint: string;
let ssm: ReturnType<typeof mockSsm>;
let queue: ReturnType<typeof mockJobsQueue>;
const slackCalls: { method: string; body: Record<string, string> }[] = [];
let logs: ReturnType<typeof captureLogs>;
type SlackHandler = typeof import('../../src/handlers/slack').handler;
let handler: SlackHandler;

/** The slack function's bundle, as `osls package` builds it, written where it resolves the SDK from node_modules. */
async function bundledHandler(): Promise<SlackHandler> {
  const outfile = join(__dirname, '../../.test-results/bundles/slack.js');
  await build({
    ...esbuildOptions(readTemplate().custom.esbuild),
    entryPoints: [join(__dirname, '../../src/handlers/slack.ts')],
    outfile,
    sourcemap: false,
  });
  return ((await import(outfile)) as { handler: SlackHandler }).handler;
}

const HANDLERS: [string, () => Promise<SlackHandler>][] = [
  ['TypeScript source', async () => (await import('../../src/handlers/slack')).handler],
  ['esbuild bundle', bundledHandler],
];

function clickEvent(options: { secret?: string; user?: string } = {}) {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0TEAM', domain: 'example' },
    user: { id: options.user ?? 'U0ANALYST', username: 'analyst', name: 'analyst', team_id: 'T0TEAM' },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ALERT_TS, channel_id: 'C0SECOPS', is_ephemeral: false },
    trigger_id: '1.2.3',
    channel: { id: 'C0SECOPS', name: 'secops' },
    message: { type: 'message', ts: ALERT_TS, text: 'alert', blocks: [] },
    response_url: 'https://hooks.slack.com/actions/T0TEAM/1/abc',
    actions: [
      {
        type: 'button',
        action_id: CREATE_CASE,
        block_id: 'actions',
        value: fingerprint,
        text: { type: 'plain_text', text: 'Create Case' },
        action_ts: '1795582801.000200',
      },
    ],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  // HTTP APIs hand form posts to Lambda base64-encoded.
  return apiGatewayEvent({
    method: 'POST',
    path: '/slack/events',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...slackSignature(body, options.secret ?? SIGNING_SECRET),
    },
    body: Buffer.from(body, 'utf8').toString('base64'),
    isBase64Encoded: true,
  });
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(
      ['SLACK_BOT_TOKEN_PARAM', 'SLACK_SIGNING_SECRET_PARAM'],
      opened.endpoint,
      TABLE_NAME,
    ),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  logs = captureLogs();
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  ssm = mockSsm();
  queue = mockJobsQueue();
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.*/)
    .reply(function (uri, body) {
      const method = uri.replace('/api/', '');
      expect(this.req.headers.authorization).toBe(`Bearer ${SECRETS[`/hivewire/${STAGE}/slack-bot-token`]}`);
      // The app asks auth.test once per container for the bot's identity (src/slack/app.ts): left out
      // of the calls asserted here.
      if (method === 'auth.test') return [200, { ok: true, user_id: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE' }];
      slackCalls.push({ method, body: Object.fromEntries(new URLSearchParams(body as string)) });
      return [200, { ok: true, channel: 'C0SECOPS', ts: ALERT_TS }];
    });

  const event = fixture('derived/guardduty-event-impact-s3-maliciousipcaller.json');
  const finding = enrichFromConfig(parseEvent(event).findings[0]!, configFileSchema.parse({}));
  fingerprint = finding.fingerprint;
  await opened.store.createAlert(newAlertRecord(finding, 'C0SECOPS', new Date()));
  await updateAlert(opened.store, fingerprint, (alert) => ({ ...alert, ts: ALERT_TS }));
});

afterAll(async () => {
  logs?.restore();
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe.each(HANDLERS)('slack handler (%s)', (_name, load) => {
  beforeAll(async () => {
    // Each handler is a fresh container: nothing queued, posted or read from SSM yet, the alert open.
    queue.sent.length = 0;
    slackCalls.length = 0;
    for (const name of Object.keys(ssm.reads)) delete ssm.reads[name];
    await updateAlert(opened.store, fingerprint, (alert) => ({
      ...alert,
      state: 'open',
      escalatedBy: undefined,
      escalatedAt: undefined,
    }));
    handler = await load();
  });

  it('is a 2-argument async handler (Node.js 24 refuses callback handlers)', () => {
    expect(handler.length).toBe(2);
  });

  it('answers a signed Create Case click with 200, records the intent and queues a create-case job', async () => {
    const response = (await handler(
      clickEvent(),
      lambdaContext('slack'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(200);
    expect(queue.sent).toEqual([
      {
        kind: 'create-case',
        fingerprint,
        userId: 'U0ANALYST',
        userName: 'analyst',
        requestedAt: expect.any(String),
      },
    ]);
    const alert = await opened.store.getAlert(fingerprint);
    expect(alert?.state).toBe('escalating');
    expect(alert?.escalatedBy).toBe('U0ANALYST');
    expect(slackCalls.map((call) => call.method)).toEqual(['chat.update']);
    expect(slackCalls[0]!.body).toMatchObject({ channel: 'C0SECOPS', ts: ALERT_TS });
  });

  it('logs the click as a JSON line carrying the fingerprint, the action id, the user and the Lambda request', () => {
    expect(logs.lines.filter((line) => line.message === 'create case clicked').at(-1)).toMatchObject({
      level: 'INFO',
      service: 'hivewire',
      fingerprint,
      action: CREATE_CASE,
      userId: 'U0ANALYST',
      outcome: 'requested',
      function_name: 'hivewire-test-slack',
      function_request_id: 'lambda-request-1',
      route: 'POST /slack/events',
    });
  });

  it('answers a second click privately, queues nothing, and reads the secrets from SSM only once', async () => {
    const response = (await handler(
      clickEvent({ user: 'U0SECOND' }),
      lambdaContext('slack', 'lambda-request-2'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(response.statusCode).toBe(200);
    expect(queue.sent).toHaveLength(1);
    expect(slackCalls.map((call) => call.method)).toEqual(['chat.update', 'chat.postEphemeral']);
    expect(slackCalls[1]!.body).toMatchObject({
      channel: 'C0SECOPS',
      user: 'U0SECOND',
      text: 'A case is already being created for this alert (requested by <@U0ANALYST>).',
    });
    expect(ssm.reads).toEqual({
      [`/hivewire/${STAGE}/slack-bot-token`]: 1,
      [`/hivewire/${STAGE}/slack-signing-secret`]: 1,
    });
  });

  it('refuses a request signed with another secret: 401, nothing recorded or queued', async () => {
    await updateAlert(opened.store, fingerprint, (alert) => ({
      ...alert,
      state: 'open',
      escalatedBy: undefined,
    }));
    const response = (await handler(
      clickEvent({ secret: 'not-the-signing-secret', user: 'U0FORGER' }),
      lambdaContext('slack', 'lambda-request-3'),
    )) as APIGatewayProxyStructuredResultV2;
    expect(response).toEqual({ statusCode: 401, headers: {}, body: '' });
    expect(queue.sent).toHaveLength(1);
    expect((await opened.store.getAlert(fingerprint))?.state).toBe('open');
  });

  it('never writes a secret to its logs', () => {
    expect(logs.lines.map((line) => line.message)).toContain('slack request refused');
    const logged = JSON.stringify(logs.lines);
    for (const secret of Object.values(SECRETS)) expect(logged).not.toContain(secret);
  });
});
