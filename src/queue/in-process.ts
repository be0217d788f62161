/**
 * The local queue: jobs run in this process, a few at a time, with retries and exponential backoff, and
 * a job that fails on every attempt is handed to `onDeadLetter` — what SQS, its redrive policy and the
 * worker Lambda do in AWS.
 *
 * Durable like SQS: a job is written to the store before `enqueue` resolves (so before a route answers
 * 202 or a click is acknowledged), each attempt is recorded before it starts, and the job is deleted
 * once it is done or kept as a dead letter. `resume` at start runs every job a previous process left,
 * including one that was running when it was killed: delivery is at least once, and every use case is
 * idempotent (each step records in the store that it happened). One process holds the store (its lock),
 * so a pending job found at start belongs to no one else.
 *
 * Done jobs are deleted rather than marked: the audit trail already records what a job did, dynalite
 * never expires items (no TTL), and the start-up scan then reads only what is still owed.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger';
import { createLogger, errorMessage } from '../observability/logger';
import { boundFinding } from '../store/item-size';
import type { Store } from '../store/store';
import type { DelayingQueue, Job, JobHandler } from './jobs';
import { parseJob, wireCopy } from './wire';

/** Thrown by `enqueue` after `close()`. */
export class QueueClosedError extends Error {
  readonly code = 'QUEUE_CLOSED';
  constructor() {
    super('the queue is closed: no new jobs are accepted');
    this.name = 'QueueClosedError';
  }
}

/** What the queue keeps in the store. */
export type JobStore = Pick<
  Store,
  'putJob' | 'updateJob' | 'deleteJob' | 'listPendingJobs' | 'putDeadLetter'
>;

export interface InProcessQueueOptions {
  handler: JobHandler;
  /** Where jobs are kept until they are done. */
  store: JobStore;
  /** Attempts per job, the first included (default 5). */
  maxAttempts?: number;
  /** Milliseconds to wait after failed attempt `attempt` (1-based) before the next one (default: defaultBackoff). */
  backoff?: (attempt: number) => number;
  /** Receives a job that failed its last attempt, with the last error; the job stays pending if this throws. */
  onDeadLetter: (job: Job, error: unknown) => Promise<void>;
  /** Jobs running at once (default 4). */
  concurrency?: number;
  /** Where bookkeeping failures are reported (default: the service logger). */
  logger?: Pick<Logger, 'error' | 'warn'>;
}

/** Exponential backoff from 500 ms, doubling to at most 30 s, with jitter: half of it fixed, half random. */
export function defaultBackoff(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

/** setTimeout's longest delay (about 24.8 days); a longer wait is waited in steps. */
const TIMER_MAX_MS = 2_147_483_647;

/** A job found at start with its attempts used up: the process stopped during the last (a kill, or a job that crashes it). */
export class StoppedDuringJobError extends Error {
  readonly code = 'STOPPED_DURING_JOB';
  constructor(readonly attempts: number) {
    super(
      `all ${attempts} attempts were used and the job never finished: the process stopped during the last`,
    );
    this.name = 'StoppedDuringJobError';
  }
}

interface Delivery {
  /** The job's key in the store. */
  id: string;
  job: Job;
  attempt: number;
}

/**
 * An ingest job carries the raw event, which can be up to the route's 1 MiB and a store item holds
 * 400 KB: the finding is trimmed as the alert record's is (the raw event is used only by the audit
 * trail, which keeps at most its first 64 KB anyway).
 */
function storable(job: Job): Job {
  if (job.kind !== 'ingest') return job;
  const finding = boundFinding(job.finding);
  return finding && finding !== job.finding ? { ...job, finding } : job;
}

/** Runs jobs in this process and keeps them in the store until done (local runs and tests); see the module comment. */
export class InProcessQueue implements DelayingQueue {
  private readonly handler: JobHandler;
  private readonly store: JobStore;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => number;
  private readonly onDeadLetter: (job: Job, error: unknown) => Promise<void>;
  private readonly concurrency: number;
  private readonly logger: Pick<Logger, 'error' | 'warn'>;
  private readonly ready: Delivery[] = [];
  private running = 0;
  /** Timers of jobs waiting out their backoff before another attempt (drain waits for them). */
  private readonly retries = new Set<NodeJS.Timeout>();
  /** Timers of jobs not yet due (drain does not wait for them: they stay in the store). */
  private readonly later = new Set<NodeJS.Timeout>();
  /** Jobs this queue has scheduled and not yet finished (`resume` must not schedule them twice). */
  private readonly scheduled = new Set<string>();
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: InProcessQueueOptions) {
    this.handler = options.handler;
    this.store = options.store;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? defaultBackoff;
    this.onDeadLetter = options.onDeadLetter;
    this.concurrency = options.concurrency ?? 4;
    this.logger = options.logger ?? createLogger();
  }

  /**
   * Keeps the job in the store, then queues it and returns; the job runs on a later turn of the event
   * loop. The job goes through the same JSON round trip and validation as an SQS message
   * (InvalidJobError when refused, and nothing is kept).
   */
  async enqueue(job: Job): Promise<void> {
    await this.enqueueAt(job, new Date());
  }

  /** Like `enqueue`, for a job that must not run before `notBefore` (it survives a restart while it waits). */
  async enqueueAt(job: Job, notBefore: Date): Promise<void> {
    if (this.closed) throw new QueueClosedError();
    const copy = storable(wireCopy(job));
    const id = `${new Date().toISOString()}#${randomUUID()}`;
    await this.store.putJob({ id, job: copy, attempts: 0, notBefore: notBefore.toISOString() });
    this.schedule({ id, job: copy, attempt: 1 }, notBefore);
  }

  /**
   * Queues every job a previous process left in the store (call once at start). A job that no longer
   * reads as a job is kept as a `rejected-job` dead letter; one whose attempts were all used up
   * (the process stopped during each) goes to `onDeadLetter`. Resolves to the number of jobs resumed.
   */
  async resume(): Promise<number> {
    let resumed = 0;
    for (const pending of await this.store.listPendingJobs()) {
      if (this.scheduled.has(pending.id)) continue;
      const parsed = parseJob(pending.job);
      if (!parsed.ok) {
        // Written by another version of Hivewire, say: kept, never run.
        await this.store.putDeadLetter({ kind: 'rejected-job', error: parsed.error, payload: pending.job });
        await this.store.deleteJob(pending.id);
        continue;
      }
      const delivery = { id: pending.id, job: parsed.job, attempt: pending.attempts + 1 };
      if (pending.attempts >= this.maxAttempts) {
        await this.deadLetter(delivery, new StoppedDuringJobError(pending.attempts));
        continue;
      }
      this.schedule(delivery, new Date(pending.notBefore));
      resumed += 1;
    }
    return resumed;
  }

  /** Resolves once no job is queued, running or waiting to be retried (jobs due later stay in the store). */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops accepting jobs and forgets the timers of jobs waiting for a retry or not yet due (they stay
   * in the store for the next start); those queued or running still run (`drain` first to finish all).
   */
  close(): void {
    this.closed = true;
    for (const timer of [...this.later, ...this.retries]) clearTimeout(timer);
    this.later.clear();
    this.retries.clear();
    this.settle();
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.running === 0 && this.retries.size === 0;
  }

  private settle(): void {
    if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
  }

  /** Queues the delivery now, or arms a timer for when it is due. */
  private schedule(delivery: Delivery, notBefore: Date): void {
    this.scheduled.add(delivery.id);
    const wait = notBefore.getTime() - Date.now();
    if (!(wait > 0)) {
      this.ready.push(delivery);
      setImmediate(() => this.pump());
      return;
    }
    const timer = setTimeout(
      () => {
        this.later.delete(timer);
        if (!this.closed) this.schedule(delivery, notBefore);
      },
      Math.min(wait, TIMER_MAX_MS),
    );
    // A job due later must not keep a finished process (a CLI run, a test) alive: it is in the store.
    timer.unref();
    this.later.add(timer);
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const delivery = this.ready.shift()!;
      this.running += 1;
      void this.run(delivery).finally(() => {
        this.running -= 1;
        this.pump();
        this.settle();
      });
    }
  }

  private async run(delivery: Delivery): Promise<void> {
    const { id, job, attempt } = delivery;
    try {
      // Recorded first, so an attempt the process dies in counts (a job that crashes it cannot loop forever).
      const pending = await this.store.updateJob(id, {
        attempts: attempt,
        notBefore: new Date().toISOString(),
      });
      if (!pending) {
        this.scheduled.delete(id);
        return;
      }
      await this.handler(job, attempt);
    } catch (error) {
      if (attempt < this.maxAttempts) await this.retry(delivery);
      else await this.deadLetter(delivery, error);
      return;
    }
    await this.forget(id);
  }

  private async retry({ id, job, attempt }: Delivery): Promise<void> {
    const wait = this.backoff(attempt);
    const notBefore = new Date(Date.now() + wait).toISOString();
    await this.store.updateJob(id, { attempts: attempt, notBefore }).catch((updateError: unknown) =>
      // Only the wait after a restart is lost: the job is still pending.
      this.logger.warn('a retry wait could not be recorded', {
        job: job.kind,
        error: errorMessage(updateError),
      }),
    );
    // Closed while the wait was being written: the job stays in the store for the next start, as
    // `close` says of every retry; a timer armed now would keep `drain` waiting on a closed queue.
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.retries.delete(timer);
      this.ready.push({ id, job, attempt: attempt + 1 });
      this.pump();
    }, wait);
    this.retries.add(timer);
  }

  private async deadLetter({ id, job, attempt }: Delivery, error: unknown): Promise<void> {
    try {
      await this.onDeadLetter(job, error);
    } catch (deadLetterError) {
      // Still pending in the store: the next start tries again.
      this.logger.error('a job failed for good and could not be kept as a dead letter', {
        job: job.kind,
        attempts: attempt,
        error: errorMessage(error),
        deadLetterError: errorMessage(deadLetterError),
      });
      return;
    }
    await this.forget(id);
  }

  private async forget(id: string): Promise<void> {
    this.scheduled.delete(id);
    await this.store.deleteJob(id).catch((error: unknown) =>
      // The job runs once more at the next start, which its use case allows.
      this.logger.error('a finished job could not be removed from the store', { error: errorMessage(error) }),
    );
  }
}
