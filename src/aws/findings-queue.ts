/**
 * The findings queue: each message is one EventBridge event (GuardDuty or Security Hub) delivered by
 * the rules in serverless.yml. Records run one after another (Slack's per-channel pace), each within
 * its time budget; a record that fails and may heal is reported back to SQS alone, so the rest of the
 * batch is not redone.
 */
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ingestEvent, type PrefetchedAlerts } from '../alerts/ingest';
import { parseEvent, type ParseResult } from '../findings/parse';
import type { IngestDeps } from '../wiring/deps';
import { errorMessage } from '../observability/logger';
import type { AttemptEnd } from '../queue/jobs';
import { processSqsBatch, receiveCount, settleRecord } from '../queue/sqs-batch';
import { runAttempt, type Attempt } from '../queue/attempt';

/** The payload kept for a dead letter: the store's items are capped at 400 KB. */
const DEAD_LETTER_PAYLOAD_LIMIT = 256 * 1024;

/** A record's body read before the batch runs: its event, and the findings in it (unless parsing threw). */
interface ReadRecord {
  event: unknown;
  parsed?: ParseResult;
}

/** Reads each record's event; undefined for a body that is not JSON (dead-lettered when it runs). */
function readRecords(event: SQSEvent): Map<SQSRecord, ReadRecord | undefined> {
  return new Map(
    event.Records.map((record): [SQSRecord, ReadRecord | undefined] => {
      let body: unknown;
      try {
        body = JSON.parse(record.body);
      } catch {
        return [record, undefined];
      }
      try {
        return [record, { event: body, parsed: parseEvent(body) }];
      } catch {
        // Parsed again in its attempt, whose failure is then reported like any other.
        return [record, { event: body }];
      }
    }),
  );
}

/**
 * The batch's alerts in one BatchGetItem instead of a GetItem per finding. When that read fails, each
 * finding reads its own alert (and fails alone if the store is down).
 */
async function prefetchAlerts(
  read: Map<SQSRecord, ReadRecord | undefined>,
  deps: IngestDeps,
): Promise<PrefetchedAlerts> {
  const fingerprints = [...read.values()].flatMap(
    (entry) => entry?.parsed?.findings.map((finding) => finding.fingerprint) ?? [],
  );
  if (fingerprints.length === 0) return new Map();
  try {
    return await deps.store.getAlerts(fingerprints);
  } catch (error) {
    deps.logger.warn('alerts of the batch not read at once: read one by one', { error: errorMessage(error) });
    return new Map();
  }
}

async function ingestRecord(
  record: SQSRecord,
  read: ReadRecord | undefined,
  deps: IngestDeps,
  attempt: Attempt,
  prefetched: PrefetchedAlerts,
): Promise<AttemptEnd> {
  const { logger } = deps;
  if (!read) {
    // Another try reads the same bytes: keep it and move on.
    await deps.store.putDeadLetter({
      kind: 'rejected-finding',
      error: 'body: not JSON',
      payload: record.body.slice(0, DEAD_LETTER_PAYLOAD_LIMIT),
    });
    logger.warn('findings message is not JSON: dead-lettered');
    return 'done';
  }
  const { event, parsed } = read;
  return runAttempt(attempt, {
    run: async () => {
      const result = await ingestEvent(event, deps, { parsed, prefetched });
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
  deps: IngestDeps,
  options: Omit<Attempt, 'attempt'>,
): Promise<SQSBatchResponse> {
  const read = readRecords(event);
  const prefetched = await prefetchAlerts(read, deps);
  return processSqsBatch(event, async (record) => {
    const attempt = receiveCount(record);
    // The record's keys are appended to the invocation's one logger and removed after it, not put on a
    // child logger: building a Powertools logger re-reads the environment, a cost paid per record.
    // Records run one after another, so no other record's lines can carry them.
    deps.logger.appendKeys({ messageId: record.messageId, attempt });
    let end: AttemptEnd;
    try {
      end = await ingestRecord(record, read.get(record), deps, { ...options, attempt }, prefetched);
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
