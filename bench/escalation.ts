/**
 * "Create Case" figures on this machine: how long the signed click takes through the events endpoint
 * (the real Bolt app, the in-memory store), and how many HTTP requests TheHive receives per
 * escalation as the number of observables grows. Slack and TheHive are one local stub server on
 * 127.0.0.1; the local runtime is the composition root, with its queue swapped for a list so that the
 * click measures the fast path only.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCase } from '../src/cases/escalate';
import { loadConfig } from '../src/config-file';
import type { Observable } from '../src/findings/finding';
import { signSlackRequest } from '../src/http/slack-signature';
import type { Job, JobOf } from '../src/queue/jobs';
import { createLocalRuntime } from '../src/runtime';
import { createSlackEventsEndpoint } from '../src/slack/events-endpoint';
import { startEmbeddedStore } from '../src/store/embedded';
import { CREATE_CASE } from '../blocks/actions';
import { makeAlertRecord } from '../test/helpers/alerts';
import { latency, type Latency } from './latency';

const SIGNING_SECRET = 'bench-signing-secret';
const CLICKS = 200;
const OBSERVABLE_COUNTS = [1, 10, 100];

/** TheHive and Slack answering like healthy servers, counting the TheHive requests they receive. */
function startStub(): Promise<{ server: Server; url: string; theHiveRequests: string[] }> {
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
      response.writeHead(request.url?.startsWith('/api/v1/') ? 201 : 200, {
        'Content-Type': 'application/json',
      });
      response.end(body);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}`, theHiveRequests });
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
 * Measures the Create Case click (p50/p99 in ms over ~200 signed clicks, each on its own open alert,
 * until the endpoint answers — in Lambda mode that includes the listener's `chat.update`), and the
 * TheHive requests one `createCase` sends for findings with 1, 10 and 100 observables. Prints nothing.
 */
export async function benchEscalation(): Promise<{
  ackMs: Latency;
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
  const jobs: Job[] = [];
  runtime.deps.queue = { enqueue: async (job) => void jobs.push(job) };
  try {
    const endpoint = createSlackEventsEndpoint(runtime.deps);
    const fingerprints = Array.from({ length: CLICKS + 20 }, (_, i) => `bench-click-${i}`);
    for (const fingerprint of fingerprints) {
      const { version: _version, ...record } = makeAlertRecord({ finding: { fingerprint } });
      await embedded.store.createAlert(record);
    }
    const timings: number[] = [];
    for (const [index, fingerprint] of fingerprints.entries()) {
      const body = clickBody(fingerprint, 'U0BENCH');
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        ...signSlackRequest({ signingSecret: SIGNING_SECRET, rawBody: body, nowMs: Date.now() }),
      };
      const started = process.hrtime.bigint();
      const response = await endpoint({ method: 'POST', path: '/slack/events', headers, body });
      const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
      if (response.status !== 200) throw new Error(`click answered ${response.status}`);
      // The first clicks warm Bolt, the store and the HTTP agents up: not counted.
      if (index >= 20) timings.push(elapsedMs);
    }
    if (jobs.length !== fingerprints.length)
      throw new Error(`${jobs.length} create-case jobs for ${fingerprints.length} clicks`);

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
      ackMs: latency(timings),
      requestsPerEscalation,
    };
  } finally {
    await runtime.close();
    await embedded.close();
    await new Promise((resolve) => stub.server.close(resolve));
    if (savedLogLevel === undefined) delete process.env.POWERTOOLS_LOG_LEVEL;
    else process.env.POWERTOOLS_LOG_LEVEL = savedLogLevel;
  }
}
