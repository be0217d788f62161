/**
 * The worker: runs queued jobs (SQS in AWS, in-process locally), a table from each kind of job to its
 * use case. A job that fails is retried by the queue; on its last attempt, or when the failure cannot
 * heal (a 4xx from TheHive, a Slack `channel_not_found`), it is kept as a dead letter and its use case
 * reports the failure to people (queue/attempt.ts).
 */
import { ingestFinding } from '../alerts/ingest';
import { refreshDigest } from '../alerts/storm';
import { deliverIgnore } from '../alerts/ignore';
import { runLookup } from '../lookups/lookup';
import { fileReport, reportFailed } from '../report/report';
import { reportFingerprint } from '../report/report-content';
import { runResponseAction } from '../response-actions/response-actions';
import { askTriage, expireTriage, followUpTriage, triageAskFailed } from '../triage/triage';
import { copySlackMessage } from '../cases/conversation';
import { createCase, escalationFailed } from '../cases/escalate';
import { reconcile } from '../cases/reconcile';
import { applyCaseNotification } from '../cases/sync';
import { handleWebexEvent } from '../chat/webex/events';
import type { AnalystWorkerDeps, WorkerDeps } from '../wiring/deps';
import { runAttempt } from '../queue/attempt';
import { errorMessage } from '../observability/logger';
import type { Job, JobHandler, JobOf } from '../queue/jobs';

/** What runs each kind of job: one use case each (a new kind of job must name its own). */
const USE_CASES: {
  [K in Job['kind']]: (job: JobOf<K>, deps: AnalystWorkerDeps) => Promise<unknown>;
} = {
  ingest: (job, deps) => ingestFinding(job.finding, deps),
  'create-case': createCase,
  reconcile: (_job, deps) => reconcile(deps),
  'case-changed': (job, deps) => applyCaseNotification(job.change, deps),
  'ignore-followup': deliverIgnore,
  lookup: runLookup,
  'triage-ask': askTriage,
  'triage-followup': followUpTriage,
  'triage-timeout': expireTriage,
  'response-action': runResponseAction,
  'webex-event': handleWebexEvent,
  'refresh-digest': refreshDigest,
  'thread-message': async (job, deps) => {
    const outcome = await copySlackMessage(job.message, deps);
    deps.logger.info('thread message', { change: job.message.change, outcome });
  },
  report: fileReport,
};

async function run(job: Job, deps: AnalystWorkerDeps): Promise<void> {
  // The table is keyed by kind, so this job's entry takes this job (TypeScript cannot correlate the two).
  const useCase = USE_CASES[job.kind] as (job: Job, deps: AnalystWorkerDeps) => Promise<unknown>;
  await useCase(job, deps);
}

/** Tells people when a job has failed for good. */
async function reportFailure(job: Job, error: unknown, deps: WorkerDeps): Promise<void> {
  if (job.kind === 'create-case') await escalationFailed(job, error, deps);
  if (job.kind === 'report') await reportFailed(job, error, deps);
  if (job.kind === 'triage-ask') await triageAskFailed(job, error, deps);
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
    case 'refresh-digest':
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
    case 'report':
      return { fingerprint: reportFingerprint(job.message) };
    case 'case-changed':
    case 'reconcile':
    case 'webex-event':
    case 'thread-message':
      return {};
  }
}

/**
 * Builds the job handler for a queue adapter.
 *
 * @param deps what every use case is given, the analyst clients included (the composition root builds
 *   them: src/wiring/analyst-clients.ts)
 * @param maxAttempts the attempt on which a failure is final (the queue's own retry limit)
 */
export function createJobHandler(deps: AnalystWorkerDeps, maxAttempts: number): JobHandler {
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
 * click gets the failure in its thread and its button back; "was this you?" that could not be asked is
 * said in the alert's thread).
 */
export async function keepFailedJob(
  job: Job,
  error: unknown,
  deps: WorkerDeps,
  log: WorkerDeps['logger'] = deps.logger,
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
