/**
 * The findings queue: each message is one EventBridge event (GuardDuty or Security Hub) delivered by
 * the rules in serverless.yml. Records run one after another (Slack's per-channel pace), each within
 * its time budget; a record that fails and may heal is reported back to SQS alone, so the rest of the
 * batch is not redone.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestEvent } from '../alerts/ingest';
import type { Deps } from '../deps';
import { errorMessage } from '../logger';
import type { AttemptEnd } from '../queue/jobs';
import { processSqsBatch, receiveCount, settleRecord } from '../queue/sqs-batch';
import { runAttempt, type Attempt } from '../queue/attempt';

/** The payload kept for a dead letter: the store's items are capped at 400 KB. */
const DEAD_LETTER_PAYLOAD_LIMIT = 256 * 1024;

async function ingestRecord(record: SQSRecord, deps: Deps, attempt: Attempt): Promise<AttemptEnd> {
  const { logger } = deps;
  let event: unknown;
  try {
    event = JSON.parse(record.body);
  } catch {
    // Another try reads the same bytes: keep it and move on.
    await deps.store.putDeadLetter({
      kind: 'rejected-finding',
      error: 'body: not JSON',
      payload: record.body.slice(0, DEAD_LETTER_PAYLOAD_LIMIT),
    });
    logger.warn('findings message is not JSON: dead-lettered');
    return 'done';
  }
  return runAttempt(attempt, {
    run: async () => {
      const result = await ingestEvent(event, deps);
      logger.info('findings event ingested', {
        outcomes: result.results.map(({ fingerprint, outcome }) => ({ fingerprint, outcome })),
        skipped: result.skipped.length,
        rejected: result.rejected.length,
      });
    },
    failedForGood: async (error) => {
      await deps.store.putDeadLetter({ kind: 'failed-finding', error: errorMessage(error), payload: event });
    },
    logFailure: (error, final) => logger.warn('findings event failed', { error: errorMessage(error), final }),
  });
}

/**
 * Ingests a batch from the findings queue.
 *
 * @param options.maxAttempts the receive on which a failure is final (the queue's maxReceiveCount):
 *   the event is then kept as a dead letter in the store instead of being retried
 * @param options.budget in Lambda, the time each event may take (queue/budget.ts)
 * @returns the records SQS should deliver again, and those kept on their last receive (which SQS then
 *   moves to the findings DLQ, where its alarm fires)
 */
export async function ingestFindingsBatch(
  event: SQSEvent,
  deps: Deps,
  options: Omit<Attempt, 'attempt'>,
): Promise<SQSBatchResponse> {
  return processSqsBatch(event, async (record) => {
    const attempt = receiveCount(record);
    // The record's keys are appended to the invocation's one logger and removed after it, not put on a
    // child logger: building a Powertools logger re-reads the environment, a cost paid per record.
    // Records run one after another, so no other record's lines can carry them.
    deps.logger.appendKeys({ messageId: record.messageId, attempt });
    let end: AttemptEnd;
    try {
      end = await ingestRecord(record, deps, { ...options, attempt });
    } catch (error) {
      deps.logger.warn('findings message not done: SQS will deliver it again', {
        error: errorMessage(error),
      });
      throw error;
    } finally {
      deps.logger.removeKeys(['messageId', 'attempt']);
    }
    settleRecord(end);
  });
}
