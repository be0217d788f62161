/**
 * What AWS hands the handlers in these tests: API Gateway HTTP API (payload 2.0), SQS and schedule
 * events, a Lambda context; and the AWS APIs the handlers call (SSM, SQS) mocked at the HTTP layer.
 */
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { APIGatewayProxyEventV2, Context, ScheduledEvent, SQSEvent } from 'aws-lambda';
import nock from 'nock';
import '../helpers/restore-nock';

export const REGION = 'us-east-1';
export const ACCOUNT = '111122223333';
export const STAGE = 'test';
export const JOBS_QUEUE_URL = `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/hivewire-${STAGE}-jobs`;

/** The secrets in SSM for these tests, by parameter name. */
export const SECRETS: Record<string, string> = {
  [`/hivewire/${STAGE}/slack-bot-token`]: 'xoxb-handler-test',
  [`/hivewire/${STAGE}/slack-signing-secret`]: 'handler-test-signing-secret',
  [`/hivewire/${STAGE}/thehive-api-key`]: 'handler-test-thehive-key',
  [`/hivewire/${STAGE}/thehive-webhook-secret`]: 'handler-test-webhook-secret',
  [`/hivewire/${STAGE}/ingest-secret`]: 'handler-test-ingest-secret',
};

/**
 * The environment serverless.yml gives a function (shared variables plus its own `*_PARAM`s), pointing
 * DynamoDB at the local table.
 */
export function functionEnvironment(
  params: string[],
  dynamoEndpoint: string,
  tableName: string,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL_DYNAMODB: dynamoEndpoint,
    TABLE_NAME: tableName,
    JOBS_QUEUE_URL,
    JOB_MAX_ATTEMPTS: '5',
    THEHIVE_URL: 'https://thehive.example.com',
    THEHIVE_ORGANISATION: '',
    SLACK_ALERT_CHANNEL: 'C0SECOPS',
    SEVERITY_THRESHOLD: 'MEDIUM',
    HIVEWIRE_CONFIG_PARAM: '',
    HIVEWIRE_ORGANIZATIONS_LOOKUP: 'false',
  };
  const names: Record<string, string> = {
    SLACK_BOT_TOKEN_PARAM: 'slack-bot-token',
    SLACK_SIGNING_SECRET_PARAM: 'slack-signing-secret',
    THEHIVE_API_KEY_PARAM: 'thehive-api-key',
    THEHIVE_WEBHOOK_SECRET_PARAM: 'thehive-webhook-secret',
    INGEST_SECRET_PARAM: 'ingest-secret',
  };
  for (const param of params) env[param] = `/hivewire/${STAGE}/${names[param]}`;
  return env;
}

/** Serves SSM GetParameter from SECRETS and counts the reads per parameter name. */
export function mockSsm(): { reads: Record<string, number> } {
  const reads: Record<string, number> = {};
  nock(`https://ssm.${REGION}.amazonaws.com`)
    .persist()
    .post('/')
    .reply(function (_uri, body) {
      const { Name } = (typeof body === 'string' ? JSON.parse(body) : body) as { Name: string };
      reads[Name] = (reads[Name] ?? 0) + 1;
      const value = SECRETS[Name];
      if (value === undefined || this.req.headers['x-amz-target'] !== 'AmazonSSM.GetParameter')
        return [
          400,
          { __type: 'ParameterNotFound', message: Name },
          { 'content-type': 'application/x-amz-json-1.1' },
        ];
      return [
        200,
        { Parameter: { Name, Type: 'SecureString', Value: value, Version: 1 } },
        { 'content-type': 'application/x-amz-json-1.1' },
      ];
    });
  return { reads };
}

/** Accepts SQS SendMessage on the jobs queue and keeps the parsed message bodies. */
export function mockJobsQueue(): { sent: unknown[] } {
  const sent: unknown[] = [];
  nock(`https://sqs.${REGION}.amazonaws.com`)
    .persist()
    .post('/')
    .reply(function (_uri, body) {
      const request = (typeof body === 'string' ? JSON.parse(body) : body) as {
        QueueUrl: string;
        MessageBody: string;
      };
      if (this.req.headers['x-amz-target'] !== 'AmazonSQS.SendMessage' || request.QueueUrl !== JOBS_QUEUE_URL)
        return [400, { __type: 'com.amazonaws.sqs#InvalidAction', message: 'unexpected' }];
      sent.push(JSON.parse(request.MessageBody));
      return [
        200,
        {
          MessageId: `message-${sent.length}`,
          // The SDK checks this digest of the body it sent.
          MD5OfMessageBody: createHash('md5').update(request.MessageBody).digest('hex'),
        },
        { 'content-type': 'application/x-amz-json-1.0' },
      ];
    });
  return { sent };
}

export function lambdaContext(functionName: string, requestId = 'lambda-request-1'): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: `hivewire-${STAGE}-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${REGION}:${ACCOUNT}:function:hivewire-${STAGE}-${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/hivewire-${STAGE}-${functionName}`,
    logStreamName: '2026/11/25/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * Loads a handler in a fresh module registry: a fresh Lambda container (its own per-container clients,
 * secrets cache and Slack pacing).
 *
 * @example const handler = await newContainer(async () => (await import('../../src/handlers/worker')).handler);
 */
export async function newContainer<Handler>(load: () => Promise<Handler>): Promise<Handler> {
  let loaded: { handler: Handler } | undefined;
  await jest.isolateModulesAsync(async () => {
    loaded = { handler: await load() };
  });
  return loaded!.handler;
}

/**
 * Loads an SQS handler in a fresh Lambda container and warms it with a first invocation (an empty
 * batch): its runtime (secrets from SSM, clients, the store) is built. An invocation of it then spends
 * its time on its records, not on loading modules, which takes seconds on a loaded machine and would
 * eat a short timeout before the first record could start.
 */
export async function warmContainer<Answer>(
  load: () => Promise<(event: SQSEvent, context: Context) => Promise<Answer>>,
): Promise<(event: SQSEvent, context: Context) => Promise<Answer>> {
  const handler = await newContainer(load);
  await handler({ Records: [] }, lambdaContext('warm-up', 'lambda-request-warm-up'));
  return handler;
}

/**
 * Invokes an SQS handler as Lambda would with `timeoutMs` to run: its context's remaining time runs down
 * on the real clock from the handler's first look at it, which answers `timeoutMs` exactly (the time a
 * loaded machine takes to get from here into the handler is not the function's). Resolves to the
 * handler's answer and the time it had left when it answered.
 */
export async function invokeWithTimeout<Answer>(
  handler: (event: SQSEvent, context: Context) => Promise<Answer>,
  event: SQSEvent,
  options: { functionName: string; timeoutMs: number; requestId: string },
): Promise<{ answer: Answer; leftMs: number }> {
  let endsAt: number | undefined;
  const context: Context = {
    ...lambdaContext(options.functionName, options.requestId),
    getRemainingTimeInMillis: () => {
      endsAt ??= Date.now() + options.timeoutMs;
      return endsAt - Date.now();
    },
  };
  const answer = await handler(event, context);
  return { answer, leftMs: context.getRemainingTimeInMillis() };
}

/** A service on loopback that takes every request and never answers (TheHive or Slack hanging). */
export interface SilentService {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The requests taken, as `METHOD /path`. */
  requests: string[];
  close(): Promise<void>;
}

export async function silentService(): Promise<SilentService> {
  const requests: string[] = [];
  const server = createServer((request) => {
    requests.push(`${request.method} ${request.url}`);
    request.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** An HTTP API (payload 2.0) request as API Gateway hands it to Lambda. */
export function apiGatewayEvent(request: {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
}): APIGatewayProxyEventV2 {
  const routeKey = `${request.method} ${request.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: request.path,
    rawQueryString: '',
    headers: { host: 'abc123.execute-api.us-east-1.amazonaws.com', ...request.headers },
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.10',
        userAgent: 'test',
      },
      requestId: 'api-request-1',
      routeKey,
      stage: '$default',
      time: '25/Nov/2026:05:00:00 +0000',
      timeEpoch: Date.now(),
    },
    body: request.body,
    isBase64Encoded: request.isBase64Encoded ?? false,
  };
}

/** An SQS batch as the event source mapping delivers it. */
export function sqsEvent(
  queue: string,
  records: { messageId: string; body: string; receiveCount?: number }[],
): SQSEvent {
  return {
    Records: records.map(({ messageId, body, receiveCount }) => ({
      messageId,
      receiptHandle: `receipt-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount ?? 1),
        SentTimestamp: '1795582800000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1795582800001',
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${REGION}:${ACCOUNT}:hivewire-${STAGE}-${queue}`,
      awsRegion: REGION,
    })),
  };
}

/** The EventBridge schedule event of the reconcile function. */
export function scheduleEvent(time: string): ScheduledEvent {
  return {
    version: '0',
    id: 'schedule-1',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: ACCOUNT,
    time,
    region: REGION,
    resources: [`arn:aws:events:${REGION}:${ACCOUNT}:rule/hivewire-${STAGE}-reconcile`],
    detail: {},
  };
}

/** Slack's request signature headers for `body`. */
export function slackSignature(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

/** The table the handlers use in these tests: dynalite in this process, in memory. */
export const TABLE_NAME = `hivewire-${STAGE}`;

/** A sample event from fixtures/ (path relative to it), parsed. */
export function fixture<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8')) as T;
}
