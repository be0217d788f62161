/** Which job failures the worker retries, and what its log lines name. */
import { TheHiveError } from '../clients/thehive/client';
import { createCaseJob, type JobOf } from '../src/queue/jobs';
import { SlackDeliveryError } from '../src/slack/delivery';
import { correlationKeys, isRetryable } from '../src/worker';

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
