/**
 * One attempt at queued work, the same for every queue (SQS jobs and findings in AWS, the in-process
 * queue locally): retry what another attempt may heal, keep and report what it cannot.
 */
import { isAxiosError } from 'axios';
import * as z from '../validation/zod';
import { TheHiveError } from '../../clients/thehive/client';
import { WebexError } from '../../clients/webex/client';
import { OutOfTimeError, withDeadline, type TimeBudget } from './budget';
import type { AttemptEnd } from './jobs';
import { SlackDeliveryError } from '../slack/delivery';

/** Whether another attempt could succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TheHiveError || error instanceof SlackDeliveryError) return error.retryable;
  if (error instanceof z.$ZodError) return false;
  // Webex refusing the request (a 4xx other than 429) says the same next time.
  if (error instanceof WebexError)
    return error.status === undefined || error.status === 429 || error.status >= 500;
  // The same for a service reached through axios by its SDK (the Teams Bot Connector): its refusal
  // stands, a throttle, timeout or server failure may pass.
  if (isAxiosError(error)) {
    const status = error.response?.status;
    return status === undefined || status === 408 || status === 429 || status >= 500;
  }
  return true;
}

/** One delivery of queued work: which receive it is, and the time it may take. */
export interface Attempt {
  /** The receive count, 1-based. */
  attempt: number;
  /** The attempt on which a failure is final (the queue's own retry limit: SQS's maxReceiveCount). */
  maxAttempts: number;
  /** In Lambda: the time the attempt may take (queue/budget.ts). */
  budget?: TimeBudget;
}

/**
 * Runs one attempt at queued work. A failure another attempt may heal is thrown, for the queue to
 * deliver the work again. On the last attempt, or a failure no retry fixes, `failedForGood` keeps the
 * work and tells people, and the attempt ends without error. With a budget, work that cannot finish in
 * the time left is not started: that too is a failure, retried, or final on the last attempt, since
 * giving the work back then unkept would send it to the SQS dead-letter queue with nothing kept or said.
 */
export async function runAttempt(
  { attempt, maxAttempts, budget }: Attempt,
  work: {
    run: () => Promise<void>;
    failedForGood: (error: unknown) => Promise<void>;
    /** Logs a failure; `final` tells whether it is for good. */
    logFailure: (error: unknown, final: boolean) => void;
  },
): Promise<AttemptEnd> {
  try {
    if (budget) {
      const neededMs = budget.runMs + budget.reportMs;
      const leftMs = budget.timeLeftMs();
      if (leftMs < neededMs) throw new OutOfTimeError(leftMs, neededMs);
      await withDeadline(budget.runMs, work.run);
    } else {
      await work.run();
    }
    return 'done';
  } catch (error) {
    const lastAttempt = attempt >= maxAttempts;
    const final = lastAttempt || !isRetryable(error);
    work.logFailure(error, final);
    if (!final) throw error;
    await (budget
      ? withDeadline(budget.reportMs, () => work.failedForGood(error))
      : work.failedForGood(error));
    return lastAttempt ? 'kept-on-last-attempt' : 'done';
  }
}
