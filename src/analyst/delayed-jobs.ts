/**
 * Jobs that must wait ("no answer after 60 minutes"). The queue port has no delay, so this module
 * adds one beside it: in AWS a message to the jobs queue with SQS's `DelaySeconds`, which holds a
 * message back at most 15 minutes, so a longer wait hops (the job, run early, schedules itself again
 * until due); locally a timer that enqueues the job on the in-process queue, which lives as long as
 * the process does (a restart forgets pending timeouts; the questions themselves stay answerable).
 */
import type { Job, Queue } from '../queue/jobs';
import { wireCopy } from '../queue/wire';
import type { QueueMessageSender } from '../../clients/aws-actions/sqs';

/** SQS's longest `DelaySeconds`. */
export const SQS_MAX_DELAY_SECONDS = 900;
/** setTimeout's longest delay (about 24.8 days); a longer wait hops like SQS's. */
const TIMER_MAX_MS = 2_147_483_647;

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

/** Local: a timer that enqueues the job on the in-process queue when it is due. */
export class TimerDelayedJobs implements DelayedJobs {
  constructor(
    private readonly queue: Queue,
    private readonly now: () => Date,
    private readonly onError: (error: unknown) => void,
  ) {}

  async enqueueWhenDue(job: DueJob): Promise<void> {
    const wait = Math.min(TIMER_MAX_MS, msUntil(job.dueAt, this.now()));
    const timer = setTimeout(() => {
      this.queue.enqueue(job).catch(this.onError);
    }, wait);
    // A pending timeout must not keep a finished process (a CLI run, a test) alive.
    timer.unref();
  }
}
