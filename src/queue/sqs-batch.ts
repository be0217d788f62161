/**
 * SQS batches as the worker and ingest functions receive them: each record succeeds or fails alone
 * (ReportBatchItemFailures), so one bad message does not redo the batch. Apart from sqs.ts so that the
 * functions that only send jobs do not bundle the batch processor.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { errorMessage, type Logger } from '../observability/logger';
import type { Store } from '../store/store';
import type { TimeBudget } from './budget';
import type { AttemptEnd, Job, JobHandler } from './jobs';
import { parseJobBody } from './wire';

/**
 * Thrown for a record kept and reported on its last receive: the record is listed as failed, so SQS's
 * redrive policy moves it to the dead-letter queue (see `AttemptEnd`).
 */
export class HandedToDeadLetterQueue extends Error {
  constructor() {
    super('failed on its last receive: kept as a dead letter, reported, and left to the dead-letter queue');
    this.name = 'HandedToDeadLetterQueue';
  }
}

/** Answers an attempt's end to SQS: a record kept on its last receive goes on to the dead-letter queue. */
export function settleRecord(end: AttemptEnd | void): void {
  if (end === 'kept-on-last-attempt') throw new HandedToDeadLetterQueue();
}

/** One record of a batch, read. */
export type SqsJobMessage =
  | { messageId: string; ok: true; job: Job; attempt: number }
  | { messageId: string; ok: false; error: string; payload: unknown };

/** SQS's receive count of a record: 1 on its first delivery, maxReceiveCount on its last. */
export function receiveCount(record: SQSRecord): number {
  return Number(record.attributes.ApproximateReceiveCount) || 1;
}

/**
 * Reads one record. `attempt` is SQS's receive count; a record whose body is not a job carries the
 * reason (naming the field) and the body (parsed when it is JSON).
 */
export function parseSqsJob(record: SQSRecord): SqsJobMessage {
  const parsed = parseJobBody(record.body);
  return parsed.ok
    ? { messageId: record.messageId, ok: true, job: parsed.job, attempt: receiveCount(record) }
    : { messageId: record.messageId, ok: false, error: parsed.error, payload: parsed.payload };
}

/**
 * Runs `handleRecord` over a batch with Powertools' BatchProcessor and answers the records SQS should
 * deliver again: those whose handler threw. Records run one after another (Slack's pace per channel,
 * and each checks the time left before it starts); those closest to the dead-letter queue run first,
 * so the time goes to the records that cannot be given back.
 */
export async function processSqsBatch(
  event: SQSEvent,
  handleRecord: (record: SQSRecord) => Promise<void>,
): Promise<SQSBatchResponse> {
  const records = [...event.Records].sort((a, b) => receiveCount(b) - receiveCount(a));
  return processPartialResponse({ Records: records }, handleRecord, new BatchProcessor(EventType.SQS), {
    processInParallel: false,
    // A batch where every record failed is answered like any other: each record listed, no exception
    // (which Lambda would log and count as a function error).
    throwOnFullBatchFailure: false,
  });
}

export interface SqsBatchDeps {
  logger: Pick<Logger, 'warn' | 'error'>;
  store: Pick<Store, 'putDeadLetter'>;
}

/**
 * Runs `handler` over a batch of jobs (see `processSqsBatch`). A body that is not a job can never
 * succeed, so it is not retried: it is kept as a `rejected-job` dead letter (and retried only if even
 * that fails).
 *
 * @param budget in Lambda, the time each job may take (queue/budget.ts)
 */
export async function runSqsBatch(
  event: SQSEvent,
  handler: JobHandler,
  deps: SqsBatchDeps,
  budget?: TimeBudget,
): Promise<SQSBatchResponse> {
  return processSqsBatch(event, async (sqsRecord) => {
    const record = parseSqsJob(sqsRecord);
    const { messageId } = record;
    if (!record.ok) {
      try {
        await deps.store.putDeadLetter({
          kind: 'rejected-job',
          error: record.error,
          payload: record.payload,
        });
      } catch (error) {
        deps.logger.error('rejected job message could not be kept', {
          messageId,
          error: errorMessage(error),
        });
        throw error;
      }
      deps.logger.warn('job message rejected: kept as a dead letter', { messageId, error: record.error });
      return;
    }
    let end: AttemptEnd | void;
    try {
      end = await handler(record.job, record.attempt, budget);
    } catch (error) {
      deps.logger.warn('job failed: SQS will deliver it again', {
        messageId,
        job: record.job.kind,
        attempt: record.attempt,
        error: errorMessage(error),
      });
      throw error;
    }
    settleRecord(end);
  });
}
