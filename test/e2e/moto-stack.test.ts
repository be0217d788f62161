/**
 * The packaged stack, run for real on moto: `osls package` as a user deploys, the stack created in moto
 * by its CloudFormation, and each function's bundle from its zip invoked in this process with the
 * environment its Lambda function has in the stack, against moto's SQS, DynamoDB, SSM and Security Hub
 * and the sandbox's Slack, Webex and TheHive stand-ins. The test plays what moto cannot: API Gateway (it
 * records what the stand-ins send to the HTTP API and hands it to the route's function as an HTTP API
 * event) and Lambda's SQS poller (moto's own would need Docker, so the mappings are switched off).
 * Assertions read moto's state and the stand-ins', never logs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  LambdaClient,
  ListEventSourceMappingsCommand,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  BatchImportFindingsCommand,
  EnableSecurityHubCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
} from '@aws-sdk/client-securityhub';
import {
  GetQueueAttributesCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { CREATE_CASE } from '../../blocks/actions';
import { WebexClient } from '../../clients/webex/client';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { signWebexBody } from '../../src/http/webex-signature';
import { SANDBOX_USERS, type Sandbox } from '../../src/sandbox';
import { SANDBOX_WEBEX_BOT_TOKEN, SANDBOX_WEBEX_PEOPLE } from '../../src/sandbox/webex-space';
import { fixture, scheduleEvent } from '../handlers/lambda-events';
import {
  deployStack,
  httpApiEvent,
  packagedFunctions,
  pollOnce,
  queueDepth,
  readTemplate,
  routeFunction,
  stackQueue,
  startMoto,
  startStandIns,
  type Moto,
  type PackagedFunction,
  type RecordedRequest,
  type StackQueue,
  type StandIns,
  type Template,
} from '../helpers/moto';
import { packagedStack, PACKAGE_PARAMS, PACKAGE_STAGE, PACKAGE_WAIT_MS } from '../helpers/packaged-stack';

const ROOT = resolve(__dirname, '../..');
const FIXTURES = join(ROOT, 'fixtures');
/** Where the bundles are unpacked: in the checkout, so they find the AWS SDK in node_modules as in Lambda. */
const BUNDLES_DIR = join(ROOT, '.test-results', `moto-stack-${process.pid}`);
const GUARDDUTY_EVENT = 'derived/guardduty-event-impact-s3-maliciousipcaller.json';
const SECURITYHUB_EVENT = 'aws/securityhub-imported-cis-1-3-warning.json';
const CHANNEL = PACKAGE_PARAMS.slackAlertChannel;
const ANALYST = SANDBOX_USERS[0]!.id;
/** The stage's Webex space (the deploy parameter webexRoomId, given here as the functions' environment). */
const WEBEX_ROOM = 'Y2lzY29zcGFyazovL3VzL1JPT00vbW90by1zdGFjay1zcGFjZQ';
/** The secrets a user puts in SSM before deploying (README, "Running in AWS"), by parameter suffix. */
const SECRETS: Record<string, string> = {
  'slack-bot-token': 'xoxb-moto-stack-test',
  'slack-signing-secret': 'moto-stack-signing-secret',
  'thehive-api-key': 'moto-stack-thehive-key',
  'thehive-webhook-secret': 'moto-stack-webhook-secret',
  'ingest-secret': 'moto-stack-ingest-secret',
  'teams-app-password': 'moto-stack-teams-app-password',
  // The stand-in's bot: the token it knows the bot by.
  'webex-bot-token': SANDBOX_WEBEX_BOT_TOKEN,
  'webex-webhook-secret': 'moto-stack-webex-webhook-secret',
};
/**
 * How long a stand-in may take to send what a change makes it send (it sends on a later turn), on a
 * loaded machine.
 */
const SEND_TIMEOUT_MS = 30_000;

let moto: Moto;
let packageDir: string;
let template: Template;
let functions: Map<string, PackagedFunction>;
let findingsQueue: StackQueue;
let findingsDlq: StackQueue;
let jobsQueue: StackQueue;
let jobsDlq: StackQueue;
let tableName: string;
let maxReceiveCount: number;
let batchSizes: Record<string, number>;
let standIns: StandIns;
let sandbox: Sandbox;
let standInsUrl: string;
/** What the stand-ins sent to the HTTP API (Slack interactions, Webex and TheHive webhooks), not yet handed on. */
let recorded: RecordedRequest[] = [];
/** While set, TheHive's proxy answers 503 Service Unavailable, Retry-After: 0. */
let theHiveDown = false;

function fn(name: string): PackagedFunction {
  const found = functions.get(name);
  if (!found) throw new Error(`the package has no function ${name}`);
  return found;
}

/**
 * What the stand-ins' port answers before the sandbox: the HTTP API's routes, recorded (the test plays
 * API Gateway), and TheHive while it is down.
 */
function httpApiAndOutage(req: IncomingMessage, res: ServerResponse): boolean {
  const path = (req.url ?? '/').split('?')[0]!;
  if (
    req.method === 'POST' &&
    (path === '/slack/events' || path === '/thehive/webhook' || path === '/webex/events')
  ) {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string') headers[name] = value;
      recorded.push({ method: 'POST', path, headers, body: Buffer.concat(chunks) });
      res.writeHead(200).end();
    });
    return true;
  }
  if (theHiveDown && path.startsWith('/sandbox/thehive/')) {
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '0' })
      .end(JSON.stringify({ type: 'ServiceUnavailable', message: 'TheHive is down for maintenance' }));
    return true;
  }
  return false;
}

beforeAll(async () => {
  [moto, packageDir, standIns] = await Promise.all([
    startMoto(),
    packagedStack(),
    startStandIns(
      {
        signingSecret: SECRETS['slack-signing-secret']!,
        theHiveApiKey: SECRETS['thehive-api-key']!,
        webhookSecret: SECRETS['thehive-webhook-secret']!,
        ingestSecret: SECRETS['ingest-secret']!,
        alertChannel: CHANNEL,
        webexRooms: [WEBEX_ROOM],
        samples: [],
      },
      httpApiAndOutage,
    ),
  ]);
  ({ sandbox, url: standInsUrl } = standIns);
  template = readTemplate(packageDir, 'update');
  const resources = await deployStack(moto, packageDir);
  const queue = (logicalId: string) => stackQueue(moto, resources.get(logicalId)!);
  findingsQueue = await queue('FindingsQueue');
  findingsDlq = await queue('FindingsDeadLetterQueue');
  jobsQueue = await queue('JobsQueue');
  jobsDlq = await queue('JobsDeadLetterQueue');
  tableName = resources.get('Table')!;
  maxReceiveCount = (template.Resources.JobsQueue!.Properties.RedrivePolicy as { maxReceiveCount: number })
    .maxReceiveCount;

  // The test polls the queues as Lambda does: moto's own poller would invoke through Docker.
  const lambda = new LambdaClient(moto.client());
  const { EventSourceMappings = [] } = await lambda.send(new ListEventSourceMappingsCommand({}));
  batchSizes = {};
  for (const mapping of EventSourceMappings) {
    batchSizes[mapping.EventSourceArn!] = mapping.BatchSize!;
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: mapping.UUID, Enabled: false }));
  }

  functions = await packagedFunctions(moto, packageDir, BUNDLES_DIR, {
    // The deploy parameter theHiveUrl, and the Web API URL Slack's client is given, at the stand-ins.
    THEHIVE_URL: `${standInsUrl}/sandbox/thehive`,
    SLACK_API_URL: `${standInsUrl}/sandbox/slack/api/`,
    WEBEX_API_URL: `${standInsUrl}/sandbox/webex/v1`,
    WEBEX_ROOM_ID: WEBEX_ROOM,
    // Logs are not asserted here.
    POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL,
  });

  // The secrets, where each function's *_PARAM names them.
  const ssm = new SSMClient(moto.client());
  const names = new Set(
    [...functions.values()].flatMap((f) =>
      Object.entries(f.env)
        .filter(([key, value]) => key.endsWith('_PARAM') && value)
        .map(([, value]) => value!),
    ),
  );
  for (const name of names) {
    const suffix = name.slice(`/hivewire/${PACKAGE_STAGE}/`.length);
    if (!SECRETS[suffix]) throw new Error(`no test value for SSM parameter ${name}`);
    await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: SECRETS[suffix] }));
  }
  // What `hivewire webex-webhooks --target-url <the HTTP API's URL>/webex/events` does after a deploy.
  await registerWebexWebhooks(
    new WebexClient({ token: SECRETS['webex-bot-token']!, baseUrl: `${standInsUrl}/sandbox/webex/v1` }),
    { targetUrl: `${standInsUrl}/webex/events`, secret: SECRETS['webex-webhook-secret']! },
  );
  // The packaging it may wait for, then moto's start and the stack's creation.
}, PACKAGE_WAIT_MS + 120_000);

afterAll(async () => {
  await standIns?.close();
  await moto?.stop();
  rmSync(BUNDLES_DIR, { recursive: true, force: true });
});

async function deliverAll(queue: StackQueue, consumer: string): Promise<void> {
  for (;;) {
    const { received, failed } = await pollOnce(moto, queue, fn(consumer), batchSizes[queue.arn]!);
    if (received === 0) return;
    if (failed > 0) throw new Error(`${consumer} failed ${failed} of ${received} messages`);
  }
}

/** Takes the recorded requests to `path` out of the record. */
function takeRecorded(path: string): RecordedRequest[] {
  const taken = recorded.filter((request) => request.path === path);
  recorded = recorded.filter((request) => request.path !== path);
  return taken;
}

/** Hands each request to its route's function, as API Gateway would; answers their responses. */
async function deliver(requests: RecordedRequest[]): Promise<APIGatewayProxyStructuredResultV2[]> {
  const answers: APIGatewayProxyStructuredResultV2[] = [];
  for (const request of requests)
    answers.push(
      await fn(routeFunction(template, `${request.method} ${request.path}`)).invoke(httpApiEvent(request)),
    );
  return answers;
}

async function waitFor(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + SEND_TIMEOUT_MS;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

async function sandboxConsole(path: string, body: unknown): Promise<void> {
  const response = await fetch(`${standInsUrl}/sandbox/console/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const documents = () => DynamoDBDocumentClient.from(new DynamoDBClient(moto.client()));

/** An alert's item in the table: its key attributes, and the alert itself (stored as JSON in `record`). */
async function alertItem(fingerprint: string): Promise<Record<string, unknown> | undefined> {
  const { Item } = await documents().send(
    new GetCommand({ TableName: tableName, Key: { pk: `ALERT#${fingerprint}`, sk: 'ALERT' } }),
  );
  if (!Item) return undefined;
  const { record, ...attributes } = Item as { record: string };
  return { ...(JSON.parse(record) as Record<string, unknown>), ...attributes };
}

function rootMessages() {
  return sandbox.workspace.history(CHANNEL).messages;
}

function rootOf(fingerprint: string) {
  const root = rootMessages().find(
    (message) =>
      (message.metadata?.event_payload as { fingerprint?: string } | undefined)?.fingerprint === fingerprint,
  );
  if (!root) throw new Error(`no alert for ${fingerprint} in ${CHANNEL}`);
  return root;
}

function threadTexts(ts: string): string[] {
  return sandbox.workspace
    .replies(CHANNEL, ts)
    .messages.slice(1)
    .map((message) => message.text);
}

async function clickCreateCase(fingerprint: string): Promise<void> {
  const root = rootOf(fingerprint);
  const actions = (root.blocks ?? []).find(
    (block) =>
      Array.isArray(block.elements) &&
      (block.elements as { action_id?: string }[]).some((element) => element.action_id === CREATE_CASE),
  );
  await sandboxConsole('click', {
    channel: CHANNEL,
    ts: root.ts,
    actionId: CREATE_CASE,
    blockId: actions!.block_id,
    userId: ANALYST,
  });
  const clicks = takeRecorded('/slack/events');
  expect(clicks).toHaveLength(1);
  const [answer] = await deliver(clicks);
  expect(answer!.statusCode).toBe(200);
}

async function securityHubFinding(finding: AwsSecurityFinding): Promise<AwsSecurityFinding | undefined> {
  const region = /^arn:[^:]+:securityhub:([a-z0-9-]+):/.exec(finding.ProductArn!)![1];
  const { Findings = [] } = await new SecurityHubClient(moto.client(region)).send(new GetFindingsCommand({}));
  return Findings.find(
    (candidate) => candidate.Id === finding.Id && candidate.ProductArn === finding.ProductArn,
  );
}

/** The alert's card in the stage's Webex space, and the texts of its thread. */
function webexThread(fingerprint: string): { rootId: string; texts: string[] } {
  const messages = sandbox.webex!.messages(WEBEX_ROOM);
  const root = messages.find(
    (message) => !message.parentId && JSON.stringify(message.attachments ?? []).includes(fingerprint),
  );
  if (!root) throw new Error(`no Webex card for ${fingerprint}`);
  return {
    rootId: root.id,
    texts: messages
      .filter((message) => message.parentId === root.id)
      .map((message) => message.markdown ?? ''),
  };
}

let guardDutyFingerprint: string;
let securityHubFingerprint: string;
let securityHubAsff: AwsSecurityFinding;
let caseId: string;

describe('the packaged stack on moto', () => {
  it('is in moto as the template describes it: queues with their dead-letter queues, the table, the mappings', async () => {
    const sqs = new SQSClient(moto.client());
    for (const [queue, dlq, logicalId] of [
      [findingsQueue, findingsDlq, 'FindingsQueue'],
      [jobsQueue, jobsDlq, 'JobsQueue'],
    ] as const) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['RedrivePolicy', 'VisibilityTimeout'],
        }),
      );
      const properties = template.Resources[logicalId]!.Properties;
      expect(JSON.parse(Attributes!.RedrivePolicy!)).toEqual({
        deadLetterTargetArn: dlq.arn,
        maxReceiveCount: (properties.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount,
      });
      expect(Number(Attributes!.VisibilityTimeout)).toBe(properties.VisibilityTimeout);
    }
    expect(Object.values(batchSizes)).toHaveLength(2);

    const { Table } = await new DynamoDBClient(moto.client()).send(
      new DescribeTableCommand({ TableName: tableName }),
    );
    const properties = template.Resources.Table!.Properties;
    expect(Table!.KeySchema).toEqual(properties.KeySchema);
    expect(
      Table!.GlobalSecondaryIndexes!.map(({ IndexName, KeySchema }) => ({ IndexName, KeySchema })),
    ).toEqual(
      (properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).map(
        ({ IndexName, KeySchema }) => ({ IndexName, KeySchema }),
      ),
    );
  });

  it('1. an EventBridge GuardDuty event on the findings queue → ingest → a Slack alert', async () => {
    const sqs = new SQSClient(moto.client());
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: findingsQueue.url,
        MessageBody: readFileSync(join(FIXTURES, GUARDDUTY_EVENT), 'utf8'),
      }),
    );
    // And a Security Hub import, whose finding the worker updates in Security Hub once escalated.
    const securityHubEvent = fixture<{ detail: { findings: AwsSecurityFinding[] } }>(SECURITYHUB_EVENT);
    securityHubAsff = securityHubEvent.detail.findings[0]!;
    const region = /^arn:[^:]+:securityhub:([a-z0-9-]+):/.exec(securityHubAsff.ProductArn!)![1];
    const securityHub = new SecurityHubClient(moto.client(region));
    await securityHub.send(new EnableSecurityHubCommand({}));
    const imported = await securityHub.send(new BatchImportFindingsCommand({ Findings: [securityHubAsff] }));
    expect(imported.FailedCount).toBe(0);
    await sqs.send(
      new SendMessageCommand({ QueueUrl: findingsQueue.url, MessageBody: JSON.stringify(securityHubEvent) }),
    );
    expect(await queueDepth(moto, findingsQueue)).toBe(2);

    await deliverAll(findingsQueue, 'ingest');

    expect(await queueDepth(moto, findingsQueue)).toBe(0);
    expect(await queueDepth(moto, findingsDlq)).toBe(0);
    const roots = rootMessages();
    expect(roots).toHaveLength(2);
    const fingerprints = roots.map(
      (message) => (message.metadata?.event_payload as { fingerprint: string }).fingerprint,
    );
    const guardDutyId = fixture<{ detail: { id: string } }>(GUARDDUTY_EVENT).detail.id;
    const items = await Promise.all(fingerprints.map(alertItem));
    for (const [index, item] of items.entries()) {
      expect(item).toMatchObject({ state: 'open', channel: CHANNEL, ts: roots[index]!.ts });
    }
    guardDutyFingerprint =
      fingerprints[items.findIndex((item) => JSON.stringify(item).includes(guardDutyId))]!;
    securityHubFingerprint = fingerprints.find((fingerprint) => fingerprint !== guardDutyFingerprint)!;
    expect(guardDutyFingerprint).toBeDefined();
    expect(securityHubFingerprint).toBeDefined();
  });

  it('2. a signed Create Case click → slack → jobs queue → worker → TheHive case, thread reply, Security Hub NOTIFIED', async () => {
    await clickCreateCase(securityHubFingerprint);
    expect(await queueDepth(moto, jobsQueue)).toBe(1);
    expect(await alertItem(securityHubFingerprint)).toMatchObject({ state: 'escalating' });

    await deliverAll(jobsQueue, 'worker');

    const cases = sandbox.theHive.listCases();
    expect(cases).toHaveLength(1);
    caseId = String(cases[0]!._id);
    const root = rootOf(securityHubFingerprint);
    expect(threadTexts(root.ts)).toEqual([
      expect.stringMatching(
        new RegExp(`Case #${String(cases[0]!.number)}> opened in TheHive by <@${ANALYST}>`),
      ),
    ]);
    expect(await alertItem(securityHubFingerprint)).toMatchObject({ state: 'escalated', caseId });
    const finding = await securityHubFinding(securityHubAsff);
    expect(finding?.Workflow?.Status).toBe('NOTIFIED');
    expect(finding?.Note).toMatchObject({ UpdatedBy: 'hivewire', Text: expect.stringContaining(caseId) });
    expect(await queueDepth(moto, jobsQueue)).toBe(0);
  });

  it('3. a TheHive webhook → thehiveWebhook → jobs queue → worker → the status reply in the thread', async () => {
    await sandboxConsole('case', { caseId, userId: SANDBOX_USERS[1]!.id, changes: { status: 'InProgress' } });
    await waitFor('the status webhook', () =>
      recorded.some((request) => request.body.toString().includes('"InProgress"')),
    );
    // Every delivery since the case was opened, in order, as TheHive sent them.
    const answers = await deliver(takeRecorded('/thehive/webhook'));
    expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 202));
    expect(await queueDepth(moto, jobsQueue)).toBe(answers.length);

    await deliverAll(jobsQueue, 'worker');

    const root = rootOf(securityHubFingerprint);
    expect(threadTexts(root.ts)).toHaveLength(2);
    expect(threadTexts(root.ts)[1]).toContain('InProgress');
    expect(await queueDepth(moto, jobsQueue)).toBe(0);
  });

  it('3b. a signed Webex card click → webex → jobs queue → worker → the answer in the alert’s Webex thread; a forged one → 401', async () => {
    const before = webexThread(securityHubFingerprint);
    // The case opened from Slack and its status change are in the Webex thread too.
    expect(before.texts).toEqual([
      expect.stringContaining(`Case #${String(sandbox.theHive.listCases()[0]!.number)}`),
      expect.stringContaining('InProgress'),
    ]);

    // Webex delivered the bot's own posts too: acknowledged, nothing queued.
    const own = await deliver(takeRecorded('/webex/events'));
    expect(own.length).toBeGreaterThan(0);
    expect(own.map((answer) => [answer.statusCode, answer.body])).toEqual(
      own.map(() => [200, JSON.stringify({ ignored: 'own message' })]),
    );
    expect(await queueDepth(moto, jobsQueue)).toBe(0);

    sandbox.webex!.submitCard(SANDBOX_WEBEX_PEOPLE[1]!, {
      type: 'submit',
      messageId: before.rootId,
      inputs: { action: CREATE_CASE, fingerprint: securityHubFingerprint },
    });
    await sandbox.webex!.idle();
    const clicks = takeRecorded('/webex/events');
    expect(clicks).toHaveLength(1);
    const delivery = clicks[0];
    expect(delivery!.headers['x-spark-signature']).toBe(
      signWebexBody(SECRETS['webex-webhook-secret']!, delivery!.body),
    );
    const forged = { ...delivery!, headers: { ...delivery!.headers, 'x-spark-signature': '0'.repeat(40) } };
    const [refused] = await deliver([forged]);
    expect(refused!.statusCode).toBe(401);
    expect(await queueDepth(moto, jobsQueue)).toBe(0);

    const [answer] = await deliver([delivery!]);
    expect(answer!.statusCode).toBe(202);
    expect(await queueDepth(moto, jobsQueue)).toBe(1);
    await deliverAll(jobsQueue, 'worker');

    // One case: the second click is told, naming the clicker, where the case is.
    expect(sandbox.theHive.listCases()).toHaveLength(1);
    const after = webexThread(securityHubFingerprint).texts;
    expect(after).toHaveLength(3);
    expect(after[2]).toContain(SANDBOX_WEBEX_PEOPLE[1]!.id);
    expect(after[2]).toContain('already exists');
  });

  it('4. reconcile on its schedule catches a change whose webhook was lost, and closes the finding in Security Hub', async () => {
    await sandboxConsole('case', {
      caseId,
      userId: SANDBOX_USERS[1]!.id,
      changes: { status: 'TruePositive', summary: 'Root access keys removed', impactStatus: 'NoImpact' },
    });
    await waitFor('the close webhook', () =>
      recorded.some((request) => request.body.toString().includes('"TruePositive"')),
    );
    // Lost: TheHive does not retry a failed delivery.
    takeRecorded('/thehive/webhook');

    const reconcile = fn('reconcile');
    await reconcile.invoke(scheduleEvent(new Date().toISOString()));
    expect(await queueDepth(moto, jobsQueue)).toBe(1);
    await deliverAll(jobsQueue, 'worker');

    const texts = threadTexts(rootOf(securityHubFingerprint).ts);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toContain('TruePositive');
    expect((await securityHubFinding(securityHubAsff))?.Workflow?.Status).toBe('RESOLVED');
  });

  /** Takes every message out of the jobs DLQ (so each step sees only its own) and answers their jobs. */
  async function dlqJobs(): Promise<unknown[]> {
    expect(await queueDepth(moto, jobsDlq)).toBeGreaterThan(0);
    const sqs = new SQSClient(moto.client());
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: jobsDlq.url, MaxNumberOfMessages: 10 }),
    );
    for (const { ReceiptHandle } of Messages)
      await sqs.send(new DeleteMessageCommand({ QueueUrl: jobsDlq.url, ReceiptHandle }));
    return Messages.map((message) => JSON.parse(message.Body!) as unknown);
  }

  /**
   * Polls the jobs queue once more than maxReceiveCount (that receive finds the message deleted, or moves
   * it to the DLQ); answers how many messages were received.
   */
  async function pollPastMaxReceiveCount(): Promise<number> {
    let receives = 0;
    for (let poll = 0; poll <= maxReceiveCount; poll += 1)
      receives += (await pollOnce(moto, jobsQueue, fn('worker'), batchSizes[jobsQueue.arn]!)).received;
    return receives;
  }

  it('5. a job that fails on every receive ends in the jobs DLQ, with the store’s dead letter and the failure reply', async () => {
    theHiveDown = true;
    try {
      await clickCreateCase(guardDutyFingerprint);
      expect(await queueDepth(moto, jobsQueue)).toBe(1);
      expect(await pollPastMaxReceiveCount()).toBe(maxReceiveCount);
    } finally {
      theHiveDown = false;
    }

    // Kept and reported on its last receive, then handed back: the redrive policy moved it to the DLQ.
    expect(await queueDepth(moto, jobsQueue)).toBe(0);
    expect(await dlqJobs()).toEqual([
      expect.objectContaining({ kind: 'create-case', fingerprint: guardDutyFingerprint }),
    ]);
    const { Items = [] } = await documents().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'DEADLETTER' },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]).toMatchObject({ kind: 'job:create-case', error: 'TheHive is down for maintenance' });
    expect(JSON.parse(Items[0]!.payload as string)).toMatchObject({
      kind: 'create-case',
      fingerprint: guardDutyFingerprint,
    });
    const texts = threadTexts(rootOf(guardDutyFingerprint).ts);
    expect(texts).toEqual([expect.stringContaining("Couldn't create the case")]);
    expect(sandbox.theHive.listCases()).toHaveLength(1);
    expect(await alertItem(guardDutyFingerprint)).toMatchObject({ state: 'open' });
  });

  it('6. a job whose failure cannot even be recorded (the table gone) ends in the jobs dead-letter queue', async () => {
    await clickCreateCase(guardDutyFingerprint);
    expect(await queueDepth(moto, jobsQueue)).toBe(1);
    await new DynamoDBClient(moto.client()).send(new DeleteTableCommand({ TableName: tableName }));

    expect(await pollPastMaxReceiveCount()).toBe(maxReceiveCount);

    expect(await queueDepth(moto, jobsQueue)).toBe(0);
    expect(await dlqJobs()).toEqual([
      expect.objectContaining({ kind: 'create-case', fingerprint: guardDutyFingerprint }),
    ]);
  });
});
