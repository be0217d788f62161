/**
 * The worker function against its own timeout: a TheHive that takes requests and never answers, and a
 * Lambda context whose time runs out on the real clock. Each job checks the time left before it starts
 * and runs under a deadline, so the batch is answered before AWS would stop the function; on the last
 * receive the jobs are kept and reported instead of going silently to the SQS dead-letter queue.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import type { AlertRecord } from '../../src/domain/alert';
import { makeAlertRecord } from '../helpers/alerts';
import {
  functionEnvironment,
  mockSsm,
  invokeWithTimeout,
  silentService,
  sqsEvent,
  TABLE_NAME,
  type SilentService,
  warmContainer,
} from './lambda-events';

// Each test warms a container (loading the product's modules) and runs out a function's time: seconds,
// up to a minute on a loaded machine.
jest.setTimeout(120_000);

/**
 * The function's timeout in these tests: short, so that running out of it takes seconds, and long
 * enough that the failures' reports after the first record's run (store writes, Slack posts paced at
 * one a second per channel) fit their 20 % share of it on a loaded machine: at 10 s, two busy loops
 * and a load average of 23 on 2 cores made them overrun the function's time by 2.5 s.
 */
const TIMEOUT_MS = 20_000;
const MAX_RECEIVE_COUNT = 5;

const savedEnv = process.env;
let opened: OpenedStore;
/** TheHive: takes requests, never answers. */
let theHive: SilentService;
const slackCalls: { method: string; body: Record<string, string> }[] = [];

/** Loads the handler in a fresh, warm Lambda container: the invocation's time goes to its records. */
const freshHandler = () => warmContainer(async () => (await import('../../src/handlers/worker')).handler);

/** An alert whose Create Case click was recorded: the job for it is on the queue. */
async function escalatingAlert(fingerprint: string, channel: string, ts: string): Promise<AlertRecord> {
  const alert = makeAlertRecord({
    finding: { fingerprint },
    channel,
    ts,
    state: 'escalating',
    escalatedBy: 'U0ALICE',
    escalatedAt: '2026-11-25T10:00:00.000Z',
  });
  const { version: _version, ...record } = alert;
  expect(await opened.store.createAlert(record)).toBe(true);
  return (await opened.store.getAlert(fingerprint))!;
}

function createCaseMessage(messageId: string, fingerprint: string, receiveCount: number) {
  const job = {
    kind: 'create-case',
    fingerprint,
    userId: 'U0ALICE',
    requestedAt: '2026-11-25T10:00:00.000Z',
  };
  return { messageId, body: JSON.stringify(job), receiveCount };
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  theHive = await silentService();
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['SLACK_BOT_TOKEN_PARAM', 'THEHIVE_API_KEY_PARAM'], opened.endpoint, TABLE_NAME),
    JOB_MAX_ATTEMPTS: String(MAX_RECEIVE_COUNT),
    THEHIVE_URL: theHive.url,
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.*/)
    .reply(200, (uri, body) => {
      slackCalls.push({
        method: uri.replace('/api/', ''),
        body: Object.fromEntries(new URLSearchParams(body as string)),
      });
      return { ok: true, ts: '1764068400.000200' };
    });
});

afterAll(async () => {
  process.env = savedEnv;
  await theHive?.close();
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  theHive.requests.length = 0;
  slackCalls.length = 0;
});

describe('worker handler against its timeout', () => {
  it('gives back a job TheHive never answers before the time is up, and does not start the next', async () => {
    await escalatingAlert('gd-time-first', 'C0SECOPS', '1764064800.000101');
    await escalatingAlert('gd-time-second', 'C0SECOPS', '1764064800.000102');
    const { answer: response, leftMs } = await invokeWithTimeout(
      await freshHandler(),
      sqsEvent('jobs', [
        createCaseMessage('first', 'gd-time-first', 1),
        createCaseMessage('second', 'gd-time-second', 1),
      ]),
      {
        functionName: 'worker',
        timeoutMs: TIMEOUT_MS,
        requestId: 'lambda-request-time-1',
      },
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'first' }, { itemIdentifier: 'second' }],
    });
    expect(leftMs).toBeGreaterThan(0);
    // One attempt at the first job, cut at its deadline; the second job never reached TheHive.
    expect(theHive.requests).toEqual(['POST /api/v1/alert']);
    expect(await opened.store.getAlert('gd-time-first')).toMatchObject({ state: 'escalating' });
    expect(await opened.store.getAlert('gd-time-second')).toMatchObject({ state: 'escalating' });
    expect(await opened.store.listDeadLetters(10)).toEqual([]);
    expect(slackCalls).toEqual([]);
  });

  it('on the last receive keeps each job as a dead letter, says in its thread what failed, and opens the button again', async () => {
    // Two channels: Slack's pace of one post per second per channel would not fit these short budgets.
    const first = await escalatingAlert('gd-time-last-first', 'C0SECOPS', '1764064800.000201');
    const second = await escalatingAlert('gd-time-last-second', 'C0PAYMENTS', '1764064800.000202');
    const { answer: response, leftMs } = await invokeWithTimeout(
      await freshHandler(),
      sqsEvent('jobs', [
        createCaseMessage('first', first.fingerprint, MAX_RECEIVE_COUNT),
        createCaseMessage('second', second.fingerprint, MAX_RECEIVE_COUNT),
      ]),
      {
        functionName: 'worker',
        timeoutMs: TIMEOUT_MS,
        requestId: 'lambda-request-time-2',
      },
    );

    // Kept and reported, then handed back: SQS's redrive policy moves both to the dead-letter queue.
    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier).sort()).toEqual([
      'first',
      'second',
    ]);
    expect(leftMs).toBeGreaterThan(0);
    expect(theHive.requests).toEqual(['POST /api/v1/alert']);

    const letters = await opened.store.listDeadLetters(10);
    const byFingerprint = Object.fromEntries(
      letters.map((letter) => [(letter.payload as { fingerprint: string }).fingerprint, letter]),
    );
    expect(byFingerprint[first.fingerprint]).toMatchObject({
      kind: 'job:create-case',
      error: "POST /api/v1/alert gave no answer before the job's deadline (1 attempt)",
    });
    expect(byFingerprint[second.fingerprint]).toMatchObject({
      kind: 'job:create-case',
      error: expect.stringMatching(
        /^Hivewire ran out of time before it could try \(\d+\.\d s left, a try needs 14\.0 s\)$/,
      ),
    });

    const replies = slackCalls.filter(({ method, body }) => method === 'chat.postMessage' && body.thread_ts);
    expect(replies.map(({ body }) => ({ channel: body.channel, thread_ts: body.thread_ts }))).toEqual([
      { channel: 'C0SECOPS', thread_ts: first.ts },
      { channel: 'C0PAYMENTS', thread_ts: second.ts },
    ]);
    expect(replies[0]!.body.text).toBe(
      "⚠️ <@U0ALICE> Couldn't create the case: `TheHive could not be reached (POST /api/v1/alert gave no " +
        "answer before the job's deadline (1 attempt))`. The Create Case button works again.",
    );
    expect(replies[1]!.body.text).toMatch(
      /^⚠️ <@U0ALICE> Couldn't create the case: `Hivewire ran out of time before it could try \(.*\)`\. The Create Case button works again\.$/,
    );
    // The root messages are re-rendered with the button.
    expect(
      slackCalls.filter(({ method }) => method === 'chat.update').map(({ body }) => [body.channel, body.ts]),
    ).toEqual([
      ['C0SECOPS', first.ts],
      ['C0PAYMENTS', second.ts],
    ]);
    for (const alert of [first, second]) {
      const after = await opened.store.getAlert(alert.fingerprint);
      expect(after).toMatchObject({ state: 'open', lastError: expect.any(String) });
      expect(after?.escalatedBy).toBeUndefined();
    }
  });
});
