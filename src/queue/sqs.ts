/**
 * The jobs queue in AWS: SQS. Jobs are sent as JSON, validated before they leave, with their kind as a
 * message attribute (for filtering and metrics). The worker Lambda reads them back in batches
 * (sqs-batch.ts).
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Job, Queue } from './jobs';
import { serialiseJob } from './wire';

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
