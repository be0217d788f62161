/**
 * The findings queue: each message is one EventBridge event (GuardDuty or Security Hub) delivered by
 * the rules in serverless.yml. Records run one after another (Slack's per-channel pace); a record that
 * fails and may heal is reported back to SQS alone, so the rest of the batch is not redone.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestEvent } from '../alerts/ingest';
import type { Deps } from '../deps';
import { isRetryable } from '../worker';

/** The payload kept for a dead letter: the store's items are capped at 400 KB. */
const DEAD_LETTER_PAYLOAD_LIMIT = 256 * 1024;

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function ingestRecord(record: SQSRecord, deps: Deps, maxAttempts: number): Promise<'done' | 'retry'> {
  const attempt = Number(record.attributes.ApproximateReceiveCount) || 1;
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
  try {
    const result = await ingestEvent(event, deps);
    logger.info('findings event ingested', {
      outcomes: result.results.map(({ fingerprint, outcome }) => ({ fingerprint, outcome })),
      skipped: result.skipped.length,
      rejected: result.rejected.length,
    });
    return 'done';
  } catch (error) {
    const final = attempt >= maxAttempts || !isRetryable(error);
    logger.warn('findings event failed', { error: errorMessage(error), final });
    if (!final) return 'retry';
    await deps.store.putDeadLetter({ kind: 'failed-finding', error: errorMessage(error), payload: event });
    return 'done';
  }
}

/**
 * Ingests a batch from the findings queue.
 *
 * @param maxAttempts the receive on which a failure is final (the queue's maxReceiveCount): the event
 *   is then kept as a dead letter in the store instead of being retried
 * @returns the records SQS should deliver again (a failure to even keep a dead letter is one of them,
 *   so after maxReceiveCount it lands in the findings DLQ and its alarm)
 */
export async function ingestFindingsBatch(
  event: SQSEvent,
  deps: Deps,
  maxAttempts: number,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    // The record's keys are appended to the invocation's one logger and removed after it, not put on a
    // child logger: building a Powertools logger re-reads the environment, a cost paid per record.
    // Records run one after another, so no other record's lines can carry them.
    deps.logger.appendKeys({
      messageId: record.messageId,
      attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
    });
    try {
      if ((await ingestRecord(record, deps, maxAttempts)) === 'retry')
        batchItemFailures.push({ itemIdentifier: record.messageId });
    } catch (error) {
      deps.logger.error('findings message could not be handled', { error: errorMessage(error) });
      batchItemFailures.push({ itemIdentifier: record.messageId });
    } finally {
      deps.logger.removeKeys(['messageId', 'attempt']);
    }
  }
  return { batchItemFailures };
}
