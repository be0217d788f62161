/**
 * The ingest function against its own timeout: a Slack that takes requests and never answers, and a
 * Lambda context whose time runs out on the real clock. Each findings event checks the time left before
 * it starts and runs under a deadline, so the batch is answered before AWS would stop the function; on
 * the last receive the events are kept as dead letters instead of going silently to the SQS DLQ.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import {
  fixture,
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
 * enough that keeping the failures after the first record's run fits their 20 % share of it on a
 * loaded machine (at 10 s, the worker's twin of this test overran its time by 2.5 s with two busy
 * loops and a load average of 23 on 2 cores).
 */
const TIMEOUT_MS = 20_000;
const MAX_RECEIVE_COUNT = 5;

interface GuardDutyEvent {
  detail: { id: string; arn: string };
}
const GUARDDUTY_EVENT = fixture<GuardDutyEvent>('derived/guardduty-event-impact-s3-maliciousipcaller.json');

const savedEnv = process.env;
let opened: OpenedStore;
/** Slack's Web API: takes requests, never answers. */
let slack: SilentService;

/** Loads the handler in a fresh, warm Lambda container: the invocation's time goes to its records. */
const freshHandler = () => warmContainer(async () => (await import('../../src/handlers/ingest')).handler);

/** The GuardDuty event for a finding no test has seen, as a findings-queue message. */
function findingMessage(messageId: string, findingId: string, receiveCount: number) {
  const event = structuredClone(GUARDDUTY_EVENT);
  event.detail.id = findingId;
  event.detail.arn = event.detail.arn.replace(/finding\/.*$/, `finding/${findingId}`);
  return { messageId, body: JSON.stringify(event), receiveCount };
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  slack = await silentService();
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['SLACK_BOT_TOKEN_PARAM'], opened.endpoint, TABLE_NAME),
    JOB_MAX_ATTEMPTS: String(MAX_RECEIVE_COUNT),
    SLACK_API_URL: `${slack.url}/api/`,
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
});

afterAll(async () => {
  process.env = savedEnv;
  await slack?.close();
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  slack.requests.length = 0;
});

describe('ingest handler against its timeout', () => {
  it('gives back an event Slack never answers before the time is up, and does not start the next', async () => {
    const { answer: response, leftMs } = await invokeWithTimeout(
      await freshHandler(),
      sqsEvent('findings', [
        findingMessage('first', 'time-first', 1),
        findingMessage('second', 'time-second', 1),
      ]),
      {
        functionName: 'ingest',
        timeoutMs: TIMEOUT_MS,
        requestId: 'lambda-request-time-1',
      },
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: 'first' }, { itemIdentifier: 'second' }],
    });
    expect(leftMs).toBeGreaterThan(0);
    // One post for the first event, cancelled at its deadline and not retried; the second never started.
    expect(slack.requests).toEqual(['POST /api/chat.postMessage']);
    expect(await opened.store.listDeadLetters(10)).toEqual([]);
  });

  it('on the last receive keeps both events as dead letters, saying what failed, and leaves them to the DLQ', async () => {
    const first = findingMessage('first', 'time-last-first', MAX_RECEIVE_COUNT);
    const second = findingMessage('second', 'time-last-second', MAX_RECEIVE_COUNT);
    const { answer: response, leftMs } = await invokeWithTimeout(
      await freshHandler(),
      sqsEvent('findings', [first, second]),
      {
        functionName: 'ingest',
        timeoutMs: TIMEOUT_MS,
        requestId: 'lambda-request-time-2',
      },
    );

    // Kept and reported, then handed back: SQS's redrive policy moves both to the dead-letter queue.
    expect(response.batchItemFailures.map(({ itemIdentifier }) => itemIdentifier).sort()).toEqual([
      first.messageId,
      second.messageId,
    ]);
    expect(leftMs).toBeGreaterThan(0);
    expect(slack.requests).toEqual(['POST /api/chat.postMessage']);
    const letters = await opened.store.listDeadLetters(10);
    const byFinding = Object.fromEntries(
      letters.map((letter) => [(letter.payload as GuardDutyEvent).detail.id, letter]),
    );
    expect(byFinding['time-last-first']).toMatchObject({
      kind: 'failed-finding',
      error: 'Slack chat.postMessage failed: deadline_exceeded',
      payload: JSON.parse(first.body),
    });
    expect(byFinding['time-last-second']).toMatchObject({
      kind: 'failed-finding',
      error: expect.stringMatching(
        /^Hivewire ran out of time before it could try \(\d+\.\d s left, a try needs 14\.0 s\)$/,
      ),
      payload: JSON.parse(second.body),
    });
  });
});
