/**
 * A harness for the status sync: the local runtime (in-process queue and worker) behind the real HTTP
 * server on 127.0.0.1, the embedded store in memory, and Slack, TheHive and Security Hub answered by
 * nock at their real hosts, so a test asserts every call Hivewire makes.
 */
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import './restore-nock';
import { SecurityHubClient } from '../../clients/securityhub/client';
import { TheHiveClient } from '../../clients/thehive/client';
import type { Config } from '../../src/config/config';
import { loadConfig } from '../../src/config/config-file';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { startServer, type RunningServer } from '../../src/http/server';
import { SlackDelivery } from '../../src/slack/delivery';
import { SlackUserDirectory } from '../../src/slack/users';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import type { AlertRecord, CaseSnapshot } from '../../src/domain/alert';
import { makeAlertRecord, type AlertRecordOverrides } from './alerts';
import { chatRegistry } from '../../src/wiring/chats';

export const THEHIVE_URL = 'https://thehive.example.test';
export const WEBHOOK_SECRET = 'webhook-secret';
export const SECURITY_HUB_HOST = 'https://securityhub.eu-west-1.amazonaws.com';
/** The followed case: TheHive id, number, and the alert it was created from. */
export const CASE_ID = '~41000';
export const CASE_NUMBER = 42;
export const ALERT_TS = '1764064800.000100';
export const SECURITY_HUB_REF = {
  id: 'arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational/v/1.0.0/IAM.1/finding/0f1e2d3c',
  productArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
};

/** One Slack Web API call as Slack received it (form fields, `blocks` parsed). */
export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
}

/** One request to a mocked service (TheHive, Security Hub). */
export interface ServiceCall {
  method: string;
  path: string;
  body: unknown;
}

export interface SyncHarness {
  runtime: LocalRuntime;
  config: Config;
  server: RunningServer;
  slackCalls: SlackCall[];
  securityHubCalls: ServiceCall[];
  /** Answers Slack gives next for a method, before the default `ok` (e.g. a 500, then ok). */
  slackAnswers: Record<
    string,
    { status: number; body: Record<string, unknown>; headers?: Record<string, string> }[]
  >;
  /** Statuses Security Hub answers next, before the default success. */
  securityHubAnswers: number[];
  /** E-mail → Slack user id that `users.lookupByEmail` knows (others: users_not_found). */
  slackUsers: Record<string, string>;
  /** Sends a webhook delivery to `POST /thehive/webhook` (Bearer secret unless `authorization` is given). */
  webhook(body: unknown, authorization?: string | null): Promise<{ status: number; body: string }>;
  /** Waits for the queue to run every job (retries included). */
  drain(): Promise<void>;
  seedAlert(overrides?: AlertRecordOverrides): Promise<AlertRecord>;
  close(): Promise<void>;
}

/** The case as Hivewire last saw it when it linked it: New, unassigned, severity 2. */
export const NEW_CASE: CaseSnapshot = {
  status: 'New',
  stage: 'New',
  severity: 2,
  title: 'API ListBuckets was invoked from a Tor exit node',
  tags: ['hivewire', 'guardduty'],
  tlp: 2,
  pap: 2,
};

function slackArgs(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> =
    typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
  for (const key of ['blocks', 'metadata'])
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  return fields;
}

/** Starts the runtime, server and mocks. */
export async function startSyncHarness(): Promise<SyncHarness> {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  const opened: OpenedStore = await startEmbeddedStore({ inMemory: true });
  const config = loadConfig({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: 'signing-secret',
    SLACK_ALERT_CHANNEL: 'C0SECOPS',
    THEHIVE_URL,
    THEHIVE_API_KEY: 'thehive-key',
    THEHIVE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    INGEST_SECRET: 'ingest-secret',
  });
  const runtime = await createLocalRuntime(config, {
    store: opened.store,
    slackPostIntervalMs: 0,
    backoffMs: () => 1,
  });
  // The runtime's clients retry with real backoff (seconds); the tests see each failure at once.
  const webClient = new WebClient(config.slack.botToken, {
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  runtime.deps.slack = new SlackDelivery(webClient, 0);
  runtime.deps.users = new SlackUserDirectory(webClient);
  runtime.deps.chats = chatRegistry(config, runtime.deps.slack, runtime.deps.users);
  runtime.deps.theHive = new TheHiveClient({ baseUrl: THEHIVE_URL, apiKey: 'thehive-key', retries: 0 });
  runtime.deps.securityHub = new SecurityHubClient({ sdk: { maxAttempts: 1 } });
  const server = await startServer(runtime, { port: 0, host: '127.0.0.1', reconcileEveryMs: 0 });

  const slackCalls: SlackCall[] = [];
  const securityHubCalls: ServiceCall[] = [];
  const slackAnswers: SyncHarness['slackAnswers'] = {};
  const slackUsers: Record<string, string> = {};
  const securityHubAnswers: number[] = [];
  let ts = 0;
  nock('https://slack.com')
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply((uri, body) => {
      const method = uri.replace('/api/', '');
      const args = slackArgs(body);
      slackCalls.push({ method, args });
      const planned = slackAnswers[method]?.shift();
      if (planned) return [planned.status, planned.body, planned.headers ?? {}];
      if (method === 'users.lookupByEmail') {
        const id = slackUsers[String(args.email)];
        return [200, id ? { ok: true, user: { id } } : { ok: false, error: 'users_not_found' }];
      }
      ts += 1;
      return [200, { ok: true, channel: args.channel, ts: `1764065000.${String(ts).padStart(6, '0')}` }];
    });
  nock(SECURITY_HUB_HOST)
    .persist()
    .patch('/findings/batchupdate')
    .reply((uri, body) => {
      securityHubCalls.push({ method: 'PATCH', path: uri, body });
      const failure = securityHubAnswers.shift();
      if (failure)
        return [
          failure,
          { __type: 'InternalException', message: 'Internal service error' },
          { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'InternalException' },
        ];
      return [
        200,
        {
          ProcessedFindings: [{ Id: SECURITY_HUB_REF.id, ProductArn: SECURITY_HUB_REF.productArn }],
          UnprocessedFindings: [],
        },
        { 'Content-Type': 'application/json' },
      ];
    });

  return {
    runtime,
    config,
    server,
    slackCalls,
    securityHubCalls,
    slackAnswers,
    slackUsers,
    securityHubAnswers,
    async webhook(body, authorization = `Bearer ${WEBHOOK_SECRET}`) {
      const response = await fetch(`${server.url}/thehive/webhook`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(authorization === null ? {} : { authorization }),
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await response.text() };
    },
    drain: () => runtime.queue.drain(),
    async seedAlert(overrides = {}) {
      const record = makeAlertRecord({
        state: 'escalated',
        caseId: CASE_ID,
        caseNumber: CASE_NUMBER,
        caseUrl: `${THEHIVE_URL}/cases/${CASE_ID}/details`,
        escalatedBy: 'U0ANALYST',
        escalatedAt: '2026-11-25T10:06:00.000Z',
        case: NEW_CASE,
        caseUpdatedAt: 1795582800000,
        ts: ALERT_TS,
        ...overrides,
        finding: { securityHub: SECURITY_HUB_REF, ...overrides.finding },
      });
      const { version: _version, ...rest } = record;
      await runtime.deps.store.createAlert(rest);
      return (await runtime.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    },
    async close() {
      await server.close();
      await runtime.close();
      await opened.close();
    },
  };
}

/** A TheHive 5 OutputCase for the followed case, after a change. */
export function outputCase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    _id: CASE_ID,
    _type: 'Case',
    _createdBy: 'hivewire@example.com',
    _createdAt: 1795582800000,
    _updatedBy: 'analyst@example.com',
    _updatedAt: 1795582900000,
    number: CASE_NUMBER,
    title: NEW_CASE.title,
    description: 'GuardDuty finding',
    severity: 2,
    severityLabel: 'MEDIUM',
    startDate: 1795582800000,
    tags: NEW_CASE.tags,
    flag: false,
    tlp: 2,
    tlpLabel: 'AMBER',
    pap: 2,
    papLabel: 'AMBER',
    status: 'New',
    stage: 'New',
    extraData: {},
    newDate: 1795582800000,
    timeToDetect: 0,
    ...overrides,
  };
}

/**
 * A TheHive 5 webhook (endpoint version 1) audit event for the followed case: `details` the changed
 * fields, `object` the whole case after the change.
 */
export function caseEvent(input: {
  id?: string;
  action?: string;
  details?: Record<string, unknown>;
  object?: Record<string, unknown>;
  actor?: string;
  at?: number;
  objectType?: string;
  objectId?: string;
  extra?: Record<string, unknown>;
}): Record<string, unknown> {
  const at = input.at ?? 1795582900000;
  return {
    _id: input.id ?? `~9${at % 100000}`,
    _type: 'Audit',
    _createdAt: at,
    _createdBy: input.actor ?? 'analyst@example.com',
    action: input.action ?? 'update',
    objectType: input.objectType ?? 'Case',
    objectId: input.objectId ?? CASE_ID,
    rootId: input.objectId ?? CASE_ID,
    requestId: `req-${at}`,
    details: input.details ?? {},
    object:
      input.object ??
      outputCase({ ...input.details, _updatedAt: at, _updatedBy: input.actor ?? 'analyst@example.com' }),
    organisation: { organisationId: '~4096', organisation: 'SOC' },
    ...input.extra,
  };
}
