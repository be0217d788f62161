/** Which job failures the worker retries. */
import { TheHiveError } from '../clients/thehive/client';
import { createCaseJob } from '../src/queue/jobs';
import { SlackDeliveryError } from '../src/slack/delivery';
import { isRetryable } from '../src/worker';

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
