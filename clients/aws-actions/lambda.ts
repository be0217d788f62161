/**
 * Response actions backed by a Lambda function: a synchronous `Invoke` with the finding as JSON. The
 * client is built for the function's own region (taken from its ARN), since Lambda only answers for
 * functions in the region it is called in.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AwsActionError, fromSdkError } from './errors';

/** How much of a function's answer is kept for the thread and the audit. */
export const LAMBDA_RESULT_LIMIT = 1_000;

/** What came back from a successful invocation. */
export interface LambdaInvocationResult {
  statusCode: number;
  /** The function's answer as text, truncated to LAMBDA_RESULT_LIMIT characters. */
  payload: string;
  executedVersion?: string;
}

/** The region in a Lambda function ARN (`arn:aws:lambda:eu-west-1:111122223333:function:isolate`). */
export function regionOfFunction(functionArn: string): string | undefined {
  return /^arn:aws[a-z-]*:lambda:([a-z0-9-]+):\d{12}:function:/.exec(functionArn)?.[1];
}

export class LambdaInvoker {
  private readonly clients = new Map<string, LambdaClient>();

  /** @param defaultRegion the region for functions named without an ARN */
  constructor(private readonly defaultRegion = 'us-east-1') {}

  /** Invokes the function and waits for its answer; throws AwsActionError when AWS or the function fails. */
  async invoke(functionArn: string, payload: unknown): Promise<LambdaInvocationResult> {
    const region = regionOfFunction(functionArn) ?? this.defaultRegion;
    let response;
    try {
      response = await this.client(region).send(
        new InvokeCommand({
          FunctionName: functionArn,
          InvocationType: 'RequestResponse',
          Payload: new TextEncoder().encode(JSON.stringify(payload)),
        }),
      );
    } catch (error) {
      throw fromSdkError(`Lambda ${functionArn}`, error);
    }
    const text = response.Payload ? new TextDecoder().decode(response.Payload) : '';
    if (response.FunctionError) {
      let message = response.FunctionError;
      try {
        const parsed = JSON.parse(text) as { errorType?: unknown; errorMessage?: unknown };
        if (typeof parsed.errorMessage === 'string')
          message = `${typeof parsed.errorType === 'string' ? `${parsed.errorType}: ` : ''}${parsed.errorMessage}`;
      } catch {
        // The function's error payload is not JSON: keep Lambda's own classification.
      }
      throw new AwsActionError(
        'function-error',
        `Lambda ${functionArn} failed: ${message.slice(0, LAMBDA_RESULT_LIMIT)}`,
      );
    }
    return {
      statusCode: response.StatusCode ?? 200,
      payload: text.slice(0, LAMBDA_RESULT_LIMIT),
      executedVersion: response.ExecutedVersion,
    };
  }

  private client(region: string): LambdaClient {
    let client = this.clients.get(region);
    if (!client) {
      client = new LambdaClient({ region, maxAttempts: 2 });
      this.clients.set(region, client);
    }
    return client;
  }
}
