/**
 * Jobs that must wait ("no answer after 60 minutes"). The queue port has no delay, so this module
 * adds one beside it: in AWS a message to the jobs queue with SQS's `DelaySeconds`, which holds a
 * message back at most 15 minutes, so a longer wait hops (the job, run early, schedules itself again
 * until due); locally the local queue keeps the job in the store with the time it is due, so a
 * restart does not forget it.
 */
import type { QueueMessageSender } from '../../clients/aws-actions/sqs';
import type { DelayingQueue, Job, Queue } from './jobs';
import { wireCopy } from './wire';

/**
 * SQS's longest `DelaySeconds`: a job due later runs early (those that care reschedule themselves). Kept
 * here, not in the SQS adapter, so that the functions that only compute delays (the slack function's
 * triage listener) do not load the SQS client with it.
 */
export const SQS_MAX_DELAY_SECONDS = 900;

/** A job that carries the time it is due. */
export type DueJob = Extract<Job, { dueAt: string }>;

export interface DelayedJobs {
  /** Queues the job to run at `job.dueAt` (or at the longest delay the transport allows, whichever is first). */
  enqueueWhenDue(job: DueJob): Promise<void>;
}

/** How long to wait before running a job due at `dueAt`. */
export function msUntil(dueAt: string, now: Date): number {
  const due = Date.parse(dueAt);
  return Number.isNaN(due) ? 0 : Math.max(0, due - now.getTime());
}

/** AWS: the job goes to the jobs queue as the SQS adapter writes it (validated, as JSON), with a delay. */
export class SqsDelayedJobs implements DelayedJobs {
  constructor(
    private readonly sender: Pick<QueueMessageSender, 'send'>,
    private readonly queueUrl: string,
    private readonly now: () => Date,
  ) {}

  async enqueueWhenDue(job: DueJob): Promise<void> {
    const seconds = Math.min(SQS_MAX_DELAY_SECONDS, Math.ceil(msUntil(job.dueAt, this.now()) / 1000));
    await this.sender.send(this.queueUrl, wireCopy(job), seconds);
  }
}

/** Without `JOBS_QUEUE_URL`, a queue with no delay of its own cannot hold a job until it is due. */
export class NoDelayedJobsError extends Error {
  readonly code = 'NO_DELAYED_JOBS';
  constructor() {
    super('delayed jobs need JOBS_QUEUE_URL (AWS) or the local queue');
    this.name = 'NoDelayedJobsError';
  }
}

/** Local: the local queue keeps the job in the store and runs it when due, across restarts. */
export class LocalDelayedJobs implements DelayedJobs {
  constructor(
    private readonly queue: Queue | DelayingQueue,
    private readonly now: () => Date,
  ) {}

  /** The wait is measured on `now` (the use cases' clock), the timer on the wall clock. */
  async enqueueWhenDue(job: DueJob): Promise<void> {
    if (!('enqueueAt' in this.queue)) throw new NoDelayedJobsError();
    await this.queue.enqueueAt(job, new Date(Date.now() + msUntil(job.dueAt, this.now())));
  }
}
