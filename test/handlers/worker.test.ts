/**
 * The worker function as Lambda runs it: SQS batches of jobs in, the real job handler, the store on
 * a local DynamoDB, SSM and Slack mocked at the HTTP layer.
 */
import nock from 'nock';
import { parseEvent } from '../../src/findings/parse';
import type { Job, JobOf } from '../../src/queue/jobs';
import { captureLogs } from '../helpers/logs';
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

const savedEnv = process.env;
let opened: OpenedStore;
let ssm: ReturnType<typeof mockSsm>;
let logs: ReturnType<typeof captureLogs>;
const posts: Record<string, string>[] = [];

function ingestJob(path: string): Job {
  const finding = parseEvent(fixture(path)).findings[0]!;
  return { kind: 'ingest', finding, receivedAt: '2026-11-25T05:00:00.000Z' };
}

/** Loads the handler in a fresh Lambda container. */
const freshHandler = () => newContainer(async () => (await import('../../src/handlers/worker')).handler);

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['SLACK_BOT_TOKEN_PARAM', 'THEHIVE_API_KEY_PARAM'], opened.endpoint, TABLE_NAME),
    POWERTOOLS_LOG_LEVEL: 'INFO',
  };
  logs = captureLogs();
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  ssm = mockSsm();
  // Slack is having a bad day: a platform error another attempt may not get.
  nock('https://slack.com')
    .persist()
    .post('/api/chat.postMessage')
    .reply(200, (_uri, body) => {
      posts.push(Object.fromEntries(new URLSearchParams(body as string)));
      return { ok: false, error: 'internal_error' };
    });
});

afterAll(async () => {
  logs?.restore();
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('worker handler', () => {
  it('reports only the job that may heal; a malformed message is dead-lettered, a good job done', async () => {
    const handler = await freshHandler();
    expect(handler.length).toBe(2);
    const event = sqsEvent('jobs', [
      {
        messageId: 'good',
        body: JSON.stringify({ kind: 'reconcile', requestedAt: '2026-11-25T05:00:00.000Z' }),
      },
      { messageId: 'malformed', body: '{"kind":"create-case"}' },
      {
        messageId: 'slack-down',
        body: JSON.stringify(ingestJob('derived/guardduty-event-impact-s3-maliciousipcaller.json')),
      },
    ]);

    const response = await handler(event, lambdaContext('worker'));

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'slack-down' }] });
    expect(posts.map((post) => post.channel)).toEqual(['C0SECOPS']);
    expect(await opened.store.getSetting('reconcileCursor')).toEqual(expect.any(Number));
    const letters = await opened.store.listDeadLetters(10);
    expect(letters.map(({ kind, payload }) => ({ kind, payload }))).toEqual([
      { kind: 'rejected-job', payload: { kind: 'create-case' } },
    ]);
    expect(letters[0]!.error).toMatch(/fingerprint/);
    const job = JSON.parse(event.Records[2]!.body) as JobOf<'ingest'>;
    expect(logs.lines.find((line) => line.message === 'job failed')).toMatchObject({
      level: 'WARN',
      job: 'ingest',
      attempt: 1,
      fingerprint: job.finding.fingerprint,
      function_request_id: 'lambda-request-1',
      error: 'Slack chat.postMessage failed: internal_error',
      final: false,
    });
  });

  it('on the last attempt keeps the failed job as a dead letter, then leaves it to the DLQ', async () => {
    const handler = await freshHandler();
    const job = ingestJob('siem/mozdef-alert-ssh-sensitive-host.json');
    const response = await handler(
      sqsEvent('jobs', [{ messageId: 'last-try', body: JSON.stringify(job), receiveCount: 5 }]),
      lambdaContext('worker', 'lambda-request-2'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'last-try' }] });
    const letters = await opened.store.listDeadLetters(10);
    expect(letters.map(({ kind, error }) => ({ kind, error }))).toContainEqual({
      kind: 'job:ingest',
      error: 'Slack chat.postMessage failed: internal_error',
    });
  });

  it('reads its two secrets once per container', () => {
    // Two containers so far (one per test above), each reading each secret once.
    expect(ssm.reads).toEqual({
      [`/hivewire/${STAGE}/slack-bot-token`]: 2,
      [`/hivewire/${STAGE}/thehive-api-key`]: 2,
    });
  });
});
