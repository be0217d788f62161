/**
 * The jobs queue in AWS: SQS. Jobs are sent as JSON, validated before they leave, with their kind as a
 * message attribute (for filtering and metrics). The worker Lambda reads them back in batches
 * (sqs-batch.ts).
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { SQS_MAX_DELAY_SECONDS } from './delayed-jobs';
import type { DelayingQueue, Job } from './jobs';
import { serialiseJob } from './wire';

export interface SqsQueueOptions {
  client: SQSClient;
  queueUrl: string;
}

/** Sends jobs to an SQS queue. */
export class SqsQueue implements DelayingQueue {
  constructor(private readonly options: SqsQueueOptions) {}

  /** Sends one message; InvalidJobError (nothing sent) when the job would not pass the worker's validation. */
  async enqueue(job: Job): Promise<void> {
    await this.send(job, 0);
  }

  /** Sends one message that SQS holds back until `notBefore` (at most 15 minutes: a job due later runs early). */
  async enqueueAt(job: Job, notBefore: Date): Promise<void> {
    const seconds = Math.ceil((notBefore.getTime() - Date.now()) / 1000);
    await this.send(job, Math.min(SQS_MAX_DELAY_SECONDS, Math.max(0, seconds)));
  }

  private async send(job: Job, delaySeconds: number): Promise<void> {
    const body = serialiseJob(job);
    await this.options.client.send(
      new SendMessageCommand({
        QueueUrl: this.options.queueUrl,
        MessageBody: body,
        MessageAttributes: { kind: { DataType: 'String', StringValue: job.kind } },
        ...(delaySeconds ? { DelaySeconds: delaySeconds } : {}),
      }),
    );
  }
}
