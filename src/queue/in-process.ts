/**
 * The local queue: jobs run in this process, a few at a time, with retries and exponential backoff, and
 * a job that fails on every attempt is handed to `onDeadLetter` (the caller keeps it in the store) — what
 * SQS, its redrive policy and the worker Lambda do in AWS.
 */
import type { Logger } from '../logger';
import { createLogger } from '../logger';
import type { Job, JobHandler, Queue } from './jobs';
import { wireCopy } from './wire';

/** Thrown by `enqueue` after `close()`. */
export class QueueClosedError extends Error {
  readonly code = 'QUEUE_CLOSED';
  constructor() {
    super('the queue is closed: no new jobs are accepted');
    this.name = 'QueueClosedError';
  }
}

export interface InProcessQueueOptions {
  handler: JobHandler;
  /** Attempts per job, the first included (default 5). */
  maxAttempts?: number;
  /** Milliseconds to wait after failed attempt `attempt` (1-based) before the next one (default: defaultBackoff). */
  backoff?: (attempt: number) => number;
  /** Receives a job that failed its last attempt, with the last error. */
  onDeadLetter: (job: Job, error: unknown) => Promise<void>;
  /** Jobs running at once (default 4). */
  concurrency?: number;
  /** Where a dead letter that could not be kept is reported (default: the service logger). */
  logger?: Pick<Logger, 'error'>;
}

/** Exponential backoff from 500 ms, doubling to at most 30 s, with jitter: half of it fixed, half random. */
export function defaultBackoff(attempt: number): number {
  const ceiling = Math.min(30_000, 500 * 2 ** (attempt - 1));
  return ceiling / 2 + Math.random() * (ceiling / 2);
}

interface Delivery {
  job: Job;
  attempt: number;
}

/** Runs jobs in this process (local runs and tests); see the module comment. */
export class InProcessQueue implements Queue {
  private readonly handler: JobHandler;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => number;
  private readonly onDeadLetter: (job: Job, error: unknown) => Promise<void>;
  private readonly concurrency: number;
  private readonly logger: Pick<Logger, 'error'>;
  private readonly ready: Delivery[] = [];
  private running = 0;
  /** Jobs waiting out their backoff before another attempt. */
  private waiting = 0;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(options: InProcessQueueOptions) {
    this.handler = options.handler;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoff = options.backoff ?? defaultBackoff;
    this.onDeadLetter = options.onDeadLetter;
    this.concurrency = options.concurrency ?? 4;
    this.logger = options.logger ?? createLogger();
  }

  /**
   * Queues a job and returns at once; the job runs on a later turn of the event loop. The job goes
   * through the same JSON round trip and validation as an SQS message (InvalidJobError when refused).
   */
  async enqueue(job: Job): Promise<void> {
    if (this.closed) throw new QueueClosedError();
    this.ready.push({ job: wireCopy(job), attempt: 1 });
    setImmediate(() => this.pump());
  }

  /** Resolves once no job is queued, running or waiting to be retried. */
  drain(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops accepting jobs; those already queued still run (use `drain` to wait for them). */
  close(): void {
    this.closed = true;
  }

  private isIdle(): boolean {
    return this.ready.length === 0 && this.running === 0 && this.waiting === 0;
  }

  private pump(): void {
    while (this.running < this.concurrency && this.ready.length > 0) {
      const delivery = this.ready.shift()!;
      this.running += 1;
      void this.run(delivery).finally(() => {
        this.running -= 1;
        this.pump();
        if (this.isIdle()) this.idleWaiters.splice(0).forEach((resolve) => resolve());
      });
    }
  }

  private async run({ job, attempt }: Delivery): Promise<void> {
    try {
      await this.handler(job, attempt);
    } catch (error) {
      if (attempt < this.maxAttempts) {
        this.waiting += 1;
        setTimeout(() => {
          this.waiting -= 1;
          this.ready.push({ job, attempt: attempt + 1 });
          this.pump();
        }, this.backoff(attempt));
        return;
      }
      try {
        await this.onDeadLetter(job, error);
      } catch (deadLetterError) {
        this.logger.error('a job failed for good and could not be kept as a dead letter', {
          job: job.kind,
          attempts: attempt,
          error: error instanceof Error ? error.message : String(error),
          deadLetterError:
            deadLetterError instanceof Error ? deadLetterError.message : String(deadLetterError),
        });
      }
    }
  }
}
