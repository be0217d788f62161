/** The reconcile function as its EventBridge schedule runs it: one reconcile job on the jobs queue. */
import nock from 'nock';
import {
  functionEnvironment,
  lambdaContext,
  mockJobsQueue,
  mockSsm,
  scheduleEvent,
  TABLE_NAME,
} from './lambda-events';

const savedEnv = process.env;
let queue: ReturnType<typeof mockJobsQueue>;
let ssm: ReturnType<typeof mockSsm>;

beforeAll(() => {
  // No table access: the function only enqueues.
  process.env = { ...savedEnv, ...functionEnvironment([], 'http://127.0.0.1:9', TABLE_NAME) };
  nock.disableNetConnect();
  ssm = mockSsm();
  queue = mockJobsQueue();
});

afterAll(() => {
  process.env = savedEnv;
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('reconcile handler', () => {
  it('queues one reconcile job per scheduled run, reading no secret', async () => {
    const { handler } = await import('../../src/handlers/reconcile');
    expect(handler.length).toBe(2);
    await handler(scheduleEvent('2026-11-25T05:05:00Z'), lambdaContext('reconcile'));
    await handler(scheduleEvent('2026-11-25T05:10:00Z'), lambdaContext('reconcile', 'lambda-request-2'));
    expect(queue.sent).toEqual([
      { kind: 'reconcile', requestedAt: expect.any(String) },
      { kind: 'reconcile', requestedAt: expect.any(String) },
    ]);
    expect(ssm.reads).toEqual({});
  });
});
