/**
 * The "Create Case" harness: the analyst harness (real Bolt app behind the real events endpoint, real
 * worker handler, in-memory store) plus what escalation tests need on top — requests signed any way
 * a test likes, a TheHive client with chosen retry settings, a worker loop that retries like the
 * queue does, and recorders for what Slack, TheHive and Security Hub received (nock, HTTP layer).
 */
import nock from 'nock';
import './restore-nock';
import { TheHiveClient, type TheHiveClientOptions } from '../../clients/thehive/client';
import { CREATE_CASE } from '../../blocks/actions';
import { signSlackRequest } from '../../src/http/slack-signature';
import type { Job } from '../../src/queue/jobs';
import type { HttpResponse } from '../../src/http/request';
import { createSlackEventsEndpoint } from '../../src/http/endpoints/slack-events';
import { callMetrics } from '../../src/observability/metrics';
import { createJobHandler } from '../../src/worker/worker';
import { analystClients } from '../../src/wiring/analyst-clients';
import {
  buttonClick,
  SIGNING_SECRET,
  slackForm,
  startAnalystHarness,
  THEHIVE_URL,
  type AnalystHarness,
} from './analyst';

export interface SentRequest {
  method: string;
  path: string;
  body: unknown;
}

export interface EscalationHarness extends AnalystHarness {
  /**
   * A Create Case click signed with `secret` at `atMs` (defaults: the right secret, the harness
   * clock), or not signed at all.
   */
  click(
    fingerprint: string,
    options?: { userId?: string; secret?: string; atMs?: number; unsigned?: boolean },
  ): Promise<HttpResponse>;
  /** Replaces the TheHive client (retries, timeouts, an injected sleep); no retries and no waits by default. */
  useTheHive(options?: Partial<TheHiveClientOptions>): void;
  /**
   * Runs the queued jobs the way the queue does: a job that throws is tried again, up to
   * `maxAttempts`. Resolves to the attempts each job took.
   */
  work(maxAttempts: number): Promise<{ job: Job; attempts: number }[]>;
}

/** Starts the harness; `configYaml` is the config file (customers, defaults). */
export async function startEscalationHarness(configYaml = ''): Promise<EscalationHarness> {
  const harness = await startAnalystHarness(configYaml);
  const endpoint = createSlackEventsEndpoint(harness.deps);
  return {
    ...harness,
    click(fingerprint, options = {}) {
      const payload = buttonClick({ actionId: CREATE_CASE, value: fingerprint, userId: options.userId });
      const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
      const signature = options.unsigned
        ? {}
        : signSlackRequest({
            signingSecret: options.secret ?? SIGNING_SECRET,
            rawBody: body,
            nowMs: options.atMs ?? harness.clock.now.getTime(),
          });
      return endpoint({
        method: 'POST',
        path: '/slack/events',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signature },
        body,
      });
    },
    useTheHive(options = {}) {
      harness.deps.theHive = new TheHiveClient({
        baseUrl: THEHIVE_URL,
        apiKey: 'thehive-key',
        retries: 0,
        sleep: async () => undefined,
        observe: callMetrics(harness.metrics, 'TheHiveCallLatency', 'TheHiveCallFailures'),
        ...options,
      });
    },
    async work(maxAttempts) {
      const handle = createJobHandler(
        Object.assign(harness.deps, analystClients(harness.deps, process.env)),
        maxAttempts,
      );
      const ran: { job: Job; attempts: number }[] = [];
      while (harness.jobs.length > 0) {
        const job = harness.jobs.shift() as Job;
        let attempts = 0;
        for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
          attempts = attempt;
          try {
            await handle(job, attempt);
            break;
          } catch {
            // The handler rethrows only what is worth another attempt.
          }
        }
        ran.push({ job, attempts });
      }
      return ran;
    },
  };
}

/** A scripted answer: status, JSON body, headers. */
export type Answer = [number, unknown, Record<string, string>?];

/**
 * Records every request to `https://thehive.test`-style hosts under `/api/v1` and answers each with
 * `answer` (called with the request, in order). Persisted until `nock.cleanAll()`.
 */
export function mockTheHive(
  answer: (request: SentRequest, index: number) => Answer | Promise<Answer>,
  options: { delayMs?: number } = {},
): SentRequest[] {
  const sent: SentRequest[] = [];
  const reply = async function (this: nock.ReplyFnContext, uri: string, body: nock.Body) {
    const request = {
      method: this.req.method ?? '',
      path: uri,
      body: typeof body === 'string' && body ? JSON.parse(body) : body,
    };
    sent.push(request);
    const [status, json, headers] = await answer(request, sent.length - 1);
    return [
      status,
      JSON.stringify(json),
      { 'Content-Type': 'application/json', ...headers },
    ] as nock.ReplyFnResult;
  };
  const scope = nock(THEHIVE_URL).persist();
  const delayed = (interceptor: nock.Interceptor) =>
    options.delayMs ? interceptor.delay(options.delayMs) : interceptor;
  delayed(scope.post(/^\/api\/v1\//)).reply(reply);
  delayed(scope.get(/^\/api\/v1\//)).reply(reply);
  return sent;
}

/** A Slack Web API call as received: method and its form fields (`blocks` parsed back from JSON). */
export interface SlackCall {
  method: string;
  fields: Record<string, unknown>;
}

/**
 * Records every Slack Web API call (auth.test included, answered as the bot); each answers
 * `{ ok: true, ts }` unless `fail` says otherwise for that method.
 */
export function mockSlack(fail: (method: string) => Answer | undefined = () => undefined): SlackCall[] {
  const calls: SlackCall[] = [];
  nock('https://slack.com')
    .persist()
    .post(/^\/api\//)
    .reply((uri, body) => {
      const method = uri.replace('/api/', '');
      if (method === 'auth.test')
        return [
          200,
          {
            ok: true,
            url: 'https://example.slack.com/',
            user_id: 'U0HIVEWIRE',
            bot_id: 'B0HIVEWIRE',
            team_id: 'T0TEST',
          },
        ];
      const form = slackForm(body);
      const fields: Record<string, unknown> = { ...form };
      if (typeof form.blocks === 'string') fields.blocks = JSON.parse(form.blocks);
      calls.push({ method, fields });
      const failure = fail(method);
      if (failure) return [failure[0], failure[1], failure[2]];
      return [
        200,
        { ok: true, channel: form.channel, ts: `1764064999.${String(calls.length).padStart(6, '0')}` },
      ];
    });
  return calls;
}

/** Records Security Hub `BatchUpdateFindings` calls in `region`, answering that the finding was processed. */
export function mockSecurityHub(region: string): SentRequest[] {
  const sent: SentRequest[] = [];
  nock(`https://securityhub.${region}.amazonaws.com`)
    .persist()
    .patch('/findings/batchupdate')
    .reply((uri, body) => {
      const request = body as { FindingIdentifiers: { Id: string; ProductArn: string }[] };
      sent.push({ method: 'PATCH', path: uri, body });
      return [
        200,
        { ProcessedFindings: request.FindingIdentifiers, UnprocessedFindings: [] },
        { 'Content-Type': 'application/json' },
      ];
    });
  return sent;
}
