import { msUntil, SqsDelayedJobs, TimerDelayedJobs } from '../../src/analyst/delayed-jobs';
import type { Job } from '../../src/queue/jobs';

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

  it('enqueues on the local queue when the timer fires', async () => {
    jest.useFakeTimers({ now });
    try {
      const enqueued: Job[] = [];
      const jobs = new TimerDelayedJobs(
        { enqueue: async (job) => void enqueued.push(job) },
        () => now,
        () => undefined,
      );
      await jobs.enqueueWhenDue({
        kind: 'triage-timeout',
        triageId: 't1',
        dueAt: '2026-11-25T10:01:00.000Z',
      });
      jest.advanceTimersByTime(59_999);
      expect(enqueued).toEqual([]);
      jest.advanceTimersByTime(1);
      await Promise.resolve();
      expect(enqueued).toEqual([
        { kind: 'triage-timeout', triageId: 't1', dueAt: '2026-11-25T10:01:00.000Z' },
      ]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('counts a past or unreadable due time as due now', () => {
    expect(msUntil('2026-11-25T09:00:00.000Z', now)).toBe(0);
    expect(msUntil('not a date', now)).toBe(0);
    expect(msUntil('2026-11-25T10:00:01.000Z', now)).toBe(1000);
  });
});
