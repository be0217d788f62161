/**
 * Findings per second through the ingest function's path, end to end: SQS batches of 10 EventBridge
 * events into `ingestFindingsBatch` (JSON.parse, normalise, enrich, store on dynalite in memory over
 * its HTTP protocol, render, post to a Slack Web API stand-in over HTTP on loopback, the Powertools
 * logger at INFO). Beside it, measured on the same events in the same run, the floor: JSON.parse +
 * JSON.stringify of each message body. Also the DynamoDB requests each finding cost, counted on the
 * client as the SDK sends them.
 *
 * Slack's pace of one post per second per channel is off (the stand-in has no rate limit): with it,
 * new findings would post at one per second whatever Hivewire did.
 */
import { chatRegistry } from '../src/wiring/chats';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { WebClient } from '@slack/web-api';
import type { SQSEvent } from 'aws-lambda';
import { ingestFindingsBatch } from '../src/aws/findings-queue';
import { loadConfig } from '../src/config/config-file';
import type { IngestDeps } from '../src/wiring/deps';
import { AccountDirectory } from '../src/enrich/directory';
import { createLogger } from '../src/observability/logger';
import { SlackDelivery, workerClientOptions } from '../src/slack/delivery';
import { DynamoStore } from '../src/store/dynamo';
import { startEmbeddedStore, LOCAL_TABLE_NAME } from '../src/store/embedded';
import { spread, type Spread } from './spread';
import { MetricsTally } from '../src/observability/metrics';

export type FindingKind = 'new' | 'duplicate' | 'below-threshold' | 'mixed';
export const FINDING_KINDS: FindingKind[] = ['new', 'duplicate', 'below-threshold', 'mixed'];

export interface IngestFigures {
  findingsPerRun: number;
  runs: number;
  kinds: Record<
    FindingKind,
    {
      findingsPerSecond: Spread;
      floorPerSecond: Spread;
      /** Floor median over Hivewire median: how many times slower than reading and writing the JSON. */
      timesFloor: number;
      /**
       * The request floor, same run: the requests a finding of this kind cannot do without, sent
       * directly with the same SDK and Slack client to the same dynalite and stand-in (see
       * `requestFloorRate`). It bounds what any ingest doing those requests one finding at a time can reach.
       */
      requestFloorPerSecond: Spread;
      timesRequestFloor: number;
      storeRequestsPerFinding: number;
      slackPostsPerFinding: number;
      /** Every Slack Web API call, posts included (a `chat.getPermalink` per post was one). */
      slackCallsPerFinding: number;
      /**
       * CPU time of this process per finding (ingest, dynalite and the Slack stand-in all run in it), over
       * all runs: less swayed by other processes on a loaded machine than findings per second are.
       */
      cpuMsPerFinding: number;
    }
  >;
}

const SQS_BATCH = 10;

interface GuardDutyEvent {
  detail: { id: string; arn: string; severity: number };
}

const TEMPLATE = JSON.parse(
  readFileSync(
    join(__dirname, '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
    'utf8',
  ),
) as GuardDutyEvent;

/** The fixture as a GuardDuty finding of its own (`id`); LOW when `low`, below the MEDIUM threshold. */
function eventBody(id: string, low = false): string {
  const { detail } = TEMPLATE;
  return JSON.stringify({
    ...TEMPLATE,
    detail: { ...detail, id, arn: detail.arn.replace(detail.id, id), ...(low ? { severity: 2 } : {}) },
  });
}

function sqsBatches(bodies: string[]): SQSEvent[] {
  const batches: SQSEvent[] = [];
  for (let start = 0; start < bodies.length; start += SQS_BATCH)
    batches.push({
      Records: bodies.slice(start, start + SQS_BATCH).map((body, i) => ({
        messageId: `bench-${start + i}`,
        receiptHandle: 'bench',
        body,
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'bench',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:hivewire-bench-findings',
        awsRegion: 'us-east-1',
      })),
    });
  return batches;
}

/** A Slack Web API call the stand-in answered: which, and when (ms on `performance.now()`). */
export interface SlackStandInCall {
  method: string;
  at: number;
}

/** The Slack Web API methods ingest calls, answered like Slack; counts the posts and keeps every call. */
export function startSlackStandIn(): Promise<{
  server: Server;
  url: string;
  posts: { count: number };
  calls: SlackStandInCall[];
}> {
  const posts = { count: 0 };
  const calls: SlackStandInCall[] = [];
  let ts = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const method = (request.url ?? '').replace('/api/', '');
      calls.push({ method, at: performance.now() });
      if (method === 'chat.postMessage') posts.count += 1;
      ts += 1;
      const body =
        method === 'auth.test'
          ? { ok: true, url: 'https://bench.slack.com/', user_id: 'U0BENCH', bot_id: 'B0BENCH' }
          : { ok: true, channel: 'C0BENCH', ts: `1764064800.${String(ts).padStart(6, '0')}` };
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(body));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`,
        posts,
        calls,
      }),
    ),
  );
}

/** How long the floor is measured for, at least: one pass over a few hundred bodies is too short to time. */
const FLOOR_MIN_MS = 200;

/** Findings per second of JSON.parse + JSON.stringify over `bodies`, passes repeated for FLOOR_MIN_MS. */
function floorRate(bodies: string[]): number {
  const started = process.hrtime.bigint();
  let findings = 0;
  let bytes = 0;
  do {
    for (const body of bodies) bytes += JSON.stringify(JSON.parse(body)).length;
    findings += bodies.length;
  } while (Number(process.hrtime.bigint() - started) / 1e6 < FLOOR_MIN_MS);
  if (bytes === 0) throw new Error('no events');
  return findings / (Number(process.hrtime.bigint() - started) / 1e9);
}

/**
 * Findings per second of the fewest requests ingest must send for `bodies`, sent directly with the SDK's
 * document client and Slack's WebClient (as Hivewire builds them) to the path's dynalite and stand-in:
 * one BatchGetItem per SQS batch (has it been seen?), then for each new finding one conditional PutItem
 * of its event (the claim that makes a concurrent delivery back off), one chat.postMessage and one
 * conditional UpdateItem keeping the message's ts (so a later delivery edits it). Nothing parsed,
 * enriched, rendered or logged. dynalite has no TransactWriteItems, and an unconditional BatchWriteItem
 * could not claim, so new findings cannot share a write.
 */
async function requestFloorRate(bodies: string[], path: IngestPath, run: string): Promise<number> {
  const { documents, slack } = path.floor;
  const started = process.hrtime.bigint();
  for (let start = 0; start < bodies.length; start += SQS_BATCH) {
    const batch = bodies.slice(start, start + SQS_BATCH).map((body, i) => ({
      body,
      key: { pk: `FLOOR#${run}#${start + i}`, sk: 'ALERT' },
      isNew: !body.includes('bench-dup-') && !body.includes('"severity":2'),
    }));
    await documents.send(
      new BatchGetCommand({
        RequestItems: { [LOCAL_TABLE_NAME]: { Keys: batch.map(({ key }) => key), ConsistentRead: true } },
      }),
    );
    for (const { body, key, isNew } of batch) {
      if (!isNew) continue;
      await documents.send(
        new PutCommand({
          TableName: LOCAL_TABLE_NAME,
          Item: { ...key, event: body, version: 1 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      const posted = await slack.chat.postMessage({ channel: 'C0BENCH', text: body.slice(0, 3000) });
      await documents.send(
        new UpdateCommand({
          TableName: LOCAL_TABLE_NAME,
          Key: key,
          UpdateExpression: 'SET ts = :ts, version = :next',
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':ts': posted.ts, ':version': 1, ':next': 2 },
        }),
      );
    }
  }
  return bodies.length / (Number(process.hrtime.bigint() - started) / 1e9);
}

/** The ingest function's path as the bench drives it: its dependencies, and its stand-ins to count and close. */
export interface IngestPath {
  deps: IngestDeps;
  /** DynamoDB requests sent so far. */
  requests: { count: number };
  slack: Awaited<ReturnType<typeof startSlackStandIn>>;
  /** Clients of the request floor, on the same dynalite and stand-in: their requests are not counted. */
  floor: { documents: DynamoDBDocumentClient; slack: WebClient };
  /** Runs message bodies through `ingestFindingsBatch`, ten to an SQS batch (the logger's lines swallowed). */
  ingest(bodies: string[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts dynalite in memory and the Slack stand-in, and builds the ingest function's dependencies on
 * them; `queue` takes the jobs ingest queues (none by default), `storms` as the config file sets them.
 */
export async function startIngestPath(
  options: { queue?: IngestDeps['queue']; storms?: boolean } = {},
): Promise<IngestPath> {
  const slackStandIn = await startSlackStandIn();
  const embedded = await startEmbeddedStore({ inMemory: true });
  const client = new DynamoDBClient({
    endpoint: embedded.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const requests = { count: 0 };
  client.middlewareStack.add(
    (next) => (args) => {
      requests.count += 1;
      return next(args);
    },
    { step: 'finalizeRequest', name: 'benchCountRequests' },
  );
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: 'bench-signing-secret',
    SLACK_ALERT_CHANNEL: 'C0BENCH',
    SLACK_API_URL: slackStandIn.url,
    THEHIVE_URL: 'http://127.0.0.1:9/thehive',
    THEHIVE_API_KEY: 'bench',
    THEHIVE_WEBHOOK_SECRET: 'bench',
    INGEST_SECRET: 'bench',
  });
  config.file.storms.enabled = options.storms ?? true;
  const logger = createLogger();
  const slack = new SlackDelivery(
    new WebClient(config.slack.botToken, workerClientOptions(slackStandIn.url)),
    0,
  );
  const deps: IngestDeps = {
    config,
    store: new DynamoStore({ client, tableName: LOCAL_TABLE_NAME }),
    queue: options.queue ?? { enqueue: async () => undefined },
    slack,
    // Ingest never looks a person up.
    chats: chatRegistry(config, slack, { userIdForEmail: async () => undefined }),
    directory: new AccountDirectory({ config: config.file, logger }),
    logger,
    now: () => new Date(),
    metrics: new MetricsTally(),
  };
  const floorClient = new DynamoDBClient({
    endpoint: embedded.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
  });
  const write = process.stdout.write.bind(process.stdout);
  return {
    deps,
    requests,
    slack: slackStandIn,
    floor: {
      documents: DynamoDBDocumentClient.from(floorClient),
      slack: new WebClient(config.slack.botToken, workerClientOptions(slackStandIn.url)),
    },
    async ingest(bodies) {
      process.stdout.write = (() => true) as typeof process.stdout.write;
      try {
        for (const batch of sqsBatches(bodies)) {
          const { batchItemFailures } = await ingestFindingsBatch(batch, deps, { maxAttempts: 5 });
          if (batchItemFailures.length) throw new Error(`${batchItemFailures.length} findings failed`);
        }
      } finally {
        process.stdout.write = write;
      }
    },
    async close() {
      client.destroy();
      floorClient.destroy();
      await embedded.close();
      slackStandIn.server.closeAllConnections();
      await new Promise((resolve) => slackStandIn.server.close(resolve));
    },
  };
}

/**
 * Runs every kind `runs` times over `findingsPerRun` findings each. Prints nothing (the logger's lines
 * are swallowed while it runs: they would drown the figures).
 */
export async function benchIngest(findingsPerRun: number, runs: number): Promise<IngestFigures> {
  // One alert per new finding is what this measures: the storm digest (bench/storm.ts) is measured apart.
  const path = await startIngestPath({ storms: false });
  const { requests, ingest } = path;
  const slackStandIn = path.slack;

  try {
    const duplicates = Array.from({ length: findingsPerRun }, (_, i) => eventBody(`bench-dup-${i}`));
    await ingest(duplicates);
    // Warm-up (not counted): the SDK, Bolt-free web client, JIT.
    await ingest(Array.from({ length: 50 }, (_, i) => eventBody(`bench-warm-${i}`)));

    const bodiesFor = (kind: FindingKind, run: number): string[] =>
      Array.from({ length: findingsPerRun }, (_, i) => {
        const which = kind === 'mixed' ? (['new', 'duplicate', 'below-threshold'] as const)[i % 3]! : kind;
        if (which === 'duplicate') return duplicates[i]!;
        return eventBody(`bench-${run}-${kind}-${i}`, which === 'below-threshold');
      });

    const kinds = {} as IngestFigures['kinds'];
    for (const kind of FINDING_KINDS) {
      const rates: number[] = [];
      const floors: number[] = [];
      const requestFloors: number[] = [];
      // Counted around Hivewire's runs only: the request floor's own calls go to the same stand-in.
      const counted = { requests: 0, posts: 0, calls: 0 };
      let cpuMicros = 0;
      for (let run = 0; run < runs; run += 1) {
        const bodies = bodiesFor(kind, run);
        floors.push(floorRate(bodies));
        requestFloors.push(await requestFloorRate(bodies, path, `${kind}-${run}`));
        const before = {
          requests: requests.count,
          posts: slackStandIn.posts.count,
          calls: slackStandIn.calls.length,
        };
        const started = process.hrtime.bigint();
        const cpuBefore = process.cpuUsage();
        await ingest(bodies);
        rates.push(bodies.length / (Number(process.hrtime.bigint() - started) / 1e9));
        const cpu = process.cpuUsage(cpuBefore);
        cpuMicros += cpu.user + cpu.system;
        counted.requests += requests.count - before.requests;
        counted.posts += slackStandIn.posts.count - before.posts;
        counted.calls += slackStandIn.calls.length - before.calls;
      }
      const findings = findingsPerRun * runs;
      const rate = spread(rates);
      const floor = spread(floors);
      const requestFloor = spread(requestFloors);
      kinds[kind] = {
        findingsPerSecond: rate,
        floorPerSecond: floor,
        timesFloor: floor.median / rate.median,
        requestFloorPerSecond: requestFloor,
        timesRequestFloor: requestFloor.median / rate.median,
        storeRequestsPerFinding: counted.requests / findings,
        slackPostsPerFinding: counted.posts / findings,
        slackCallsPerFinding: counted.calls / findings,
        cpuMsPerFinding: cpuMicros / 1000 / findings,
      };
    }
    return { findingsPerRun, runs, kinds };
  } finally {
    await path.close();
  }
}
