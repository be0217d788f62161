/**
 * Configuration: environment variables plus an optional YAML/JSON file (`HIVEWIRE_CONFIG`), both
 * parsed with zod. A bad value fails at start with a message naming the key.
 */
import * as z from '../validation/zod';
import { SEVERITIES, type Severity } from '../domain/finding';

/** Documented sandbox values, used only when no Slack bot token is configured. */
export const SANDBOX_DEFAULTS = {
  slackSigningSecret: 'sandbox-signing-secret',
  theHiveApiKey: 'sandbox',
  theHiveWebhookSecret: 'sandbox-webhook-secret',
  ingestSecret: 'sandbox-ingest-secret',
  alertChannel: 'C0SANDBOX',
  webexBotToken: 'sandbox-webex-bot-token',
  webexWebhookSecret: 'sandbox-webex-webhook-secret',
  /** The sandbox Webex space: `ciscospark://us/ROOM/5ec0b5a0-0000-4000-8000-00000000a1e7`, as Webex ids are. */
  webexRoomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vNWVjMGI1YTAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDBhMWU3',
  /** The sandbox Teams tenant's team and its alerts channel, as Teams thread ids are. */
  teamsTeam: '19:sandbox-team@thread.tacv2',
  teamsChannel: '19:sandbox-alerts@thread.tacv2',
  slackClientId: '1000000000.2000000000',
  slackClientSecret: 'sandbox-client-secret',
  slackStateSecret: 'sandbox-state-secret',
  /** 32 bytes, base64: the sandbox's installations are encrypted like real ones, with a key anyone can read. */
  slackInstallationKey: 'c2FuZGJveC1pbnN0YWxsYXRpb24ta2V5LTMyLWJ5dGU=',
  /**
   * The sandbox's Slack workspaces' domains (its own, then the one an install can pick): its stand-in
   * answers `auth.test` with `https://<domain>.slack.com/`, as Slack does, and permalinks built from
   * those URLs are read back as the console's (alerts/links.ts).
   */
  slackWorkspaceDomains: ['hivewire-sandbox', 'globex-sandbox'],
} as const;

const SNS_TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}$/;

const severity = z.enum(SEVERITIES);
const tlp = z.int().check(z.gte(0), z.lte(4));
const pap = z.int().check(z.gte(0), z.lte(3));
const nonEmpty = () => z.string().check(z.minLength(1));
const slackUserId = z.string().check(z.regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id (U…)'));
const slackGroupId = z.string().check(z.regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id (S…)'));
/** A Webex person: their id (base64 of `ciscospark://…/PEOPLE/…`) or their email address. */
const webexPerson = z.union([
  z.email(),
  z
    .string()
    .check(
      z.regex(/^Y2lzY29zcGFyazovL[A-Za-z0-9_-]+={0,2}$/, 'must be a Webex person id or an email address'),
    ),
]);
/** Where a customer's alerts go in Webex: a space (room) id. */
const webexTarget = z.strictObject({ room: nonEmpty() });
/** A Teams team or channel id, as Teams writes them (`19:…@thread.tacv2`). */
const teamsThreadId = z
  .string()
  .check(
    z.regex(/^19:[^\s;]+@thread\.(tacv2|skype)$/, 'must be a Teams team or channel id (19:…@thread.tacv2)'),
  );
/** Where a customer's alerts go in Teams: a team the app is installed in, and one of its channels. */
const teamsTarget = z.strictObject({ team: teamsThreadId, channel: teamsThreadId });
/** A Teams person: their Entra object id or their email address (user principal name). */
const teamsPerson = z.union([z.uuid('must be an Entra object id or an email address'), z.email()]);

/** Which way a case's conversation is copied (both by default): a customer can keep either side private. */
const conversationSettings = z.strictObject({
  slackToTheHive: z.optional(z.boolean()),
  theHiveToSlack: z.optional(z.boolean()),
});
const slackTeamId = z.string().check(z.regex(/^[TE][A-Z0-9]+$/, 'must be a Slack workspace id (T…)'));
const slackChannelId = z.string().check(z.regex(/^[CGD][A-Z0-9]+$/, 'must be a Slack channel id (C…)'));

const customerSettings = z.strictObject({
  channel: z.optional(nonEmpty()),
  /** The customer's own Slack workspace and the channel its alerts go to there (many customers). */
  slack: z.optional(z.strictObject({ team: slackTeamId, channel: slackChannelId })),
  /** The customer's TheHive organisation (`X-Organisation`) and, optionally, an API key of its own. */
  thehive: z.optional(
    z.strictObject({
      organisation: nonEmpty(),
      /** The key's name: an environment variable locally, an SSM parameter in AWS. */
      apiKeySecret: z.optional(nonEmpty()),
    }),
  ),
  tlp: z.optional(tlp),
  pap: z.optional(pap),
  caseTemplate: z.optional(nonEmpty()),
  severityThreshold: z.optional(severity),
  webex: z.optional(webexTarget),
  teams: z.optional(teamsTarget),
  conversation: z.optional(conversationSettings),
});

/** Whether two customers claim one Slack workspace (its threshold and its clicks would be ambiguous). */
function sharedWorkspace(customers: Record<string, { slack?: { team: string } }>): boolean {
  const teams = Object.values(customers).flatMap((customer) => (customer.slack ? [customer.slack.team] : []));
  return new Set(teams).size !== teams.length;
}

const responseAction = z
  .strictObject({
    id: z
      .string()
      .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, - and _ (at most 40)')),
    label: z.string().check(z.minLength(1), z.maxLength(75)),
    findingTypes: z.array(nonEmpty()).check(z.minLength(1)),
    lambda: z.optional(
      z
        .string()
        .check(
          z.regex(
            /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/,
            'must be a Lambda function ARN',
          ),
        ),
    ),
    ssmDocument: z.optional(
      z.string().check(z.regex(/^[a-zA-Z0-9_\-.:/]{3,128}$/, 'must be an SSM document name or ARN')),
    ),
    allowedUsers: z.optional(z.array(slackUserId)),
    allowedGroups: z.optional(z.array(slackGroupId)),
  })
  .check(
    z.refine((action) => (action.lambda === undefined) !== (action.ssmDocument === undefined), {
      message: 'give exactly one of lambda or ssmDocument',
    }),
  );

/** SLA watch: minutes a case may stay `New` (acknowledge) and open (resolve); whole minutes, at most 30 days. */
const slaMinutes = z.int().check(z.gte(1), z.lte(43_200));
const slaLimits = z.strictObject({
  acknowledgeMinutes: z.optional(slaMinutes),
  resolveMinutes: z.optional(slaMinutes),
});
/** Limits per severity and the tiers called on: at the warning share, at the breach, then the leads. */
const slaSettings = {
  severities: z.optional(z.partialRecord(severity, slaLimits)),
  /** The share of a limit at which the warning comes (0.8: at 24 of 30 minutes). */
  warnAt: z.optional(z.number().check(z.gt(0), z.lt(1))),
  onCall: z.optional(slackGroupId),
  leads: z.optional(slackGroupId),
  /** How long past a breach the leads are called on. */
  leadsAfterMinutes: z.optional(slaMinutes),
};

export const configFileSchema = z.strictObject({
  accounts: z._default(
    z.record(
      z
        .string()
        .check(
          z.regex(
            /^\d{12}$/,
            'not an account id: expected a 12-digit AWS account id, quoted ("012345678901")',
          ),
        ),
      z.strictObject({ name: z.optional(nonEmpty()), customer: z.optional(nonEmpty()) }),
    ),
    {},
  ),
  customers: z._default(
    z.record(nonEmpty(), customerSettings).check(
      z.refine((customers) => !sharedWorkspace(customers), {
        message: 'two customers name the same slack.team: a workspace belongs to one customer',
      }),
    ),
    {},
  ),
  defaults: z._default(
    z.strictObject({
      channel: z.optional(nonEmpty()),
      tlp: z._default(tlp, 2),
      pap: z._default(pap, 2),
      severityThreshold: z.optional(severity),
      customer: z._default(nonEmpty(), 'internal'),
      caseTemplate: z.optional(nonEmpty()),
      webex: z.optional(webexTarget),
      teams: z.optional(teamsTarget),
    }),
    { tlp: 2, pap: 2, customer: 'internal' },
  ),
  slack: z._default(
    z.strictObject({
      admins: z._default(z.array(slackUserId), []),
      adminGroups: z._default(z.array(slackGroupId), []),
      onCall: z.optional(slackGroupId),
    }),
    { admins: [], adminGroups: [] },
  ),
  /** Who may change settings from Webex (`@Hivewire threshold`), by person id or email. */
  webex: z.optional(z.strictObject({ admins: z._default(z.array(webexPerson), []) })),
  /** Who may change settings and run response actions from Teams, by Entra object id or email. */
  teams: z.optional(z.strictObject({ admins: z._default(z.array(teamsPerson), []) })),
  users: z._default(z.record(nonEmpty(), z.email()), {}),
  /** "Was this you?": finding types (globs) asked automatically, how long to wait, where a SIEM reads answers. */
  triage: z.optional(
    z.strictObject({
      autoAsk: z._default(z.array(nonEmpty()), []),
      timeoutMinutes: z._default(z.int().check(z.gte(1), z.lte(10_080)), 60),
      siemQueueUrl: z.optional(z.url({ protocol: /^https$/ })),
    }),
  ),
  /**
   * Storms (alerts/storm.ts): once `threshold` new findings came for a channel within the last minute, its
   * new findings are grouped by type and account into digest alerts, one per `digestMinutes`.
   */
  storms: z._default(
    z.strictObject({
      enabled: z._default(z.boolean(), true),
      threshold: z._default(z.int().check(z.gte(1), z.lte(1_000)), 20),
      digestMinutes: z._default(z.int().check(z.gte(1), z.lte(1_440)), 60),
    }),
    { enabled: true, threshold: 20, digestMinutes: 60 },
  ),
  /** SLA watch; each customer's settings override the defaults key by key. */
  sla: z.optional(
    z.strictObject({
      ...slaSettings,
      customers: z._default(z.record(nonEmpty(), z.strictObject(slaSettings)), {}),
    }),
  ),
  /** "Report to SOC" (message shortcut): who may report; without a list, everyone in the workspace. */
  report: z.optional(
    z.strictObject({
      allowedUsers: z.optional(z.array(slackUserId)),
      allowedGroups: z.optional(z.array(slackGroupId)),
    }),
  ),
  /** Buttons that run a Lambda function or an SSM Automation runbook with the finding. */
  responseActions: z._default(
    z.array(responseAction).check(
      z.refine((actions) => new Set(actions.map((action) => action.id)).size === actions.length, {
        message: 'ids must be unique',
      }),
    ),
    [],
  ),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.optional(nonEmpty()),
  SLACK_SIGNING_SECRET: z.optional(nonEmpty()),
  SLACK_APP_TOKEN: z.optional(z.string().check(z.startsWith('xapp-'))),
  SLACK_ALERT_CHANNEL: z.optional(nonEmpty()),
  SLACK_API_URL: z.optional(z.url()),
  WEBEX_BOT_TOKEN: z.optional(nonEmpty()),
  WEBEX_WEBHOOK_SECRET: z.optional(nonEmpty()),
  WEBEX_ROOM_ID: z.optional(nonEmpty()),
  WEBEX_API_URL: z.optional(z.url()),
  SLACK_CLIENT_ID: z.optional(z.string().check(z.regex(/^\d+\.\d+$/, "must be the Slack app's client id"))),
  SLACK_CLIENT_SECRET: z.optional(nonEmpty()),
  SLACK_STATE_SECRET: z.optional(z.string().check(z.minLength(32, 'must be at least 32 characters'))),
  SLACK_INSTALLATION_KEY: z.optional(
    z
      .string()
      .check(
        z.refine(
          (key) => Buffer.from(key, 'base64').length === 32,
          'must be 32 bytes, base64 (openssl rand -base64 32)',
        ),
      ),
  ),
  /** Where the sandbox's "Add to Slack" sends the browser instead of slack.com (sandbox only). */
  SLACK_AUTHORIZATION_URL: z.optional(z.url()),
  /** In AWS: the KMS key (id, ARN or alias) whose data keys encrypt the installations, instead of a key of our own. */
  SLACK_INSTALLATION_KMS_KEY: z.optional(nonEmpty()),
  THEHIVE_URL: z.optional(z.url()),
  THEHIVE_API_KEY: z.optional(nonEmpty()),
  THEHIVE_ORGANISATION: z.optional(nonEmpty()),
  THEHIVE_WEBHOOK_SECRET: z.optional(nonEmpty()),
  INGEST_SECRET: z.optional(nonEmpty()),
  SEVERITY_THRESHOLD: z.optional(severity),
  HIVEWIRE_CONFIG: z.optional(nonEmpty()),
  HIVEWIRE_DATA_DIR: z._default(nonEmpty(), '.hivewire'),
  PORT: z._default(z.pipe(z.coerce.number(), z.int().check(z.gte(0), z.lte(65535))), 3000),
  PUBLIC_URL: z.optional(z.url()),
  JOB_MAX_ATTEMPTS: z.optional(z.pipe(z.coerce.number(), z.int().check(z.gte(1)))),
  INGEST_SNS_TOPIC_ARNS: z._default(
    z.pipe(
      z.pipe(
        z.string(),
        z.transform((list) =>
          list
            .split(',')
            .map((arn) => arn.trim())
            .filter(Boolean),
        ),
      ),
      z.array(z.string().check(z.regex(SNS_TOPIC_ARN, 'must be SNS topic ARNs, separated by commas'))),
    ),
    [],
  ),
});

export interface Config {
  /** True when no Slack bot token is configured: Slack and TheHive are served by local stand-ins. */
  sandbox: boolean;
  port: number;
  dataDir: string;
  /** Where the bot is reached from outside (links in the sandbox, webhook URLs); defaults to localhost. */
  publicUrl: string;
  slack: {
    /** The single workspace's bot token; absent when every workspace installs the app through OAuth. */
    botToken?: string;
    signingSecret: string;
    appToken?: string;
    alertChannel: string;
    apiUrl?: string;
    admins: string[];
    adminGroups: string[];
    onCall?: string;
    /** Slack OAuth v2 install (`GET /slack/install`), when the app is distributed to many workspaces. */
    oauth?: SlackOAuthConfig;
  };
  theHive: {
    url: string;
    apiKey: string;
    organisation?: string;
    webhookSecret: string;
    /** Customer → its own API key, read from the secret its `thehive.apiKeySecret` names. */
    customerApiKeys: Record<string, string>;
  };
  /** Webex, when a bot token is set (always in the sandbox, against its stand-in). */
  webex?: {
    botToken: string;
    webhookSecret: string;
    /** The space for alerts of customers without one of their own (`WEBEX_ROOM_ID`, else `defaults.webex.room`). */
    defaultRoom?: string;
    apiUrl?: string;
    admins: string[];
  };
  ingestSecret: string;
  /**
   * The SNS topics whose signed deliveries `POST /ingest` accepts: a valid signature proves only that
   * SNS sent the message, and anyone can subscribe the route to a topic of their own. None by default.
   */
  ingestSnsTopicArns: string[];
  severityThreshold: Severity;
  /**
   * In AWS, the receive on which a job or findings event fails for good: serverless.yml sets
   * `JOB_MAX_ATTEMPTS` from the same value as the queues' redrive `maxReceiveCount`.
   */
  jobMaxAttempts?: number;
  file: ConfigFile;
}

/**
 * What the OAuth install needs (env `SLACK_CLIENT_ID`, `SLACK_CLIENT_SECRET`, `SLACK_STATE_SECRET`, and
 * `SLACK_INSTALLATION_KEY` or, in AWS, `SLACK_INSTALLATION_KMS_KEY`).
 */
export interface SlackOAuthConfig {
  clientId: string;
  clientSecret: string;
  /** Signs the `state` of an install, so a forged or altered one is refused. */
  stateSecret: string;
  /** How the installations (bot tokens) are encrypted in the store. */
  installationKey: InstallationKey;
  /** Slack's authorize page; the sandbox serves its own. */
  authorizationUrl?: string;
}

/**
 * The key of the installations' encryption: an AES-256 key of our own (local runs, the sandbox), or a
 * KMS key whose data keys encrypt them (AWS: envelope encryption, nothing secret in the environment).
 */
export type InstallationKey = { kind: 'local'; key: Buffer } | { kind: 'kms'; keyId: string };

/** A configuration problem, naming the key at fault. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Issue = z.$ZodError['issues'][number];

/** A schema's parts as zod keeps them: enough to find the keys an object at some path may hold. */
interface SchemaDef {
  type: string;
  shape?: Record<string, SchemaParts>;
  innerType?: SchemaParts;
  valueType?: SchemaParts;
  element?: SchemaParts;
}
type SchemaParts = { _zod: { def: SchemaDef } };

/** The keys the config file allows for the object at `path` (empty when it is not a fixed-key object). */
function keysAt(path: readonly PropertyKey[]): string[] {
  let def = (configFileSchema as unknown as SchemaParts)._zod.def;
  let step = 0;
  for (;;) {
    if (def.innerType) def = def.innerType._zod.def;
    else if (step === path.length) return def.shape ? Object.keys(def.shape) : [];
    else {
      const next = def.shape?.[String(path[step])] ?? def.valueType ?? def.element;
      if (!next) return [];
      def = next._zod.def;
      step += 1;
    }
  }
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The known key a typo most likely meant: at most two edits away, and closer than a third of its length. */
function nearestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const ranked = known
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase()) }))
    .filter(({ candidate, distance }) => distance <= Math.min(2, Math.ceil(candidate.length / 3)))
    .sort((a, b) => a.distance - b.distance);
  return ranked[0]?.candidate;
}

/** Where an issue is, as a reader finds it in the file (`accounts.11112222`); the file's top level has no path. */
function issueWhere(path: readonly PropertyKey[], prefix = ''): string {
  return [prefix, ...path.map(String)].filter(Boolean).join('.') || 'top level';
}

/** `knownKeys`: where the keys an object may hold are known (the config file), "did you mean" can be said. */
function describeIssue(
  issue: Issue,
  prefix: string,
  knownKeys?: (path: readonly PropertyKey[]) => string[],
): string[] {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeys?.(issue.path) ?? [];
    return issue.keys.map((key) => {
      const nearest = nearestKey(key, known);
      const hint = nearest
        ? `did you mean "${nearest}"?`
        : known.length > 0
          ? `expected one of ${known.join(', ')}`
          : 'not expected here';
      return `${issueWhere([...issue.path, key], prefix)}: unknown key (${hint})`;
    });
  }
  // A record key that failed its own check: say what a key must be, not just that it is invalid.
  const reason = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
  return [`${issueWhere(issue.path, prefix)}: ${reason ?? issue.message}`];
}

function describeIssues(
  error: z.$ZodError,
  prefix: string,
  knownKeys?: (path: readonly PropertyKey[]) => string[],
): string {
  return error.issues.flatMap((issue) => describeIssue(issue, prefix, knownKeys)).join('; ');
}

/** Validates a config file's content, parsed from YAML or JSON; `origin` names it in errors. */
export function checkConfigFile(data: unknown, origin = 'config'): ConfigFile {
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(`${origin}: ${describeIssues(parsed.error, '', keysAt)}`);
  return parsed.data;
}

/** The config file's values when there is none. */
export function defaultConfigFile(): ConfigFile {
  return configFileSchema.parse({});
}

/**
 * Where alerts go without a channel of their customer's. The sandbox's channel exists only in the
 * sandbox: with a real workspace, a missing channel is a configuration error, not alerts posted to a
 * channel that is not there.
 */
function alertChannel(configured: string | undefined, sandbox: boolean): string {
  if (configured) return configured;
  if (sandbox) return SANDBOX_DEFAULTS.alertChannel;
  throw new ConfigError(
    'SLACK_ALERT_CHANNEL: required when SLACK_BOT_TOKEN is set, unless the config file sets defaults.channel',
  );
}

type Env = z.infer<typeof envSchema>;

/**
 * The OAuth install's settings: all four variables or none (the sandbox has documented values for
 * each, and its own authorize page). Unset with a bot token: one workspace, as before.
 */
function slackOAuth(e: Env, sandbox: boolean, publicUrl: string): SlackOAuthConfig | undefined {
  if (sandbox)
    return {
      clientId: e.SLACK_CLIENT_ID ?? SANDBOX_DEFAULTS.slackClientId,
      clientSecret: e.SLACK_CLIENT_SECRET ?? SANDBOX_DEFAULTS.slackClientSecret,
      stateSecret: e.SLACK_STATE_SECRET ?? SANDBOX_DEFAULTS.slackStateSecret,
      installationKey: {
        kind: 'local',
        key: Buffer.from(e.SLACK_INSTALLATION_KEY ?? SANDBOX_DEFAULTS.slackInstallationKey, 'base64'),
      },
      authorizationUrl: e.SLACK_AUTHORIZATION_URL ?? `${publicUrl}/sandbox/slack/oauth/v2/authorize`,
    };
  if (!e.SLACK_CLIENT_ID) return undefined;
  const missing = (['SLACK_CLIENT_SECRET', 'SLACK_STATE_SECRET', 'PUBLIC_URL'] as const).find(
    (key) => !e[key],
  );
  if (missing) throw new ConfigError(`${missing}: required when SLACK_CLIENT_ID is set`);
  if (!e.SLACK_INSTALLATION_KEY && !e.SLACK_INSTALLATION_KMS_KEY)
    throw new ConfigError(
      'SLACK_INSTALLATION_KEY: required when SLACK_CLIENT_ID is set (or SLACK_INSTALLATION_KMS_KEY in AWS)',
    );
  return {
    clientId: e.SLACK_CLIENT_ID,
    clientSecret: e.SLACK_CLIENT_SECRET!,
    stateSecret: e.SLACK_STATE_SECRET!,
    installationKey: e.SLACK_INSTALLATION_KMS_KEY
      ? { kind: 'kms', keyId: e.SLACK_INSTALLATION_KMS_KEY }
      : { kind: 'local', key: Buffer.from(e.SLACK_INSTALLATION_KEY!, 'base64') },
    authorizationUrl: e.SLACK_AUTHORIZATION_URL,
  };
}

/**
 * Each customer's own TheHive API key, read from the variable its `thehive.apiKeySecret` names (in AWS
 * that variable is filled from the SSM parameter of the same name). In the sandbox a missing one falls
 * back to the sandbox key; elsewhere it stops the start.
 */
function customerApiKeys(env: NodeJS.ProcessEnv, file: ConfigFile, sandbox: boolean): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [customer, settings] of Object.entries(file.customers)) {
    const secret = settings.thehive?.apiKeySecret;
    if (!secret) continue;
    const value = env[secret];
    if (value) keys[customer] = value;
    else if (!sandbox)
      throw new ConfigError(`customers.${customer}.thehive.apiKeySecret: ${secret} is not set`);
  }
  return keys;
}

/**
 * Webex is on with a bot token, which needs the webhook secret (deliveries are verified with it). The
 * sandbox runs it against its stand-in with documented values, unless a real token is given.
 */
function webexConfig(
  e: z.infer<typeof envSchema>,
  file: ConfigFile,
  sandbox: boolean,
  publicUrl: string,
): Config['webex'] {
  const local = sandbox && !e.WEBEX_BOT_TOKEN;
  if (!e.WEBEX_BOT_TOKEN && !local) return undefined;
  const webhookSecret = e.WEBEX_WEBHOOK_SECRET ?? (local ? SANDBOX_DEFAULTS.webexWebhookSecret : undefined);
  if (!webhookSecret) throw new ConfigError('WEBEX_WEBHOOK_SECRET: required when WEBEX_BOT_TOKEN is set');
  return {
    botToken: e.WEBEX_BOT_TOKEN ?? SANDBOX_DEFAULTS.webexBotToken,
    webhookSecret,
    defaultRoom:
      e.WEBEX_ROOM_ID ?? file.defaults.webex?.room ?? (local ? SANDBOX_DEFAULTS.webexRoomId : undefined),
    apiUrl: e.WEBEX_API_URL ?? (local ? `${publicUrl}/sandbox/webex/v1` : undefined),
    admins: file.webex?.admins ?? [],
  };
}

/**
 * The configuration from the environment and an already-read config file. Reading the file is the
 * caller's: `loadConfig` (config-file.ts) reads YAML from disk; in AWS the file is JSON from SSM, so
 * the Lambda bundles carry no YAML parser.
 *
 * @example
 *   const config = resolveConfig(process.env, defaultConfigFile());
 */
export function resolveConfig(env: NodeJS.ProcessEnv, file: ConfigFile): Config {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(`environment: ${describeIssues(parsedEnv.error, '')}`);
  const e = parsedEnv.data;

  const sandbox = !e.SLACK_BOT_TOKEN && !e.SLACK_CLIENT_ID;
  const publicUrl = (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, '');
  const required = (key: keyof typeof e, sandboxValue: string): string => {
    const value = e[key];
    if (typeof value === 'string') return value;
    if (sandbox) return sandboxValue;
    throw new ConfigError(`${key}: required when SLACK_BOT_TOKEN is set`);
  };

  return {
    sandbox,
    port: e.PORT,
    dataDir: e.HIVEWIRE_DATA_DIR,
    publicUrl,
    slack: {
      botToken: e.SLACK_BOT_TOKEN ?? (sandbox ? 'xoxb-sandbox' : undefined),
      signingSecret: required('SLACK_SIGNING_SECRET', SANDBOX_DEFAULTS.slackSigningSecret),
      appToken: e.SLACK_APP_TOKEN,
      alertChannel: alertChannel(e.SLACK_ALERT_CHANNEL ?? file.defaults.channel, sandbox),
      apiUrl: e.SLACK_API_URL ?? (sandbox ? `${publicUrl}/sandbox/slack/api/` : undefined),
      admins: file.slack.admins,
      adminGroups: file.slack.adminGroups,
      onCall: file.slack.onCall,
      oauth: slackOAuth(e, sandbox, publicUrl),
    },
    theHive: {
      url: (e.THEHIVE_URL ?? (sandbox ? `${publicUrl}/sandbox/thehive` : '')).replace(/\/$/, ''),
      apiKey: required('THEHIVE_API_KEY', SANDBOX_DEFAULTS.theHiveApiKey),
      organisation: e.THEHIVE_ORGANISATION,
      webhookSecret: required('THEHIVE_WEBHOOK_SECRET', SANDBOX_DEFAULTS.theHiveWebhookSecret),
      customerApiKeys: customerApiKeys(env, file, sandbox),
    },
    webex: webexConfig(e, file, sandbox, publicUrl),
    ingestSecret: required('INGEST_SECRET', SANDBOX_DEFAULTS.ingestSecret),
    ingestSnsTopicArns: e.INGEST_SNS_TOPIC_ARNS,
    severityThreshold: e.SEVERITY_THRESHOLD ?? file.defaults.severityThreshold ?? 'MEDIUM',
    jobMaxAttempts: e.JOB_MAX_ATTEMPTS,
    file: sandbox && !env.TEAMS_APP_ID ? withSandboxTeams(file) : file,
  };
}

/**
 * The sandbox's Teams stand-in (no `TEAMS_APP_ID`) gets the alerts in its channel when the config file
 * routes Teams nowhere, as the sandbox's Webex space does: `npm start` shows every platform at work.
 */
function withSandboxTeams(file: ConfigFile): ConfigFile {
  if (file.defaults.teams) return file;
  const teams = { team: SANDBOX_DEFAULTS.teamsTeam, channel: SANDBOX_DEFAULTS.teamsChannel };
  return { ...file, defaults: { ...file.defaults, teams } };
}
