/**
 * The ingest function as Lambda runs it: SQS batches from the findings queue, each message an
 * EventBridge event as the rules in serverless.yml deliver it; the store on a local DynamoDB, SSM and
 * Slack mocked at the HTTP layer.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import {
  fixture,
  functionEnvironment,
  lambdaContext,
  mockSsm,
  sqsEvent,
  STAGE,
  TABLE_NAME,
  newContainer,
} from './lambda-events';

interface GuardDutyEvent {
  detail: { id: string; arn: string };
}

const GUARDDUTY_EVENT = fixture<GuardDutyEvent>('derived/guardduty-event-impact-s3-maliciousipcaller.json');
const REPUBLISHED_EVENT = fixture('derived/guardduty-event-impact-s3-maliciousipcaller-republished.json');
const CLOUDTRAIL_EVENT = fixture('aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json');
const FINGERPRINT = 'gd-b0a3a5992a56fc05d45e4f1f04b8c030';
const ROOT_TS = '1795582800.000100';

const savedEnv = process.env;
let opened: OpenedStore;
let ssm: ReturnType<typeof mockSsm>;
let slackUp = true;
const slackCalls: { method: string; body: Record<string, string> }[] = [];
type Handler = typeof import('../../src/handlers/ingest').handler;
let handler: Handler;

/** Loads the handler in a fresh Lambda container. */
const freshHandler = () => newContainer(async () => (await import('../../src/handlers/ingest')).handler);

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['SLACK_BOT_TOKEN_PARAM'], opened.endpoint, TABLE_NAME),
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  ssm = mockSsm();
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.*/)
    .reply(200, (uri, body) => {
      const method = uri.replace('/api/', '');
      slackCalls.push({ method, body: Object.fromEntries(new URLSearchParams(body as string)) });
      if (!slackUp) return { ok: false, error: 'service_unavailable' };
      if (method === 'auth.test')
        return { ok: true, url: 'https://example.slack.com/', user_id: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE' };
      return { ok: true, channel: 'C0SECOPS', ts: ROOT_TS };
    });
  handler = await freshHandler();
});

afterAll(async () => {
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  slackCalls.length = 0;
  slackUp = true;
});

describe('ingest handler', () => {
  it('posts a GuardDuty finding as a Slack alert and records it', async () => {
    expect(handler.length).toBe(2);
    const response = await handler(
      sqsEvent('findings', [{ messageId: 'gd-1', body: JSON.stringify(GUARDDUTY_EVENT) }]),
      lambdaContext('ingest'),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    // The permalink is built from the workspace's URL, which auth.test tells once per container.
    expect(slackCalls.map(({ method }) => method)).toEqual(['chat.postMessage', 'auth.test']);
    expect(slackCalls[0]!.body.channel).toBe('C0SECOPS');
    const alert = await opened.store.getAlert(FINGERPRINT);
    expect(alert).toMatchObject({
      state: 'open',
      ts: ROOT_TS,
      channel: 'C0SECOPS',
      severity: 'HIGH',
      permalink: `https://example.slack.com/archives/C0SECOPS/p${ROOT_TS.replace('.', '')}`,
    });
  });

  it('updates the same alert when GuardDuty republishes the finding, and reads the token once', async () => {
    const response = await handler(
      sqsEvent('findings', [{ messageId: 'gd-2', body: JSON.stringify(REPUBLISHED_EVENT) }]),
      lambdaContext('ingest', 'lambda-request-2'),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(slackCalls.map(({ method }) => method)).toEqual(['chat.update']);
    expect(slackCalls[0]!.body).toMatchObject({ channel: 'C0SECOPS', ts: ROOT_TS });
    expect(ssm.reads).toEqual({ [`/hivewire/${STAGE}/slack-bot-token`]: 1 });
  });

  it('keeps a message that is not JSON as a dead letter and skips non-finding events, failing neither', async () => {
    const response = await handler(
      sqsEvent('findings', [
        { messageId: 'garbage', body: 'not json' },
        { messageId: 'cloudtrail', body: JSON.stringify(CLOUDTRAIL_EVENT) },
      ]),
      lambdaContext('ingest', 'lambda-request-3'),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(slackCalls).toEqual([]);
    const letters = await opened.store.listDeadLetters(10);
    expect(letters.map(({ kind, error, payload }) => ({ kind, error, payload }))).toContainEqual({
      kind: 'rejected-finding',
      error: 'body: not JSON',
      payload: 'not json',
    });
  });

  it('asks SQS to deliver again only the event Slack could not take', async () => {
    const handler = await freshHandler();
    slackUp = false;
    const fresh = structuredClone(GUARDDUTY_EVENT);
    fresh.detail.id = 'a-finding-never-seen-before';
    fresh.detail.arn = fresh.detail.arn.replace(/finding\/.*$/, 'finding/a-finding-never-seen-before');
    const response = await handler(
      sqsEvent('findings', [
        { messageId: 'slack-down', body: JSON.stringify(fresh) },
        { messageId: 'garbage-2', body: '{' },
      ]),
      lambdaContext('ingest', 'lambda-request-4'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'slack-down' }] });
  });

  it('on the last receive keeps the event as a dead letter, then leaves it to the DLQ', async () => {
    const handler = await freshHandler();
    slackUp = false;
    const fresh = structuredClone(GUARDDUTY_EVENT);
    fresh.detail.id = 'another-finding-never-seen';
    fresh.detail.arn = fresh.detail.arn.replace(/finding\/.*$/, 'finding/another-finding-never-seen');
    const response = await handler(
      sqsEvent('findings', [{ messageId: 'last-try', body: JSON.stringify(fresh), receiveCount: 5 }]),
      lambdaContext('ingest', 'lambda-request-5'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'last-try' }] });
    const letters = await opened.store.listDeadLetters(10);
    expect(letters.map(({ kind, error }) => ({ kind, error }))).toContainEqual({
      kind: 'failed-finding',
      error: 'Slack chat.postMessage failed: service_unavailable',
    });
  });
});
