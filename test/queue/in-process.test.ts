/**
 * The in-process queue against the real store (dynalite, the DynamoDB protocol): asynchronous runs,
 * retries with backoff, dead letters, drain, concurrency, close; and durability: a job is kept before
 * enqueue resolves, removed when done, and resumed by the next process.
 */
import { defaultBackoff, InProcessQueue, QueueClosedError, type JobStore } from '../../src/queue/in-process';
import type { Job, JobHandler } from '../../src/queue/jobs';
import { InvalidJobError } from '../../src/queue/wire';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { eventually } from '../helpers/eventually';

let embedded: OpenedStore;
let store: JobStore;

beforeEach(async () => {
  embedded = await startEmbeddedStore({ inMemory: true });
  store = embedded.store;
});

afterEach(async () => {
  await embedded.close();
});

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
    store,
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
      store,
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
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const { queue } = queueWith(
      async (job) => {
        running += 1;
        most = Math.max(most, running);
        await gate;
        running -= 1;
        if (job.kind === 'create-case') done.push(job.fingerprint);
      },
      { concurrency: 2 },
    );
    const fingerprints = ['gd-1', 'gd-2', 'gd-3', 'gd-4', 'gd-5'];
    await Promise.all(fingerprints.map((fingerprint) => queue.enqueue(createCaseJob(fingerprint))));
    await eventually('two jobs to be running', () => running === 2 || undefined);
    open();
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
    const logger = { error: jest.fn(), warn: jest.fn() };
    const queue = new InProcessQueue({
      store,
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
    // Not lost: the next start tries again.
    expect((await store.listPendingJobs()).map((pending) => pending.job)).toEqual([reconcileJob]);
  });
});

/** A job as a previous process left it in the store. */
async function leftPending(job: unknown, attempts: number, notBefore = '2026-11-25T10:00:00.000Z') {
  const id = `2026-11-25T10:00:00.000Z#left-${attempts}`;
  await store.putJob({ id, job, attempts, notBefore });
  return id;
}

describe('InProcessQueue durability', () => {
  it('keeps the job in the store before enqueue resolves, and removes it once done', async () => {
    const order: string[] = [];
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const queue = new InProcessQueue({
      handler: () => finished,
      store: {
        ...embedded.store,
        putJob: async (job) => {
          await embedded.store.putJob(job);
          order.push('kept');
        },
        updateJob: (id, progress) => embedded.store.updateJob(id, progress),
        deleteJob: (id) => embedded.store.deleteJob(id),
        listPendingJobs: () => embedded.store.listPendingJobs(),
        putDeadLetter: (letter) => embedded.store.putDeadLetter(letter),
      },
      onDeadLetter: async () => undefined,
    });
    await queue.enqueue(createCaseJob('gd-1'));
    order.push('enqueue resolved');
    expect(order).toEqual(['kept', 'enqueue resolved']);
    expect(await store.listPendingJobs()).toEqual([
      {
        id: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#[0-9a-f-]{36}$/),
        job: createCaseJob('gd-1'),
        attempts: expect.any(Number),
        notBefore: expect.any(String),
      },
    ]);
    finish();
    await queue.drain();
    expect(await store.listPendingJobs()).toEqual([]);
  });

  it('runs again, at the next start, a job that was running when the process stopped; that attempt counts', async () => {
    const first = queueWith(() => new Promise<void>(() => undefined));
    await first.queue.enqueue(createCaseJob('gd-1'));
    await eventually('the attempt to be recorded', async () =>
      (await store.listPendingJobs())[0]?.attempts === 1 ? true : undefined,
    );
    // The process is gone here (the test stops using the first queue); the next one starts on the same store.
    const runs: [Job, number][] = [];
    const { queue } = queueWith(async (job, attempt) => void runs.push([job, attempt]));
    expect(await queue.resume()).toBe(1);
    await queue.drain();
    expect(runs).toEqual([[createCaseJob('gd-1'), 2]]);
    expect(await store.listPendingJobs()).toEqual([]);
  });

  it('resumes a job left between retries at the attempt after those used', async () => {
    await leftPending(reconcileJob, 2);
    const runs: number[] = [];
    const { queue } = queueWith(async (_job, attempt) => void runs.push(attempt));
    expect(await queue.resume()).toBe(1);
    await queue.drain();
    expect(runs).toEqual([3]);
  });

  it('records a failed attempt and the wait before the next in the store; close leaves the job there', async () => {
    const queue = new InProcessQueue({
      store,
      backoff: () => 60_000,
      handler: async () => {
        throw new Error('TheHive answered 503');
      },
      onDeadLetter: async () => undefined,
    });
    const before = Date.now();
    await queue.enqueue(reconcileJob);
    await eventually('the failed attempt to be recorded', async () => {
      const [pending] = await store.listPendingJobs();
      return pending && Date.parse(pending.notBefore) >= before + 60_000 ? pending : undefined;
    });
    queue.close();
    await queue.drain();
    const [pending] = await store.listPendingJobs();
    expect(pending).toMatchObject({ job: reconcileJob, attempts: 1 });
    expect(Date.parse(pending!.notBefore)).toBeLessThanOrEqual(Date.now() + 60_000);
  });

  it('closed while a retry’s wait is being written: no retry is armed, drain ends, the job stays in the store', async () => {
    // The retry's write is held until the queue is closed (the order a test or a shutdown can meet).
    let releaseWrite!: () => void;
    const written = new Promise<void>((resolve) => (releaseWrite = resolve));
    let writeHeld!: () => void;
    const held = new Promise<void>((resolve) => (writeHeld = resolve));
    const gated: JobStore = Object.assign(Object.create(store) as JobStore, {
      updateJob: async (...args: Parameters<JobStore['updateJob']>) => {
        if (args[1].notBefore && Date.parse(args[1].notBefore) > Date.now() + 1_000) {
          writeHeld();
          await written;
        }
        return store.updateJob(...args);
      },
    });
    let runs = 0;
    const queue = new InProcessQueue({
      store: gated,
      backoff: () => 60_000,
      handler: async () => {
        runs += 1;
        throw new Error('TheHive answered 503');
      },
      onDeadLetter: async () => undefined,
    });
    await queue.enqueue(reconcileJob);
    await held;
    queue.close();
    releaseWrite();
    await queue.drain();
    expect(runs).toBe(1);
    expect(await store.listPendingJobs()).toEqual([
      expect.objectContaining({ job: reconcileJob, attempts: 1 }),
    ]);
  });

  it('keeps a dead letter in the store after the last attempt and removes the job', async () => {
    const attempts: number[] = [];
    const queue = new InProcessQueue({
      store,
      maxAttempts: 3,
      backoff: () => 0,
      handler: async (_job, attempt) => {
        attempts.push(attempt);
        throw new Error(`TheHive answered 503 (attempt ${attempt})`);
      },
      onDeadLetter: async (job, error) => {
        await store.putDeadLetter({ kind: `job:${job.kind}`, error: String(error), payload: job });
      },
    });
    await queue.enqueue(createCaseJob('gd-1'));
    await queue.drain();
    expect(attempts).toEqual([1, 2, 3]);
    expect(await store.listPendingJobs()).toEqual([]);
    expect(await embedded.store.listDeadLetters(10)).toEqual([
      expect.objectContaining({
        kind: 'job:create-case',
        error: 'Error: TheHive answered 503 (attempt 3)',
        payload: createCaseJob('gd-1'),
      }),
    ]);
  });

  it('dead-letters at start, without running it, a job the process stopped during on every attempt', async () => {
    await leftPending(createCaseJob('gd-1'), 3);
    const handler = jest.fn(async () => undefined);
    const { queue, deadLetters } = queueWith(handler, { maxAttempts: 3 });
    expect(await queue.resume()).toBe(0);
    await queue.drain();
    expect(handler).not.toHaveBeenCalled();
    expect(deadLetters).toEqual([{ job: createCaseJob('gd-1'), error: expect.any(Error) }]);
    expect(deadLetters[0]?.error).toMatchObject({ code: 'STOPPED_DURING_JOB', attempts: 3 });
    expect(await store.listPendingJobs()).toEqual([]);
  });

  it('keeps a stored job that no longer reads as a job as a rejected-job dead letter, naming the field', async () => {
    await leftPending({ kind: 'create-case', fingerprint: 'gd-1' }, 0);
    const handler = jest.fn(async () => undefined);
    const { queue } = queueWith(handler);
    expect(await queue.resume()).toBe(0);
    expect(handler).not.toHaveBeenCalled();
    expect(await embedded.store.listDeadLetters(10)).toEqual([
      expect.objectContaining({
        kind: 'rejected-job',
        error: expect.stringMatching(/userId/),
        payload: { kind: 'create-case', fingerprint: 'gd-1' },
      }),
    ]);
    expect(await store.listPendingJobs()).toEqual([]);
  });

  it('holds a delayed job in the store until it is due, across a restart; drain does not wait for it', async () => {
    const due = new Date(Date.now() + 60 * 60_000);
    const handler = jest.fn(async () => undefined);
    const first = queueWith(handler);
    await first.queue.enqueueAt(reconcileJob, due);
    await first.queue.drain();
    first.queue.close();
    expect(await store.listPendingJobs()).toEqual([
      { id: expect.any(String), job: reconcileJob, attempts: 0, notBefore: due.toISOString() },
    ]);

    const { queue } = queueWith(handler);
    expect(await queue.resume()).toBe(1);
    await queue.drain();
    queue.close();
    expect(handler).not.toHaveBeenCalled();
    expect(await store.listPendingJobs()).toHaveLength(1);
  });

  it('runs at start a delayed job that fell due while no process ran', async () => {
    await leftPending(reconcileJob, 0, new Date(Date.now() - 1000).toISOString());
    const runs: Job[] = [];
    const { queue } = queueWith(async (job) => void runs.push(job));
    await queue.resume();
    await queue.drain();
    expect(runs).toEqual([reconcileJob]);
  });

  it('does not resume a second time a job this queue already runs', async () => {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const handler = jest.fn(() => finished);
    const { queue } = queueWith(handler);
    await queue.enqueue(reconcileJob);
    expect(await queue.resume()).toBe(0);
    finish();
    await queue.drain();
    expect(handler).toHaveBeenCalledTimes(1);
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
