/**
 * The worker: runs queued jobs (SQS in AWS, in-process locally). A job that fails is retried by the
 * queue; on its last attempt, or when the failure cannot heal (a 4xx from TheHive, a Slack
 * `channel_not_found`), it is kept as a dead letter and its use case reports the failure to people.
 */
import * as z from './zod';
import { TheHiveError } from '../clients/thehive/client';
import { ingestFinding } from './alerts/ingest';
import { withAnalystClients } from './analyst/clients';
import { deliverIgnore } from './analyst/ignore';
import { runLookup } from './analyst/lookup';
import { runResponseAction } from './analyst/response-actions';
import { askTriage, expireTriage, followUpTriage } from './analyst/triage';
import { copySlackMessage, copyTheHiveComment } from './cases/conversation';
import { createCase, escalationFailed } from './cases/escalate';
import { parseNotification } from './cases/notification';
import { reconcile } from './cases/reconcile';
import { applyCaseState, type SyncDeps } from './cases/sync';
import { OutOfTimeError, withDeadline, type TimeBudget } from './queue/budget';
import { errorMessage } from './logger';
import type { AttemptEnd, Job, JobHandler } from './queue/jobs';
import { SlackDeliveryError } from './slack/delivery';

/** Whether another attempt could succeed. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof TheHiveError || error instanceof SlackDeliveryError) return error.retryable;
  if (error instanceof z.$ZodError) return false;
  return true;
}

async function run(job: Job, deps: SyncDeps): Promise<void> {
  switch (job.kind) {
    case 'ingest':
      await ingestFinding(job.finding, deps);
      return;
    case 'create-case':
      await createCase(job, deps);
      return;
    case 'reconcile':
      await reconcile(deps);
      return;
    case 'case-changed': {
      const notification = parseNotification(job.notification);
      if (notification.kind === 'case') {
        const { theCase } = notification;
        const outcome = await applyCaseState(
          {
            caseId: theCase._id,
            theCase,
            updatedAt: theCase._updatedAt ?? theCase._createdAt ?? 0,
            actor: notification.actor,
            via: 'webhook',
          },
          deps,
        );
        deps.logger.info('case notification', { caseId: theCase._id, outcome });
      } else if (notification.kind === 'comment') {
        const outcome = await copyTheHiveComment({ ...notification, via: 'webhook' }, deps);
        deps.logger.info('case comment notification', { caseId: notification.caseId, outcome });
      } else if (notification.kind === 'case-gone') {
        await applyCaseState(
          {
            caseId: notification.caseId,
            gone: notification.action === 'delete' ? 'deleted' : 'merged',
            updatedAt: notification.at ?? deps.now().getTime(),
            actor: notification.actor,
            via: 'webhook',
          },
          deps,
        );
      } else {
        deps.logger.info('case notification ignored', {
          metric: 'thehive_notifications_ignored',
          reason: notification.kind === 'ignored' ? notification.reason : notification.error,
        });
      }
      return;
    }
    case 'ignore-followup':
      await deliverIgnore(job, deps);
      return;
    case 'lookup':
      await runLookup(job, withAnalystClients(deps));
      return;
    case 'triage-ask':
      await askTriage(job, withAnalystClients(deps));
      return;
    case 'triage-followup':
      await followUpTriage(job, withAnalystClients(deps));
      return;
    case 'triage-timeout':
      await expireTriage(job, withAnalystClients(deps));
      return;
    case 'response-action':
      await runResponseAction(job, withAnalystClients(deps));
      return;
    case 'thread-message': {
      const outcome = await copySlackMessage(job.message, deps);
      deps.logger.info('thread message', { change: job.message.change, outcome });
      return;
    }
  }
}

/** Tells people when a job has failed for good. */
async function reportFailure(job: Job, error: unknown, deps: SyncDeps): Promise<void> {
  if (job.kind === 'create-case') await escalationFailed(job, error, deps);
}

/**
 * What a job is about, for its log lines: the finding, or the "was this you?" question (the case id is
 * added by the use cases that learn it). Exhaustive, so a new kind of job decides what it names.
 */
export function correlationKeys(job: Job): { fingerprint?: string; triageId?: string } {
  switch (job.kind) {
    case 'ingest':
      return { fingerprint: job.finding.fingerprint };
    case 'create-case':
    case 'ignore-followup':
    case 'response-action':
      return { fingerprint: job.fingerprint };
    case 'lookup':
      return job.reply.to === 'thread' ? { fingerprint: job.reply.fingerprint } : {};
    case 'triage-ask':
      return {
        triageId: job.triageId,
        ...(job.request.origin === 'alert' ? { fingerprint: job.request.fingerprint } : {}),
      };
    case 'triage-followup':
    case 'triage-timeout':
      return { triageId: job.triageId };
    case 'case-changed':
    case 'reconcile':
    case 'thread-message':
      return {};
  }
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

/**
 * Builds the job handler for a queue adapter.
 *
 * @param maxAttempts the attempt on which a failure is final (the queue's own retry limit)
 */
export function createJobHandler(deps: SyncDeps, maxAttempts: number): JobHandler {
  return (job, attempt, budget) => {
    const log = deps.logger.createChild({
      persistentKeys: { job: job.kind, attempt, ...correlationKeys(job) },
    });
    return runAttempt(
      { attempt, maxAttempts, budget },
      {
        run: () => run(job, deps),
        failedForGood: (error) => keepFailedJob(job, error, deps, log),
        logFailure: (error, final) => log.warn('job failed', { error: errorMessage(error), final }),
      },
    );
  };
}

/**
 * A job that failed for good: kept as a dead letter, and the people waiting on it told (a Create Case
 * click gets the failure in its thread and its button back).
 */
export async function keepFailedJob(
  job: Job,
  error: unknown,
  deps: SyncDeps,
  log: SyncDeps['logger'] = deps.logger,
): Promise<void> {
  await deps.store.putDeadLetter({
    kind: `job:${job.kind}`,
    error: errorMessage(error),
    payload: job,
  });
  await reportFailure(job, error, deps).catch((reportError: unknown) =>
    log.error('failure could not be reported', { error: String(reportError) }),
  );
}
