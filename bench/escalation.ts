/**
 * "Create Case" figures on this machine: how long a signed click takes over HTTP against the running
 * local server (`startServer`: the real router, Bolt app, store on dynalite and in-process worker) while
 * that worker is busy creating cases, beside a GET /healthz on the same server at the same time; and
 * how many HTTP requests TheHive receives per escalation as the number of observables grows. Slack and
 * TheHive are one local stub server on 127.0.0.1, TheHive answering after THEHIVE_DELAY_MS as a
 * loaded TheHive would.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCase } from '../src/cases/escalate';
import { loadConfig } from '../src/config/config-file';
import type { Observable } from '../src/domain/finding';
import { signSlackRequest } from '../src/http/slack-signature';
import type { JobOf } from '../src/queue/jobs';
import { createLocalRuntime } from '../src/local/runtime';
import { startServer } from '../src/http/server';
import { startEmbeddedStore } from '../src/store/embedded';
import { CREATE_CASE } from '../blocks/actions';
import { makeAlertRecord } from '../test/helpers/alerts';
import { latency } from './latency';

import { spread, type Spread } from './spread';

const SIGNING_SECRET = 'bench-signing-secret';
const CLICKS_PER_RUN = 100;
const WARM_UP_CLICKS = 20;
/** Create-case jobs queued before the clicks, so the worker is busy all the while. */
const BACKLOG = 300;
const THEHIVE_DELAY_MS = 20;
const OBSERVABLE_COUNTS = [1, 10, 100];

/** TheHive and Slack answering like healthy servers, counting the TheHive requests they receive. */
function startStub(): Promise<{
  server: Server;
  url: string;
  theHiveRequests: string[];
  delay: { ms: number };
}> {
  const delay = { ms: 0 };
  const theHiveRequests: string[] = [];
  const answer = (request: IncomingMessage): unknown => {
    const path = request.url ?? '';
    if (path.startsWith('/api/v1/')) theHiveRequests.push(`${request.method} ${path}`);
    if (path === '/api/auth.test')
      return { ok: true, user_id: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE', team_id: 'T0BENCH' };
    if (path.startsWith('/api/chat.')) return { ok: true, channel: 'C0BENCH', ts: '1764064999.000100' };
    if (path === '/api/v1/alert') return theHiveAnswer({ _id: '~4096', _type: 'Alert' });
    if (/^\/api\/v1\/alert\/[^/]+\/case$/.test(path))
      return theHiveAnswer({ _id: '~8192', _type: 'Case', number: 42 });
    if (/^\/api\/v1\/case\/[^/]+\/comment$/.test(path))
      return {
        _id: '~16384',
        _type: 'Comment',
        createdBy: 'hivewire',
        createdAt: 0,
        message: '',
        isEdited: false,
        external: false,
        extraData: {},
      };
    return { ok: false, error: 'unknown_method' };
  };
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const body = JSON.stringify(answer(request));
      const theHive = request.url?.startsWith('/api/v1/');
      setTimeout(
        () => {
          response.writeHead(theHive ? 201 : 200, { 'Content-Type': 'application/json' });
          response.end(body);
        },
        theHive ? delay.ms : 0,
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, theHiveRequests, delay });
    }),
  );
}

/** The fields TheHive's alert and case answers share, as the client validates them. */
function theHiveAnswer(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    _createdBy: 'hivewire',
    _createdAt: 1764050000000,
    type: 'hivewire',
    source: 'guardduty',
    sourceRef: 'bench',
    title: 'bench',
    description: 'bench',
    severity: 3,
    severityLabel: 'HIGH',
    date: 1764050000000,
    startDate: 1764050000000,
    tags: [],
    flag: false,
    tlp: 2,
    tlpLabel: 'AMBER',
    pap: 2,
    papLabel: 'AMBER',
    follow: true,
    customFields: [],
    observableCount: 0,
    status: 'New',
    stage: 'New',
    extraData: {},
    newDate: 1764050000000,
    ...fields,
  };
}

/** Milliseconds from sending `init` to `url` until its whole answer is read. */
async function timed(url: string, init: RequestInit, expected: number): Promise<number> {
  const started = process.hrtime.bigint();
  const response = await fetch(url, init);
  await response.arrayBuffer();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (response.status !== expected) throw new Error(`${url} answered ${response.status}`);
  return elapsedMs;
}

export interface AckFigures {
  runs: number;
  clicksPerRun: number;
  /** Per run p50 and p99 of the click, and of GET /healthz (the floor) sent just after each click. */
  clickP50: Spread;
  clickP99: Spread;
  floorP50: Spread;
  floorP99: Spread;
  /** TheHive requests the worker sent while the clicks ran: proof it was busy. */
  workerRequestsDuringClicks: number;
}

function clickBody(fingerprint: string, userId: string): string {
  const payload = {
    type: 'block_actions',
    team: { id: 'T0BENCH', domain: 'bench' },
    user: { id: userId, username: 'analyst', name: 'analyst', team_id: 'T0BENCH' },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '1.2.3',
    container: {
      type: 'message',
      message_ts: '1764064800.000100',
      channel_id: 'C0SECOPS',
      is_ephemeral: false,
    },
    channel: { id: 'C0SECOPS', name: 'secops' },
    message: { type: 'message', ts: '1764064800.000100', text: 'alert', blocks: [] },
    actions: [
      {
        type: 'button',
        action_id: CREATE_CASE,
        block_id: 'actions',
        value: fingerprint,
        text: { type: 'plain_text', text: 'Create Case' },
        action_ts: '1764064900.000200',
      },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Measures the Create Case click over HTTP (`runs` runs of CLICKS_PER_RUN signed clicks, each on its own
 * open alert, until the answer is read) against the running local server while its worker works
 * through BACKLOG create-case jobs, each click followed by GET /healthz as the floor; then the TheHive
 * requests one `createCase` sends for findings with 1, 10 and 100 observables. Prints nothing.
 */
export async function benchEscalation(runs: number): Promise<{
  ack: AckFigures;
  requestsPerEscalation: Record<number, number>;
}> {
  const savedLogLevel = process.env.POWERTOOLS_LOG_LEVEL;
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  const stub = await startStub();
  const embedded = await startEmbeddedStore({ inMemory: true });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_ALERT_CHANNEL: 'C0SECOPS',
    SLACK_API_URL: `${stub.url}/api/`,
    THEHIVE_URL: stub.url,
    THEHIVE_API_KEY: 'thehive-bench-key',
    THEHIVE_WEBHOOK_SECRET: 'webhook-bench-secret',
    INGEST_SECRET: 'ingest-bench-secret',
  });
  const runtime = await createLocalRuntime(config, { store: embedded.store, slackPostIntervalMs: 0 });
  const server = await startServer(runtime, { port: 0, host: '127.0.0.1', reconcileEveryMs: 0 });
  try {
    const createOpen = async (fingerprint: string, state: 'open' | 'escalating' = 'open') => {
      const { version: _version, ...record } = makeAlertRecord({
        finding: { fingerprint },
        state,
        ...(state === 'escalating' ? { escalatedBy: 'U0BUSY' } : {}),
      });
      await embedded.store.createAlert(record);
    };
    const clicks = Array.from(
      { length: WARM_UP_CLICKS + runs * CLICKS_PER_RUN },
      (_, i) => `bench-click-${i}`,
    );
    for (const fingerprint of clicks) await createOpen(fingerprint);
    for (let i = 0; i < BACKLOG; i += 1) await createOpen(`bench-busy-${i}`, 'escalating');

    stub.delay.ms = THEHIVE_DELAY_MS;
    for (let i = 0; i < BACKLOG; i += 1)
      await runtime.queue.enqueue({
        kind: 'create-case',
        fingerprint: `bench-busy-${i}`,
        userId: 'U0BUSY',
        requestedAt: new Date().toISOString(),
      });
    const theHiveBefore = stub.theHiveRequests.length;
    const click = (fingerprint: string) => {
      const body = clickBody(fingerprint, 'U0BENCH');
      return timed(
        `${server.url}/slack/events`,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            ...signSlackRequest({ signingSecret: SIGNING_SECRET, rawBody: body, nowMs: Date.now() }),
          },
          body,
        },
        200,
      );
    };
    const health = () => timed(`${server.url}/healthz`, {}, 200);
    // The first clicks warm Bolt, the store and the HTTP agents up: not counted.
    for (const fingerprint of clicks.slice(0, WARM_UP_CLICKS)) await click(fingerprint);
    const perRun = {
      clickP50: [] as number[],
      clickP99: [] as number[],
      floorP50: [] as number[],
      floorP99: [] as number[],
    };
    for (let run = 0; run < runs; run += 1) {
      const clickMs: number[] = [];
      const floorMs: number[] = [];
      const start = WARM_UP_CLICKS + run * CLICKS_PER_RUN;
      for (const fingerprint of clicks.slice(start, start + CLICKS_PER_RUN)) {
        clickMs.push(await click(fingerprint));
        floorMs.push(await health());
      }
      const clicked = latency(clickMs);
      const floor = latency(floorMs);
      perRun.clickP50.push(clicked.p50);
      perRun.clickP99.push(clicked.p99);
      perRun.floorP50.push(floor.p50);
      perRun.floorP99.push(floor.p99);
    }
    const workerRequestsDuringClicks = stub.theHiveRequests.length - theHiveBefore;
    stub.delay.ms = 0;
    await runtime.queue.drain();

    const requestsPerEscalation: Record<number, number> = {};
    for (const count of OBSERVABLE_COUNTS) {
      const fingerprint = `bench-observables-${count}`;
      const observables: Observable[] = Array.from({ length: count }, (_, i) => ({
        dataType: 'ip',
        data: `198.51.${Math.floor(i / 256)}.${i % 256}`,
        ioc: true,
      }));
      const { version: _version, ...record } = makeAlertRecord({
        finding: { fingerprint, observables },
        state: 'escalating',
        escalatedBy: 'U0BENCH',
      });
      await embedded.store.createAlert(record);
      const job: JobOf<'create-case'> = {
        kind: 'create-case',
        fingerprint,
        userId: 'U0BENCH',
        requestedAt: new Date().toISOString(),
      };
      stub.theHiveRequests.length = 0;
      await createCase(job, runtime.deps);
      if ((await embedded.store.getAlert(fingerprint))?.state !== 'escalated')
        throw new Error(`no case for ${count} observables`);
      requestsPerEscalation[count] = stub.theHiveRequests.length;
    }

    return {
      ack: {
        runs,
        clicksPerRun: CLICKS_PER_RUN,
        clickP50: spread(perRun.clickP50),
        clickP99: spread(perRun.clickP99),
        floorP50: spread(perRun.floorP50),
        floorP99: spread(perRun.floorP99),
        workerRequestsDuringClicks,
      },
      requestsPerEscalation,
    };
  } finally {
    await server.close();
    await runtime.close();
    await embedded.close();
    await new Promise((resolve) => stub.server.close(resolve));
    if (savedLogLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = savedLogLevel;
  }
}
