/** The in-process queue: asynchronous runs, retries with backoff, dead letters, drain, concurrency, close. */
import { defaultBackoff, InProcessQueue, QueueClosedError } from '../../src/queue/in-process';
import type { Job, JobHandler } from '../../src/queue/jobs';
import { InvalidJobError } from '../../src/queue/wire';

const reconcileJob: Job = { kind: 'reconcile', requestedAt: '2026-11-25T10:00:00.000Z' };

function createCaseJob(fingerprint: string): Job {
  return { kind: 'create-case', fingerprint, userId: 'U0ALICE', requestedAt: '2026-11-25T10:00:00.000Z' };
}

/** A queue with no backoff delay that records what reaches the dead-letter callback. */
function queueWith(handler: JobHandler, options: { maxAttempts?: number; concurrency?: number } = {}) {
  const deadLetters: { job: Job; error: unknown }[] = [];
  const backoffs: number[] = [];
  const queue = new InProcessQueue({
    handler,
    ...options,
    backoff: (attempt) => {
      backoffs.push(attempt);
      return 0;
    },
    onDeadLetter: async (job, error) => {
      deadLetters.push({ job, error });
    },
  });
  return { queue, deadLetters, backoffs };
}

describe('InProcessQueue', () => {
  it('returns from enqueue before the job runs, and runs it', async () => {
    const runs: [Job, number][] = [];
    const { queue } = queueWith(async (job, attempt) => {
      runs.push([job, attempt]);
    });
    await queue.enqueue(reconcileJob);
    expect(runs).toEqual([]);
    await queue.drain();
    expect(runs).toEqual([[reconcileJob, 1]]);
  });

  it('retries a failing job after its backoff until it succeeds', async () => {
    const attempts: number[] = [];
    const { queue, deadLetters, backoffs } = queueWith(async (_job, attempt) => {
      attempts.push(attempt);
      if (attempt < 3) throw new Error(`TheHive answered 503 (attempt ${attempt})`);
    });
    await queue.enqueue(createCaseJob('gd-1'));
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(backoffs).toEqual([1, 2]);
    expect(deadLetters).toEqual([]);
  });

  it('hands a job that failed every attempt to onDeadLetter with the last error', async () => {
    const attempts: number[] = [];
    const { queue, deadLetters } = queueWith(
      async (_job, attempt) => {
        attempts.push(attempt);
        throw new Error(`failure ${attempt}`);
      },
      { maxAttempts: 3 },
    );
    await queue.enqueue(createCaseJob('gd-1'));
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(deadLetters).toEqual([{ job: createCaseJob('gd-1'), error: new Error('failure 3') }]);
  });

  it('makes five attempts by default', async () => {
    const attempts: number[] = [];
    const { queue, deadLetters } = queueWith(async (_job, attempt) => {
      attempts.push(attempt);
      throw new Error('down');
    });
    await queue.enqueue(reconcileJob);
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3, 4, 5]);
    expect(deadLetters).toEqual([{ job: reconcileJob, error: new Error('down') }]);
  });

  it('waits in drain for a job that is waiting out its backoff', async () => {
    const attempts: number[] = [];
    const queue = new InProcessQueue({
      handler: async (_job, attempt) => {
        attempts.push(attempt);
        if (attempt === 1) throw new Error('once');
      },
      backoff: () => 30,
      onDeadLetter: async () => undefined,
    });
    await queue.enqueue(reconcileJob);
    await queue.drain();
    expect(attempts).toEqual([1, 2]);
  });

  it('resolves drain at once when nothing is queued', async () => {
    const { queue } = queueWith(async () => undefined);
    await expect(queue.drain()).resolves.toBeUndefined();
  });

  it('runs at most `concurrency` jobs at once, and all of them', async () => {
    let running = 0;
    let most = 0;
    const done: string[] = [];
    const { queue } = queueWith(
      async (job) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
        if (job.kind === 'create-case') done.push(job.fingerprint);
      },
      { concurrency: 2 },
    );
    const fingerprints = ['gd-1', 'gd-2', 'gd-3', 'gd-4', 'gd-5'];
    for (const fingerprint of fingerprints) await queue.enqueue(createCaseJob(fingerprint));
    await queue.drain();
    expect(most).toBe(2);
    expect(done.sort()).toEqual(fingerprints);
  });

  it('hands the handler the job as SQS would deliver it: validated, unknown fields dropped, a copy', async () => {
    const received: Job[] = [];
    const { queue } = queueWith(async (job) => {
      received.push(job);
    });
    const job = { ...createCaseJob('gd-1'), extra: 'dropped' } as unknown as Job;
    await queue.enqueue(job);
    (job as { userId: string }).userId = 'U0CHANGED';
    await queue.drain();
    expect(received).toEqual([createCaseJob('gd-1')]);
  });

  it('refuses an invalid job with InvalidJobError naming the field, and runs nothing', async () => {
    const handler = jest.fn(async () => undefined);
    const { queue } = queueWith(handler);
    const invalid = { kind: 'create-case', fingerprint: '', userId: 'U0ALICE', requestedAt: 'x' } as Job;
    const refused = queue.enqueue(invalid);
    await expect(refused).rejects.toBeInstanceOf(InvalidJobError);
    await expect(refused).rejects.toMatchObject({
      code: 'INVALID_JOB',
      reason: expect.stringMatching(/^fingerprint: /),
    });
    await queue.drain();
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses new jobs after close, and still runs those already queued', async () => {
    const runs: string[] = [];
    const { queue } = queueWith(async (job) => {
      runs.push(job.kind);
    });
    await queue.enqueue(reconcileJob);
    queue.close();
    await expect(queue.enqueue(reconcileJob)).rejects.toBeInstanceOf(QueueClosedError);
    await queue.drain();
    expect(runs).toEqual(['reconcile']);
  });

  it('reports a dead letter that could not be kept to the logger', async () => {
    const logger = { error: jest.fn() };
    const queue = new InProcessQueue({
      handler: async () => {
        throw new Error('TheHive 400');
      },
      maxAttempts: 1,
      onDeadLetter: async () => {
        throw new Error('store unavailable');
      },
      logger,
    });
    await queue.enqueue(reconcileJob);
    await queue.drain();
    expect(logger.error).toHaveBeenCalledWith(
      'a job failed for good and could not be kept as a dead letter',
      {
        job: 'reconcile',
        attempts: 1,
        error: 'TheHive 400',
        deadLetterError: 'store unavailable',
      },
    );
  });
});

describe('defaultBackoff', () => {
  it('doubles from 500 ms up to 30 s, keeping between half and all of it', () => {
    for (const [attempt, ceiling] of [
      [1, 500],
      [2, 1000],
      [3, 2000],
      [7, 30_000],
      [20, 30_000],
    ] as const) {
      const samples = Array.from({ length: 200 }, () => defaultBackoff(attempt));
      expect(Math.min(...samples)).toBeGreaterThanOrEqual(ceiling / 2);
      expect(Math.max(...samples)).toBeLessThanOrEqual(ceiling);
    }
  });
});
