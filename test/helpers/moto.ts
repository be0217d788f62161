/**
 * The packaged stack on moto (an AWS emulator), for test/e2e/moto-stack.test.ts: moto_server on a free
 * 127.0.0.1 port; the stack deployed into it as `osls deploy` does (the create template, the zips in
 * its bucket, the update template); each function's bundle taken from its zip and run in this process
 * with the environment its Lambda function has in the stack; Lambda's SQS poller played by the test; and
 * the sandbox's stand-ins (Slack, TheHive, Webex) the functions call, on their own port.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackResourcesCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
} from '@aws-sdk/client-cloudformation';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox';
import { apiGatewayEvent, lambdaContext, newContainer } from '../handlers/lambda-events';
import { PACKAGE_REGION, PACKAGE_STAGE } from './packaged-stack';
import { freePort } from './sandbox-server';
import { zipFile } from './zip';

/** How long moto_server may take to answer after its start (a Python process; longer on a loaded machine). */
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 100;
export const MOTO_INSTALL_HINT =
  'moto_server (moto 5, Python) is needed for this test: pip install \'moto[server]\' (then `python3 -c "import moto"`)';
/** The stack osls deploys a stage as. */
export const STACK_NAME = `hivewire-${PACKAGE_STAGE}`;
/** moto accepts any credentials; these name no real account. */
export const MOTO_CREDENTIALS = { accessKeyId: 'moto-test', secretAccessKey: 'moto-test' };

export interface Moto {
  endpoint: string;
  /** Client settings for the test's own AWS calls (the functions get the same through their environment). */
  client(region?: string): {
    endpoint: string;
    region: string;
    credentials: typeof MOTO_CREDENTIALS;
  };
  stop(): Promise<void>;
}

/**
 * Starts moto_server (test/helpers/moto_server.py: moto's own server plus Security Hub's
 * BatchUpdateFindings) on a free 127.0.0.1 port. Throws {@link MOTO_INSTALL_HINT} when moto is missing.
 */
export async function startMoto(): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // detached: the server leads its own process group, so stopping it leaves nothing behind.
  const child = spawn('python3', [join(__dirname, 'moto_server.py'), '-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: string | undefined;
  const gone = new Promise<void>((done) => {
    child.once('error', (error) => {
      exited = error.message;
      done();
    });
    child.once('exit', (code, signal) => {
      exited ??= `exit ${code ?? signal}`;
      done();
    });
  });
  const stop = async () => {
    if (exited === undefined && child.pid) process.kill(-child.pid, 'SIGTERM');
    await gone;
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined)
      throw new Error(`${MOTO_INSTALL_HINT}\nmoto_server did not start (${exited}):\n${output}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`moto_server was not answering within ${START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
  return {
    endpoint,
    client: (region = PACKAGE_REGION) => ({ endpoint, region, credentials: MOTO_CREDENTIALS }),
    stop,
  };
}

/** The sandbox's stand-ins on one 127.0.0.1 port, where the functions on moto are pointed. */
export interface StandIns {
  /** The port's URL: the sandbox's public URL, and the base of the functions' Slack, TheHive and Webex URLs. */
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

/**
 * Starts the sandbox's stand-ins on a free 127.0.0.1 port, the sandbox built with `options` and that
 * port's URL as its public URL. `first`, when given, sees each request before the sandbox and answers
 * it itself by returning true (the stack test plays the HTTP API's routes there).
 */
export async function startStandIns(
  options: Omit<SandboxOptions, 'publicUrl'>,
  first?: (req: IncomingMessage, res: ServerResponse) => boolean,
): Promise<StandIns> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  // Built once the port is known (its public URL); nobody has the URL before, so no request is missed.
  const sandbox = createSandbox({ ...options, publicUrl: url });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (first?.(req, res)) return;
    void sandbox.handle(req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  return {
    url,
    sandbox,
    async close() {
      await sandbox.close();
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
}

type Json = Record<string, unknown>;
export interface Template {
  Resources: Record<string, { Type: string; Properties: Json }>;
}

export function readTemplate(packageDir: string, file: 'create' | 'update'): Template {
  return JSON.parse(
    readFileSync(join(packageDir, `cloudformation-template-${file}-stack.json`), 'utf8'),
  ) as Template;
}

async function stackStatus(cloudFormation: CloudFormationClient, expected: string): Promise<void> {
  const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: STACK_NAME }));
  const stack = Stacks?.[0];
  if (stack?.StackStatus !== expected)
    throw new Error(
      `stack ${STACK_NAME}: ${stack?.StackStatus} (${stack?.StackStatusReason ?? 'no reason'})`,
    );
}

/**
 * Deploys the package into moto as `osls deploy` does: the create template (the deployment bucket), each
 * function's zip at the key the update template names, then the update template. moto's CloudFormation
 * creates what it supports (queues, table, functions, event source mappings, rules, roles, topic) and
 * skips the rest (HTTP API, alarms, queue policy: the test plays API Gateway). Answers each logical id's
 * physical id.
 */
export async function deployStack(moto: Moto, packageDir: string): Promise<Map<string, string>> {
  const cloudFormation = new CloudFormationClient(moto.client());
  const capabilities = { Capabilities: ['CAPABILITY_IAM' as const, 'CAPABILITY_NAMED_IAM' as const] };
  await cloudFormation.send(
    new CreateStackCommand({
      StackName: STACK_NAME,
      TemplateBody: JSON.stringify(readTemplate(packageDir, 'create')),
      ...capabilities,
    }),
  );
  await stackStatus(cloudFormation, 'CREATE_COMPLETE');
  const bucket = (await stackResources(cloudFormation)).get('ServerlessDeploymentBucket');
  const update = readTemplate(packageDir, 'update');
  for (const resource of Object.values(update.Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const key = (resource.Properties.Code as { S3Key: string }).S3Key;
    // No S3 client among the dependencies: moto takes a plain path-style PUT.
    const response = await fetch(`${moto.endpoint}/${bucket}/${key}`, {
      method: 'PUT',
      body: readFileSync(join(packageDir, basename(key))),
    });
    if (!response.ok) throw new Error(`upload of ${key}: HTTP ${response.status}`);
  }
  await cloudFormation.send(
    new UpdateStackCommand({ StackName: STACK_NAME, TemplateBody: JSON.stringify(update), ...capabilities }),
  );
  await stackStatus(cloudFormation, 'UPDATE_COMPLETE');
  return stackResources(cloudFormation);
}

async function stackResources(cloudFormation: CloudFormationClient): Promise<Map<string, string>> {
  const { StackResources } = await cloudFormation.send(
    new DescribeStackResourcesCommand({ StackName: STACK_NAME }),
  );
  return new Map(
    (StackResources ?? [])
      .filter((resource) => resource.LogicalResourceId && resource.PhysicalResourceId)
      .map((resource) => [resource.LogicalResourceId!, resource.PhysicalResourceId!]),
  );
}

/** A queue of the stack as clients reach it in moto. */
export interface StackQueue {
  url: string;
  arn: string;
}

/**
 * A queue by logical id. A queue's Ref (its physical id) is the AWS form of its URL, which the SDK would
 * send to AWS itself: the URL moto serves it at is asked for by name.
 */
export async function stackQueue(moto: Moto, physicalId: string): Promise<StackQueue> {
  const sqs = new SQSClient(moto.client());
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: queueName(physicalId) }));
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
  );
  return { url: QueueUrl!, arn: Attributes!.QueueArn! };
}

const AWS_QUEUE_URL = /^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d{12}\/([\w-]+)$/;

function queueName(url: string): string {
  const name = AWS_QUEUE_URL.exec(url)?.[1];
  if (!name) throw new Error(`not a queue URL: ${url}`);
  return name;
}

/** Messages visible and in flight: what is still in the queue. */
export async function queueDepth(moto: Moto, queue: StackQueue): Promise<number> {
  const { Attributes } = await new SQSClient(moto.client()).send(
    new GetQueueAttributesCommand({
      QueueUrl: queue.url,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return (
    Number(Attributes?.ApproximateNumberOfMessages) +
    Number(Attributes?.ApproximateNumberOfMessagesNotVisible)
  );
}

type Handler = (event: unknown, context: Context) => Promise<unknown>;

/** One function of the stack, its packaged bundle loaded in this process as Lambda would load it. */
export class PackagedFunction {
  private handler?: Handler;
  private readonly file: string;

  constructor(
    /** The function's key in serverless.yml (its zip's name). */
    readonly name: string,
    /** The environment of its Lambda function in moto, with the endpoints and overrides the test adds. */
    readonly env: NodeJS.ProcessEnv,
    private readonly handlerPath: string,
    packageDir: string,
    extractDir: string,
  ) {
    // The bundle's path inside the zip is the handler's module.
    const entry = `${handlerPath.slice(0, handlerPath.lastIndexOf('.'))}.js`;
    this.file = join(extractDir, name, entry);
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, zipFile(readFileSync(join(packageDir, `${name}.zip`)), entry));
  }

  /**
   * Invokes the handler with the function's environment in `process.env` (loading the module the first
   * time, as a cold start does), and the test's environment back afterwards. Invocations must not overlap.
   */
  async invoke<T = unknown>(event: unknown): Promise<T> {
    const saved = process.env;
    process.env = { ...saved, ...this.env };
    try {
      if (!this.handler) {
        const exported = this.handlerPath.slice(this.handlerPath.lastIndexOf('.') + 1);
        // Its own module registry, as each function has its own containers: no SDK client is shared.
        this.handler = await newContainer(
          async () => ((await import(this.file)) as Record<string, Handler>)[exported]!,
        );
      }
      return (await this.handler(event, lambdaContext(this.name))) as T;
    } finally {
      process.env = saved;
    }
  }
}

/**
 * Each function of the update template, by its key in serverless.yml, its bundle unpacked under
 * `extractDir` (in the checkout, so it finds the AWS SDK in node_modules as it finds it in the Lambda
 * runtime), with the environment moto's CloudFormation gave its Lambda function (Refs resolved to the
 * stack's resources; queue URLs as moto serves them), then `overrides`.
 */
export async function packagedFunctions(
  moto: Moto,
  packageDir: string,
  extractDir: string,
  overrides: NodeJS.ProcessEnv,
): Promise<Map<string, PackagedFunction>> {
  const lambda = new LambdaClient(moto.client());
  const functions = new Map<string, PackagedFunction>();
  for (const resource of Object.values(readTemplate(packageDir, 'update').Resources)) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const { FunctionName, Handler, Code } = resource.Properties as {
      FunctionName: string;
      Handler: string;
      Code: { S3Key: string };
    };
    const { Environment } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
    const env: NodeJS.ProcessEnv = { ...Environment?.Variables };
    for (const [key, value] of Object.entries(env))
      if (value && AWS_QUEUE_URL.test(value)) env[key] = (await stackQueue(moto, value)).url;
    const name = basename(Code.S3Key, '.zip');
    functions.set(
      name,
      new PackagedFunction(
        name,
        {
          // What the Lambda runtime sets, pointed at moto.
          AWS_REGION: PACKAGE_REGION,
          AWS_DEFAULT_REGION: PACKAGE_REGION,
          AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey,
          AWS_ENDPOINT_URL: moto.endpoint,
          AWS_LAMBDA_FUNCTION_NAME: FunctionName,
          ...env,
          ...overrides,
        },
        Handler,
        packageDir,
        extractDir,
      ),
    );
  }
  return functions;
}

/** An SQS batch as Lambda's event source mapping builds it from a ReceiveMessage answer. */
export function sqsEventFromReceive(messages: Message[], queueArn: string): SQSEvent {
  return {
    Records: messages.map((message) => ({
      messageId: message.MessageId!,
      receiptHandle: message.ReceiptHandle!,
      body: message.Body!,
      attributes: message.Attributes as unknown as SQSEvent['Records'][number]['attributes'],
      messageAttributes: Object.fromEntries(
        Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
          name,
          {
            dataType: value.DataType!,
            ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
            stringListValues: [],
            binaryListValues: [],
          },
        ]),
      ),
      md5OfBody: message.MD5OfBody!,
      eventSource: 'aws:sqs',
      eventSourceARN: queueArn,
      awsRegion: PACKAGE_REGION,
    })),
  };
}

/**
 * One poll of Lambda's SQS event source mapping: receive up to `batchSize` messages, invoke the consumer,
 * delete what it did not report as failed, and make the failed ones visible again at once (standing in
 * for their visibility timeout running out). Answers how many were received and how many failed.
 */
export async function pollOnce(
  moto: Moto,
  queue: StackQueue,
  consumer: PackagedFunction,
  batchSize: number,
): Promise<{ received: number; failed: number }> {
  const sqs = new SQSClient(moto.client());
  const { Messages = [] } = await sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: queue.url,
      MaxNumberOfMessages: batchSize,
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
      WaitTimeSeconds: 0,
    }),
  );
  if (Messages.length === 0) return { received: 0, failed: 0 };
  const answer = await consumer.invoke<SQSBatchResponse>(sqsEventFromReceive(Messages, queue.arn));
  const failed = new Set(answer.batchItemFailures.map((failure) => failure.itemIdentifier));
  const done = Messages.filter((message) => !failed.has(message.MessageId!));
  if (done.length > 0)
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queue.url,
        Entries: done.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle! })),
      }),
    );
  for (const message of Messages.filter((candidate) => failed.has(candidate.MessageId!)))
    await sqs.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: queue.url,
        ReceiptHandle: message.ReceiptHandle!,
        VisibilityTimeout: 0,
      }),
    );
  return { received: Messages.length, failed: failed.size };
}

/** A request API Gateway received, as the test's stand-in for it recorded it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/**
 * The HTTP API (payload 2.0) event API Gateway hands the route's function: a JSON body as text, any
 * other (Slack's form bodies) base64-encoded.
 */
export function httpApiEvent(request: RecordedRequest): APIGatewayProxyEventV2 {
  const json = /^application\/json\b/.test(request.headers['content-type'] ?? '');
  return apiGatewayEvent({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: json ? request.body.toString('utf8') : request.body.toString('base64'),
    isBase64Encoded: !json,
  });
}

/** The function (its key in serverless.yml) the template's HTTP API routes `routeKey` to. */
export function routeFunction(template: Template, routeKey: string): string {
  const route = Object.values(template.Resources).find(
    (resource) => resource.Type === 'AWS::ApiGatewayV2::Route' && resource.Properties.RouteKey === routeKey,
  );
  if (!route) throw new Error(`the template routes no ${routeKey}`);
  const target = route.Properties.Target as { 'Fn::Join': [string, [string, { Ref: string }]] };
  const integration = template.Resources[target['Fn::Join'][1][1].Ref]!;
  const [logicalId] = (integration.Properties.IntegrationUri as { 'Fn::GetAtt': [string, string] })[
    'Fn::GetAtt'
  ];
  const code = template.Resources[logicalId]!.Properties.Code as { S3Key: string };
  return basename(code.S3Key, '.zip');
}
