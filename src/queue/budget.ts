/**
 * Time budgets for queued work in Lambda. AWS stops a function at its timeout; a record cut off there
 * is neither reported failed nor kept, so the whole batch comes back, and after maxReceiveCount it sits
 * in the SQS dead-letter queue with nobody told. So every record of the worker and the ingest function:
 * - starts only if the time left covers its run budget plus its report budget; otherwise it is given
 *   back to SQS (or, on its last receive, fails for good at once: kept and reported);
 * - runs under a deadline at its run budget, at which TheHive's and Slack's retries stop;
 * - reports a failure for good (dead letter, thread reply) under a deadline of its own.
 *
 * The budgets are set from the function's timeout, not the timeout from them: the timeout is the one
 * number AWS enforces, so raising or lowering it in serverless.yml cannot break the rule. A record may
 * run for half of it (60 s → 30 s: up to three TheHive attempts of 10 s, or three Slack attempts), and a
 * fifth is kept to keep and report a failure (12 s).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';

/** Share of the function's timeout one record may run for. */
const RUN_SHARE = 0.5;
/**
 * Share of the function's timeout kept after a record's run to keep and report its failure: at 60 s,
 * room for the store's writes and one full Slack attempt (10 s) of the thread reply.
 */
const REPORT_SHARE = 0.2;

/** The time one record may take in this invocation. */
export interface TimeBudget {
  /** Longest a record may run: its TheHive and Slack calls stop retrying at this deadline. */
  runMs: number;
  /** Time kept after the run to keep a failure and tell people. */
  reportMs: number;
  /** Time left before AWS stops the function. */
  timeLeftMs(): number;
}

/**
 * The budget of each record of an invocation. Call it first thing in the handler: the time left then
 * is the function's timeout.
 */
export function invocationBudget(context: Pick<Context, 'getRemainingTimeInMillis'>): TimeBudget {
  const timeoutMs = context.getRemainingTimeInMillis();
  return {
    runMs: Math.floor(timeoutMs * RUN_SHARE),
    reportMs: Math.floor(timeoutMs * REPORT_SHARE),
    timeLeftMs: () => context.getRemainingTimeInMillis(),
  };
}

/** A record was not started: what is left of the function's time cannot cover it. */
export class OutOfTimeError extends Error {
  constructor(
    readonly leftMs: number,
    readonly neededMs: number,
  ) {
    super(
      `Hivewire ran out of time before it could try (${(leftMs / 1000).toFixed(1)} s left, a try needs ${(neededMs / 1000).toFixed(1)} s)`,
    );
    this.name = 'OutOfTimeError';
  }
}

// The deadline travels with the async work of its record, so every TheHive and Slack call made for the
// record, however deep in a use case, sees it without each use case passing a signal along.
const deadlines = new AsyncLocalStorage<AbortSignal>();

/** The deadline of the record this code runs for, if it has one. */
export function currentDeadline(): AbortSignal | undefined {
  return deadlines.getStore();
}

/** Runs `work` under a deadline `ms` from now (see `currentDeadline`). */
export function withDeadline<T>(ms: number, work: () => Promise<T>): Promise<T> {
  return deadlines.run(AbortSignal.timeout(ms), work);
}
