/**
 * The jobs queue in AWS: SQS. Jobs are sent as JSON, validated before they leave, with their kind as a
 * message attribute (for filtering and metrics). The worker Lambda reads them back in batches; each
 * record succeeds or fails alone (ReportBatchItemFailures), so one bad job does not redo the batch.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { Logger } from '../logger';
import type { Store } from '../store/store';
import type { Job, JobHandler, Queue } from './jobs';
import { parseJobBody, serialiseJob } from './wire';

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
}

/** Sends jobs to an SQS queue. */
export class SqsQueue implements Queue {
  constructor(private readonly options: SqsQueueOptions) {}

  /** Sends one message; InvalidJobError (nothing sent) when the job would not pass the worker's validation. */
  async enqueue(job: Job): Promise<void> {
    const body = serialiseJob(job);
    await this.options.client.send(
      new SendMessageCommand({
        QueueUrl: this.options.queueUrl,
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
      }),
    );
  }
}

/** One record of a batch, read. */
export type SqsJobMessage =
  | { messageId: string; ok: true; job: Job; attempt: number }
  | { messageId: string; ok: false; error: string; payload: unknown };

/**
 * Reads the records of a batch. `attempt` is SQS's receive count; a record whose body is not a job
 * carries the reason (naming the field) and the body (parsed when it is JSON).
 */
export function parseSqsJobs(event: SQSEvent): SqsJobMessage[] {
  return event.Records.map((record) => {
    const parsed = parseJobBody(record.body);
    return parsed.ok
      ? {
          messageId: record.messageId,
          ok: true,
          job: parsed.job,
          attempt: Number(record.attributes.ApproximateReceiveCount) || 1,
        }
      : { messageId: record.messageId, ok: false, error: parsed.error, payload: parsed.payload };
  });
}

export interface SqsBatchDeps {
  logger: Pick<Logger, 'warn' | 'error'>;
  store: Pick<Store, 'putDeadLetter'>;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs `handler` over a batch, one record after another, and answers the records SQS should deliver
 * again: those whose handler threw. A body that is not a job can never succeed, so it is not retried:
 * it is kept as a `rejected-job` dead letter (and retried only if even that fails).
 */
export async function runSqsBatch(
  event: SQSEvent,
  handler: JobHandler,
  deps: SqsBatchDeps,
): Promise<SQSBatchResponse> {
  const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
  for (const record of parseSqsJobs(event)) {
    const { messageId } = record;
    if (!record.ok) {
      try {
        await deps.store.putDeadLetter({
          kind: 'rejected-job',
          error: record.error,
          payload: record.payload,
        });
        deps.logger.warn('job message rejected: kept as a dead letter', { messageId, error: record.error });
      } catch (error) {
        deps.logger.error('rejected job message could not be kept', { messageId, error: message(error) });
        batchItemFailures.push({ itemIdentifier: messageId });
      }
      continue;
    }
    try {
      await handler(record.job, record.attempt);
    } catch (error) {
      deps.logger.warn('job failed: SQS will deliver it again', {
        messageId,
        job: record.job.kind,
        attempt: record.attempt,
        error: message(error),
      });
      batchItemFailures.push({ itemIdentifier: messageId });
    }
  }
  return { batchItemFailures };
}
