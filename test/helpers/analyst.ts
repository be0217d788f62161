/**
 * An integration harness for the analyst features: the real Bolt app behind the real Slack events
 * endpoint (signature checks included), the real worker job handler, the embedded store (dynalite in
 * memory), and clients pointed at the real service hosts so that nock asserts every call at the
 * HTTP layer. Jobs are captured instead of run, so a test sees what the fast path queued and then
 * runs the worker's half itself.
 */
import { chatRegistry } from '../../src/wiring/chats';
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import './restore-nock';
import { SecurityHubClient } from '../../clients/securityhub/client';
import { TheHiveClient } from '../../clients/thehive/client';
import type { WorkerDeps } from '../../src/wiring/deps';
import type { Config } from '../../src/config/config';
import { loadConfig, parseConfigFile } from '../../src/config/config-file';
import { AccountDirectory } from '../../src/enrich/directory';
import { signSlackRequest } from '../../src/http/slack-signature';
import { createLogger } from '../../src/observability/logger';
import { callMetrics, countingDeadLetters, MetricsTally } from '../../src/observability/metrics';
import type { Job } from '../../src/queue/jobs';
import { SlackDelivery } from '../../src/slack/delivery';
import type { HttpResponse } from '../../src/http/request';
import { createSlackEventsEndpoint } from '../../src/http/endpoints/slack-events';
import { SlackUserDirectory } from '../../src/slack/users';
import type { AlertRecord } from '../../src/domain/alert';
import { startEmbeddedStore } from '../../src/store/embedded';
import { createJobHandler } from '../../src/worker/worker';
import { analystClients } from '../../src/wiring/analyst-clients';

export const SIGNING_SECRET = 'test-signing-secret';
export const INGEST_SECRET = 'test-ingest-secret';
export const THEHIVE_URL = 'https://thehive.example.test';
export const TEAM = { id: 'T0TEST', domain: 'example' };

export interface AnalystHarness {
  deps: WorkerDeps;
  config: Config;
  /** Jobs the fast path queued, in order (taken by `runJobs`). */
  jobs: Job[];
  /** What the use cases counted and timed, as the composition roots wire it. */
  metrics: MetricsTally;
  /** The clock the use cases and request signatures read (the store keeps its own); tests move it forward. */
  clock: { now: Date };
  /** Sends a signed request through `POST /slack/events`. */
  post(body: string, contentType: string): Promise<HttpResponse>;
  /** A signed block_actions / view_submission payload. */
  interact(payload: Record<string, unknown>): Promise<HttpResponse>;
  /** A signed slash command. */
  command(fields: Record<string, string>): Promise<HttpResponse>;
  /** A signed Events API envelope. */
  event(envelope: Record<string, unknown>): Promise<HttpResponse>;
  /** Runs the queued jobs through the worker's handler (new jobs they queue run too), each until an attempt ends. */
  runJobs(): Promise<Job[]>;
  /** Stores an alert record as ingest would have. */
  seedAlert(record: AlertRecord): Promise<void>;
  /** The embedded store's DynamoDB endpoint: another runtime (a second container) can open the same table. */
  storeEndpoint: string;
  close(): Promise<void>;
}

/**
 * Starts the harness with `configYaml` as the config file; `env` is what the composition root would
 * hand the analyst clients (the threat-intel keys among it). `jobAttempts` is the queue's retry limit:
 * `runJobs` delivers a job again, as the queue would, while its attempt throws (1: no retries).
 */
export async function startAnalystHarness(
  configYaml = '',
  env: NodeJS.ProcessEnv = process.env,
  { jobAttempts = 1 }: { jobAttempts?: number } = {},
): Promise<AnalystHarness> {
  const embedded = await startEmbeddedStore({ inMemory: true });
  const metrics = new MetricsTally();
  const store = countingDeadLetters(embedded.store, metrics);
  const clock = { now: new Date(Math.floor(Date.now() / 1000) * 1000) };
  const now = () => new Date(clock.now.getTime());

  const loaded = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_ALERT_CHANNEL: 'C0SECOPS',
    THEHIVE_URL,
    THEHIVE_API_KEY: 'thehive-key',
    THEHIVE_WEBHOOK_SECRET: 'webhook-secret',
    INGEST_SECRET,
  });
  const file = parseConfigFile(configYaml);
  const config: Config = {
    ...loaded,
    file,
    slack: {
      ...loaded.slack,
      admins: file.slack.admins,
      adminGroups: file.slack.adminGroups,
      onCall: file.slack.onCall,
    },
  };
  const jobs: Job[] = [];
  const webClient = new WebClient(config.slack.botToken, { retryConfig: { retries: 0 } });
  const logger = createLogger();
  const slack = new SlackDelivery(webClient, 0, {
    observe: callMetrics(metrics, 'SlackCallLatency', 'SlackCallFailures'),
  });
  const users = new SlackUserDirectory(webClient);
  const deps: WorkerDeps = {
    config,
    store,
    queue: { enqueue: async (job) => void jobs.push(job) },
    slack,
    users,
    chats: chatRegistry(config, slack, users),
    theHive: new TheHiveClient({
      baseUrl: THEHIVE_URL,
      apiKey: 'thehive-key',
      retries: 0,
      observe: callMetrics(metrics, 'TheHiveCallLatency', 'TheHiveCallFailures'),
    }),
    securityHub: new SecurityHubClient({ sdk: { maxAttempts: 1 } }),
    directory: new AccountDirectory({ config: file }),
    logger,
    metrics,
    now,
  };
  const endpointHandler = createSlackEventsEndpoint(deps);
  const handleJob = createJobHandler(Object.assign(deps, analystClients(deps, env)), jobAttempts);

  const post = (body: string, contentType: string) =>
    endpointHandler({
      method: 'POST',
      path: '/slack/events',
      headers: {
        'content-type': contentType,
        ...signSlackRequest({ signingSecret: SIGNING_SECRET, rawBody: body, nowMs: clock.now.getTime() }),
      },
      body,
    });

  return {
    deps,
    metrics,
    config,
    jobs,
    clock,
    storeEndpoint: embedded.endpoint,
    post,
    interact: (payload) =>
      post(`payload=${encodeURIComponent(JSON.stringify(payload))}`, 'application/x-www-form-urlencoded'),
    command: (fields) =>
      post(
        new URLSearchParams({ team_id: TEAM.id, team_domain: TEAM.domain, ...fields }).toString(),
        'application/x-www-form-urlencoded',
      ),
    event: (envelope) => post(JSON.stringify(envelope), 'application/json'),
    async runJobs() {
      const ran: Job[] = [];
      while (jobs.length > 0) {
        const job = jobs.shift() as Job;
        ran.push(job);
        for (let attempt = 1; ; attempt += 1) {
          try {
            await handleJob(job, attempt);
            break;
          } catch (error) {
            if (attempt >= jobAttempts) throw error;
          }
        }
      }
      return ran;
    },
    async seedAlert(record) {
      const { version: _version, ...rest } = record;
      await store.createAlert(rest);
    },
    async close() {
      await embedded.close();
    },
  };
}

/**
 * The app asks Slack for the bot's identity (`auth.test`) once per process (src/slack/app.ts), and the
 * worker its workspace's URL: each test that sends requests mocks it with this.
 */
export function mockAuthTest(): void {
  nock('https://slack.com').persist().post('/api/auth.test').reply(200, {
    ok: true,
    // The workspace's URL, as Slack answers it: alerts' permalinks are built from it.
    url: 'https://example.slack.com/',
    user_id: 'U0HIVEWIRE',
    bot_id: 'B0HIVEWIRE',
    team_id: TEAM.id,
    user: 'hivewire',
  });
}

/** An Events API envelope around `event`, as Slack delivers it to `/slack/events`. */
export function eventEnvelope(event: Record<string, unknown>, eventId: string, eventTime = 1764064800) {
  return {
    token: 'legacy-token',
    team_id: TEAM.id,
    api_app_id: 'A0HIVEWIRE',
    type: 'event_callback',
    event_id: eventId,
    event_time: eventTime,
    event,
  };
}

/** A block_actions payload for a button click on a message in `channel`. */
export function buttonClick(input: {
  actionId: string;
  value: string;
  userId?: string;
  channel?: string;
  messageTs?: string;
  threadTs?: string;
}): Record<string, unknown> {
  const channel = input.channel ?? 'C0SECOPS';
  const messageTs = input.messageTs ?? '1764064800.000100';
  return {
    type: 'block_actions',
    team: TEAM,
    user: { id: input.userId ?? 'U0ANALYST', username: 'analyst', name: 'analyst', team_id: TEAM.id },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '123.456.trigger',
    response_url: `https://hooks.slack.com/actions/${TEAM.id}/1/response`,
    container: { type: 'message', message_ts: messageTs, channel_id: channel, is_ephemeral: false },
    channel: { id: channel, name: 'secops' },
    message: {
      type: 'message',
      ts: messageTs,
      text: 'alert',
      blocks: [],
      ...(input.threadTs ? { thread_ts: input.threadTs } : {}),
    },
    actions: [
      {
        type: 'button',
        action_id: input.actionId,
        block_id: 'b1',
        value: input.value,
        text: { type: 'plain_text', text: 'button' },
        action_ts: '1764064900.000200',
      },
    ],
  };
}

/** Parses a Slack Web API form body (what `@slack/web-api` sends: JSON values as strings). */
export function slackForm(body: unknown): Record<string, string> {
  if (typeof body === 'string') return Object.fromEntries(new URLSearchParams(body));
  return body as Record<string, string>;
}
