/**
 * The many-customers harness: the local composition root (createLocalRuntime) and server with two
 * customers, each in its own Slack workspace and TheHive organisation, next to the provider's own
 * workspace (the single SLACK_BOT_TOKEN) and organisation; OAuth set up. Slack and TheHive are
 * answered at the HTTP layer (nock), and every call is recorded with the token or key and the
 * organisation it carried, so a test can say whose workspace and organisation each call reached.
 */
import nock from 'nock';
import './restore-nock';
import { resolveConfig, type Config } from '../../src/config/config';
import { parseConfigFile } from '../../src/config/config-file';
import { signSlackRequest } from '../../src/http/slack-signature';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import { startServer, type RunningServer } from '../../src/http/server';
import { InstallationVault } from '../../src/slack/installations';
import { startEmbeddedStore } from '../../src/store/embedded';
import type { AlertRecord } from '../../src/domain/alert';
import { theHiveAlert, theHiveCase } from '../clients/thehive/fixtures';
import { makeAlertRecord, type AlertRecordOverrides } from './alerts';

export const THEHIVE_URL = 'https://thehive.customers.test';
export const PUBLIC_URL = 'https://hivewire.customers.test';
export const SIGNING_SECRET = 'customers-signing-secret';
export const WEBHOOK_SECRET = 'customers-webhook-secret';
export const STATE_SECRET = 'customers-state-secret-of-32-characters!';
export const CLIENT_ID = '1111111111.2222222222';
export const CLIENT_SECRET = 'customers-client-secret';

/** The provider's own workspace (SLACK_BOT_TOKEN) and the two customers'. */
export const SOC = {
  team: 'T0SOC',
  channel: 'C0SOC',
  token: 'xoxb-soc',
  organisation: 'soc',
  key: 'soc-key',
};
export const ACME = {
  team: 'T0ACME',
  channel: 'C0ACME',
  token: 'xoxb-acme',
  organisation: 'acme',
  key: 'soc-key',
};
export const BETA = {
  team: 'T0BETA',
  channel: 'C0BETA',
  token: 'xoxb-beta',
  organisation: 'beta',
  key: 'beta-key',
};

export const CONFIG_YAML = `
accounts:
  '111111111111': { name: acme-prod, customer: acme }
  '222222222222': { name: beta-prod, customer: beta }
customers:
  acme:
    slack: { team: ${ACME.team}, channel: ${ACME.channel} }
    thehive: { organisation: ${ACME.organisation} }
    tlp: 3
  beta:
    slack: { team: ${BETA.team}, channel: ${BETA.channel} }
    thehive: { organisation: ${BETA.organisation}, apiKeySecret: BETA_THEHIVE_KEY }
defaults: { customer: internal }
slack: { admins: [U0ADMIN, U0ACMEADMIN] }
`;

export const ENV = {
  SLACK_BOT_TOKEN: SOC.token,
  SLACK_SIGNING_SECRET: SIGNING_SECRET,
  SLACK_ALERT_CHANNEL: SOC.channel,
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
  SLACK_STATE_SECRET: STATE_SECRET,
  SLACK_INSTALLATION_KEY: Buffer.alloc(32, 7).toString('base64'),
  THEHIVE_URL,
  THEHIVE_API_KEY: SOC.key,
  THEHIVE_ORGANISATION: SOC.organisation,
  THEHIVE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  INGEST_SECRET: 'customers-ingest-secret',
  BETA_THEHIVE_KEY: BETA.key,
  PUBLIC_URL,
};

/** A Slack Web API call: method, arguments and the token it was made with. */
export interface SlackCall {
  method: string;
  token: string;
  args: Record<string, unknown>;
}

/** A TheHive call: what was asked, with which key and in which organisation. */
export interface TheHiveCall {
  method: string;
  path: string;
  organisation?: string;
  authorization?: string;
  body: unknown;
}

export interface CustomersHarness {
  config: Config;
  runtime: LocalRuntime;
  server: RunningServer;
  clock: { now: Date };
  slackCalls: SlackCall[];
  theHiveCalls: TheHiveCall[];
  /** Bot tokens Slack knows (auth.test answers with their workspace): the OAuth install adds one. */
  tokens: Map<string, string>;
  /** Codes Slack's authorize page handed out: `oauth.v2.access` exchanges each for its answer. */
  codes: Map<string, Record<string, unknown>>;
  /** Sends a signed request to `POST /slack/events` as Slack would from `team`. */
  slack(body: string, contentType?: string): Promise<Response>;
  /** A signed block_actions click from a user of `team`. */
  click(team: string, actionId: string, value: string, channel: string): Promise<Response>;
  /** A signed `/hivewire` command typed in `team`. */
  command(team: string, text: string, userId?: string): Promise<Response>;
  webhook(body: unknown): Promise<Response>;
  /** Keeps an installation for `team` as the OAuth install would, and lets Slack know its token. */
  install(team: string, token: string): Promise<void>;
  seedAlert(overrides: AlertRecordOverrides): Promise<AlertRecord>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

function argsOf(body: unknown): Record<string, unknown> {
  const fields: Record<string, unknown> =
    typeof body === 'string' ? Object.fromEntries(new URLSearchParams(body)) : { ...(body as object) };
  for (const key of ['blocks', 'metadata'])
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  return fields;
}

/** Starts the harness: env and config above, unless a test passes its own. */
export async function startCustomersHarness(
  env: Record<string, string> = ENV,
  yaml = CONFIG_YAML,
): Promise<CustomersHarness> {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  const opened = await startEmbeddedStore({ inMemory: true });
  const clock = { now: new Date(Math.floor(Date.now() / 1000) * 1000) };
  const config = resolveConfig(env, parseConfigFile(yaml));
  const runtime = await createLocalRuntime(config, {
    store: opened.store,
    slackPostIntervalMs: 0,
    backoffMs: () => 1,
    now: () => new Date(clock.now.getTime()),
  });
  const server = await startServer(runtime, { port: 0, host: '127.0.0.1', reconcileEveryMs: 0 });

  const tokens = new Map([[SOC.token, SOC.team]]);
  const codes = new Map<string, Record<string, unknown>>();
  const slackCalls: SlackCall[] = [];
  let ts = 0;
  nock('https://slack.com')
    .persist()
    .post(/^\/api\/[\w.]+$/)
    .reply(function (uri, body) {
      const method = uri.replace('/api/', '');
      const args = argsOf(body);
      const token =
        String(this.req.headers.authorization ?? '').replace(/^Bearer /, '') || String(args.token ?? '');
      slackCalls.push({ method, token, args });
      if (method === 'oauth.v2.access') {
        if (args.client_id !== CLIENT_ID || args.client_secret !== CLIENT_SECRET)
          return [200, { ok: false, error: 'invalid_client_id' }];
        const answer = codes.get(String(args.code));
        // A code works once, as Slack's do.
        codes.delete(String(args.code));
        if (!answer) return [200, { ok: false, error: 'invalid_code' }];
        tokens.set(
          String(answer.access_token),
          String((answer.team as { id?: string } | null)?.id ?? 'T0ORG'),
        );
        return [200, answer];
      }
      const team = tokens.get(token);
      if (!team) return [200, { ok: false, error: 'invalid_auth' }];
      if (method === 'auth.test')
        return [
          200,
          { ok: true, user_id: `U0BOT${team}`, bot_id: `B0BOT${team}`, team_id: team, user: 'hivewire' },
        ];
      // Each workspace has its own people and DMs: the user and DM ids name the workspace they are in.
      if (method === 'users.lookupByEmail') return [200, { ok: true, user: { id: `U0PERSON${team}` } }];
      if (method === 'conversations.open')
        return [200, { ok: true, channel: { id: `D0${String(args.users)}` } }];
      ts += 1;
      return [200, { ok: true, channel: args.channel, ts: `1764065000.${String(ts).padStart(6, '0')}` }];
    });

  const theHiveCalls: TheHiveCall[] = [];
  const reply = function (this: nock.ReplyFnContext, uri: string, body: nock.Body): nock.ReplyFnResult {
    const organisation = this.req.headers['x-organisation'] as string | undefined;
    theHiveCalls.push({
      method: this.req.method ?? '',
      path: uri,
      organisation,
      authorization: this.req.headers.authorization as string | undefined,
      body: typeof body === 'string' && body ? JSON.parse(body) : body,
    });
    if (uri === '/api/v1/alert') return [201, theHiveAlert({ _id: `~alert-${organisation}` })];
    // Case numbers are per organisation: each customer's first case is #1.
    if (/\/api\/v1\/alert\/[^/]+\/case$/.test(uri))
      return [201, theHiveCase({ _id: `~case-${organisation}`, number: 1 })];
    if (uri.startsWith('/api/v1/query')) return [200, []];
    return [404, { type: 'NotFoundError', message: 'not here' }];
  };
  const scope = nock(THEHIVE_URL).persist();
  scope.post(/^\/api\/v1\//).reply(reply);
  scope.get(/^\/api\/v1\//).reply(reply);

  const slack = (body: string, contentType = 'application/x-www-form-urlencoded') =>
    fetch(`${server.url}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': contentType,
        ...signSlackRequest({ signingSecret: SIGNING_SECRET, rawBody: body, nowMs: clock.now.getTime() }),
      },
      body,
    });

  return {
    config,
    runtime,
    server,
    clock,
    slackCalls,
    theHiveCalls,
    tokens,
    codes,
    slack,
    click(team, actionId, value, channel) {
      const payload = {
        type: 'block_actions',
        team: { id: team, domain: team.toLowerCase() },
        user: { id: `U0IN${team}`, username: 'analyst', name: 'analyst', team_id: team },
        api_app_id: 'A0HIVEWIRE',
        token: 'legacy-token',
        trigger_id: '123.456.trigger',
        response_url: `https://hooks.slack.com/actions/${team}/1/response`,
        container: {
          type: 'message',
          message_ts: '1764064800.000100',
          channel_id: channel,
          is_ephemeral: false,
        },
        channel: { id: channel, name: 'alerts' },
        message: { type: 'message', ts: '1764064800.000100', text: 'alert', blocks: [] },
        actions: [
          {
            type: 'button',
            action_id: actionId,
            block_id: 'actions',
            value,
            text: { type: 'plain_text', text: 'Create Case' },
            action_ts: '1764064810.000200',
          },
        ],
      };
      return slack(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    },
    command(team, text, userId = 'U0ADMIN') {
      return slack(
        new URLSearchParams({
          token: 'legacy-token',
          team_id: team,
          team_domain: team.toLowerCase(),
          channel_id: 'C0ANY',
          channel_name: 'alerts',
          user_id: userId,
          user_name: 'admin',
          command: '/hivewire',
          text,
          api_app_id: 'A0HIVEWIRE',
          response_url: `https://hooks.slack.com/commands/${team}/1/response`,
          trigger_id: '123.456.trigger',
        }).toString(),
      );
    },
    webhook(body) {
      return fetch(`${server.url}/thehive/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_SECRET}` },
        body: JSON.stringify(body),
      });
    },
    async seedAlert(overrides) {
      const record = makeAlertRecord(overrides);
      const { version: _version, ...rest } = record;
      await runtime.deps.store.createAlert(rest);
      return (await runtime.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    },
    async install(team, token) {
      tokens.set(token, team);
      await new InstallationVault(runtime.deps.store, config.slack.oauth!.installationKey).storeInstallation({
        team: { id: team },
        enterprise: undefined,
        user: { id: `U0INSTALLER${team}`, token: undefined, scopes: undefined },
        bot: { token, id: `B0BOT${team}`, userId: `U0BOT${team}`, scopes: ['chat:write'] },
        isEnterpriseInstall: false,
        authVersion: 'v2',
      });
    },
    drain: () => runtime.queue.drain(),
    async close() {
      await server.close();
      await runtime.close();
      await opened.close();
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}
