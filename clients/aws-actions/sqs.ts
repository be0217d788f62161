/**
 * One JSON message to an SQS queue: how a SIEM learns what a user answered to "was this you?"
 * (the MozDef triage bot's pattern: the SIEM reads the queue).
 */
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { AwsActionError, fromSdkError } from './errors';

/** The region in an SQS queue URL (`https://sqs.eu-west-1.amazonaws.com/111122223333/siem`). */
export function regionOfQueue(queueUrl: string): string | undefined {
  return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\//.exec(queueUrl)?.[1];
}

export class QueueMessageSender {
  private readonly clients = new Map<string, SQSClient>();

  constructor(private readonly defaultRegion = 'us-east-1') {}

  /** Sends `body` as JSON, held back `delaySeconds` (SQS allows 0–900); resolves to SQS's message id. */
  async send(queueUrl: string, body: unknown, delaySeconds?: number): Promise<string> {
    const region = regionOfQueue(queueUrl) ?? this.defaultRegion;
    let response;
    try {
      response = await this.client(region).send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(body),
          ...(delaySeconds === undefined
            ? {}
            : { DelaySeconds: Math.min(900, Math.max(0, Math.ceil(delaySeconds))) }),
        }),
      );
    } catch (error) {
      throw fromSdkError(`SQS ${queueUrl}`, error);
    }
    if (!response.MessageId) throw new AwsActionError('aws-error', `SQS ${queueUrl}: no message id returned`);
    return response.MessageId;
  }

  private client(region: string): SQSClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new SQSClient({ region, maxAttempts: 3 });
      this.clients.set(region, client);
    }
    return client;
  }
}
