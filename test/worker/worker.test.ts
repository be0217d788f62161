/** Which job failures the worker retries, what its log lines name, and how an attempt uses its time. */
import { TheHiveError } from '../../clients/thehive/client';
import { currentDeadline, OutOfTimeError, type TimeBudget } from '../../src/queue/budget';
import { createCaseJob, type JobOf } from '../../src/queue/jobs';
import { SlackDeliveryError } from '../../src/slack/delivery';
import { AxiosError, AxiosHeaders, type AxiosResponse } from 'axios';
import { isRetryable, runAttempt } from '../../src/queue/attempt';
import { correlationKeys } from '../../src/worker/worker';

function parseFailure(): unknown {
  try {
    createCaseJob.parse({ kind: 'create-case' });
  } catch (error) {
    return error;
  }
  throw new Error('parsed');
}

describe('isRetryable', () => {
  it('never retries a value that failed its schema: another attempt parses the same value', () => {
    expect(isRetryable(parseFailure())).toBe(false);
  });

  it('follows what TheHive and Slack errors say of themselves', () => {
    const theHive = (retryable: boolean) =>
      new TheHiveError({ message: 'm', method: 'POST', path: '/api/v1/alert', retryable, attempts: 1 });
    expect(isRetryable(theHive(true))).toBe(true);
    expect(isRetryable(theHive(false))).toBe(false);
    expect(isRetryable(new SlackDeliveryError('chat.postMessage', 'ratelimited', true))).toBe(true);
    expect(isRetryable(new SlackDeliveryError('chat.postMessage', 'channel_not_found', false))).toBe(false);
  });

  it('follows the HTTP status of a service reached through axios (the Teams Bot Connector)', () => {
    const refused = (status?: number) =>
      new AxiosError(
        `Request failed with status code ${status}`,
        status === undefined ? 'ECONNRESET' : 'ERR_BAD_REQUEST',
        undefined,
        undefined,
        status === undefined
          ? undefined
          : ({
              status,
              statusText: '',
              headers: {},
              config: { headers: new AxiosHeaders() },
              data: {},
            } as AxiosResponse),
      );
    expect([404, 403, 400].map((status) => isRetryable(refused(status)))).toEqual([false, false, false]);
    expect([408, 429, 500, 503, undefined].map((status) => isRetryable(refused(status)))).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
  });

  it('retries anything else, which may be a passing outage', () => {
    expect(isRetryable(new Error('socket hang up'))).toBe(true);
  });
});

describe('correlationKeys', () => {
  const at = '2026-11-25T05:00:00.000Z';
  const lookup = (reply: JobOf<'lookup'>['reply']): JobOf<'lookup'> => ({
    kind: 'lookup',
    targets: [{ dataType: 'ip', value: '198.51.100.23' }],
    userId: 'U0A',
    reply,
    requestedAt: at,
  });
  it('names the finding a job is about, wherever the job keeps it', () => {
    expect(
      correlationKeys({ kind: 'create-case', fingerprint: 'gd-1', userId: 'U0A', requestedAt: at }),
    ).toEqual({
      fingerprint: 'gd-1',
    });
    expect(correlationKeys(lookup({ to: 'thread', fingerprint: 'gd-2' }))).toEqual({ fingerprint: 'gd-2' });
    expect(
      correlationKeys({
        kind: 'triage-ask',
        triageId: 't-1',
        request: { origin: 'alert', fingerprint: 'gd-3', requestedBy: 'auto' },
        requestedAt: at,
      }),
    ).toEqual({ triageId: 't-1', fingerprint: 'gd-3' });
  });

  it('names nothing it does not know', () => {
    expect(
      correlationKeys(lookup({ to: 'response-url', url: 'https://hooks.slack.com/commands/T0/1/x' })),
    ).toEqual({});
    expect(correlationKeys({ kind: 'reconcile', requestedAt: at })).toEqual({});
  });
});

describe('runAttempt', () => {
  /** A budget as a 60-second function gives it, with `leftMs` of the function's time left. */
  const budget = (leftMs: number): TimeBudget => ({
    runMs: 30_000,
    reportMs: 12_000,
    timeLeftMs: () => leftMs,
  });

  function work(run: () => Promise<void>) {
    const calls = { failedForGood: [] as unknown[], logged: [] as [string, boolean][] };
    return {
      calls,
      work: {
        run,
        failedForGood: async (error: unknown) => {
          calls.failedForGood.push(error);
        },
        logFailure: (error: unknown, final: boolean) =>
          calls.logged.push([error instanceof Error ? error.name : String(error), final]),
      },
    };
  }

  it('does not start work the time left cannot cover, and gives it back', async () => {
    const run = jest.fn(async () => undefined);
    const { calls, work: attemptWork } = work(run);
    const attempt = runAttempt({ attempt: 1, maxAttempts: 5, budget: budget(41_999) }, attemptWork);
    await expect(attempt).rejects.toEqual(new OutOfTimeError(41_999, 42_000));
    expect(run).not.toHaveBeenCalled();
    expect(calls).toEqual({ failedForGood: [], logged: [['OutOfTimeError', false]] });
  });

  it('on the last attempt, work that cannot start fails for good: kept and reported, then left to the DLQ', async () => {
    const run = jest.fn(async () => undefined);
    const { calls, work: attemptWork } = work(run);
    await expect(
      runAttempt({ attempt: 5, maxAttempts: 5, budget: budget(10_000) }, attemptWork),
    ).resolves.toBe('kept-on-last-attempt');
    expect(run).not.toHaveBeenCalled();
    expect(calls.failedForGood).toEqual([new OutOfTimeError(10_000, 42_000)]);
    expect(calls.logged).toEqual([['OutOfTimeError', true]]);
  });

  it('runs the work under a deadline, and reports a failure for good under a fresh one', async () => {
    const seen: { run?: AbortSignal; report?: AbortSignal } = {};
    const attempt = runAttempt(
      { attempt: 5, maxAttempts: 5, budget: budget(42_000) },
      {
        run: async () => {
          seen.run = currentDeadline();
          throw new Error('TheHive is down');
        },
        failedForGood: async () => {
          seen.report = currentDeadline();
        },
        logFailure: () => undefined,
      },
    );
    await expect(attempt).resolves.toBe('kept-on-last-attempt');
    expect(seen.run).toBeInstanceOf(AbortSignal);
    expect(seen.report).toBeInstanceOf(AbortSignal);
    expect(seen.report).not.toBe(seen.run);
    expect(currentDeadline()).toBeUndefined();
  });

  it('a failure no retry fixes, before the last attempt, is kept and reported and ends the work there', async () => {
    const { calls, work: attemptWork } = work(async () => {
      throw parseFailure();
    });
    await expect(runAttempt({ attempt: 1, maxAttempts: 5 }, attemptWork)).resolves.toBe('done');
    expect(calls.failedForGood).toHaveLength(1);
  });

  it('work that succeeds is done', async () => {
    const { calls, work: attemptWork } = work(async () => undefined);
    await expect(
      runAttempt({ attempt: 5, maxAttempts: 5, budget: budget(42_000) }, attemptWork),
    ).resolves.toBe('done');
    expect(calls.failedForGood).toEqual([]);
  });

  it('without a budget (the local queue) runs the work with no deadline', async () => {
    let deadline: AbortSignal | undefined = AbortSignal.abort();
    const { work: attemptWork } = work(async () => {
      deadline = currentDeadline();
    });
    await runAttempt({ attempt: 1, maxAttempts: 5 }, attemptWork);
    expect(deadline).toBeUndefined();
  });
});
