import { LocalDelayedJobs, msUntil, NoDelayedJobsError, SqsDelayedJobs } from '../../src/queue/delayed-jobs';
import { InProcessQueue } from '../../src/queue/in-process';
import type { Job } from '../../src/queue/jobs';
import { startEmbeddedStore } from '../../src/store/embedded';

const now = new Date('2026-11-25T10:00:00.000Z');

describe('delayed jobs', () => {
  it('holds an SQS message back until due, at most the 15 minutes SQS allows', async () => {
    const send = jest.fn(async () => 'm-1');
    const jobs = new SqsDelayedJobs(
      { send },
      'https://sqs.us-east-1.amazonaws.com/111122223333/jobs',
      () => now,
    );
    await jobs.enqueueWhenDue({ kind: 'triage-timeout', triageId: 't1', dueAt: '2026-11-25T10:05:00.000Z' });
    await jobs.enqueueWhenDue({ kind: 'triage-timeout', triageId: 't2', dueAt: '2026-11-25T11:00:00.000Z' });
    expect(send.mock.calls).toEqual([
      [
        'https://sqs.us-east-1.amazonaws.com/111122223333/jobs',
        { kind: 'triage-timeout', triageId: 't1', dueAt: '2026-11-25T10:05:00.000Z' },
        300,
      ],
      [
        'https://sqs.us-east-1.amazonaws.com/111122223333/jobs',
        { kind: 'triage-timeout', triageId: 't2', dueAt: '2026-11-25T11:00:00.000Z' },
        900,
      ],
    ]);
  });

  it("keeps a local job in the store with its due time, measured on the use cases' clock", async () => {
    const embedded = await startEmbeddedStore({ inMemory: true });
    try {
      const handler = jest.fn(async () => undefined);
      const queue = new InProcessQueue({
        store: embedded.store,
        handler,
        onDeadLetter: async () => undefined,
      });
      const jobs = new LocalDelayedJobs(queue, () => now);
      const before = Date.now();
      await jobs.enqueueWhenDue({
        kind: 'triage-timeout',
        triageId: 't1',
        dueAt: '2026-11-25T11:00:00.000Z',
      });
      const after = Date.now();
      queue.close();
      const [pending] = await embedded.store.listPendingJobs();
      expect(pending?.job).toEqual({
        kind: 'triage-timeout',
        triageId: 't1',
        dueAt: '2026-11-25T11:00:00.000Z',
      });
      const notBefore = Date.parse(pending!.notBefore);
      expect(notBefore).toBeGreaterThanOrEqual(before + 60 * 60_000);
      expect(notBefore).toBeLessThanOrEqual(after + 60 * 60_000);
      expect(handler).not.toHaveBeenCalled();
    } finally {
      await embedded.close();
    }
  });

  it('refuses a delayed job with NoDelayedJobsError when the queue cannot hold one back', async () => {
    const enqueued: Job[] = [];
    const jobs = new LocalDelayedJobs({ enqueue: async (job) => void enqueued.push(job) }, () => now);
    await expect(
      jobs.enqueueWhenDue({ kind: 'triage-timeout', triageId: 't1', dueAt: '2026-11-25T11:00:00.000Z' }),
    ).rejects.toBeInstanceOf(NoDelayedJobsError);
    expect(enqueued).toEqual([]);
  });

  it('counts a past or unreadable due time as due now', () => {
    expect(msUntil('2026-11-25T09:00:00.000Z', now)).toBe(0);
    expect(msUntil('not a date', now)).toBe(0);
    expect(msUntil('2026-11-25T10:00:01.000Z', now)).toBe(1000);
  });
});
