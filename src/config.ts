/**
 * Configuration: environment variables plus an optional YAML/JSON file (`HIVEWIRE_CONFIG`), both
 * parsed with zod. A bad value fails at start with a message naming the key.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SEVERITIES, type Severity } from './findings/finding';

/** Documented sandbox values, used only when no Slack bot token is configured. */
export const SANDBOX_DEFAULTS = {
  slackSigningSecret: 'sandbox-signing-secret',
  theHiveApiKey: 'sandbox',
  theHiveWebhookSecret: 'sandbox-webhook-secret',
  ingestSecret: 'sandbox-ingest-secret',
  alertChannel: 'C0SANDBOX',
} as const;

const severity = z.enum(SEVERITIES);
const tlp = z.number().int().min(0).max(4);
const pap = z.number().int().min(0).max(3);
const slackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, 'must be a Slack user id (U…)');
const slackGroupId = z.string().regex(/^S[A-Z0-9]+$/, 'must be a Slack user group id (S…)');

const customerSettings = z.strictObject({
  channel: z.string().min(1).optional(),
  tlp: tlp.optional(),
  pap: pap.optional(),
  caseTemplate: z.string().min(1).optional(),
  severityThreshold: severity.optional(),
});

export const configFileSchema = z.strictObject({
  accounts: z
    .record(
      z.string().regex(/^\d{12}$/, 'account ids are 12 digits'),
      z.strictObject({ name: z.string().min(1).optional(), customer: z.string().min(1).optional() }),
    )
    .default({}),
  customers: z.record(z.string().min(1), customerSettings).default({}),
  defaults: z
    .strictObject({
      channel: z.string().min(1).optional(),
      tlp: tlp.default(2),
      pap: pap.default(2),
      severityThreshold: severity.optional(),
      customer: z.string().min(1).default('internal'),
      caseTemplate: z.string().min(1).optional(),
    })
    .default({ tlp: 2, pap: 2, customer: 'internal' }),
  slack: z
    .strictObject({
      admins: z.array(slackUserId).default([]),
      adminGroups: z.array(slackGroupId).default([]),
      onCall: slackGroupId.optional(),
    })
    .default({ admins: [], adminGroups: [] }),
  users: z.record(z.string().min(1), z.email()).default({}),
  /** "Was this you?": finding types (globs) asked automatically, how long to wait, where a SIEM reads answers. */
  triage: z
    .strictObject({
      autoAsk: z.array(z.string().min(1)).default([]),
      timeoutMinutes: z.number().int().min(1).max(10_080).default(60),
      siemQueueUrl: z.url({ protocol: /^https$/ }).optional(),
    })
    .optional(),
  /** Buttons that run a Lambda function or an SSM Automation runbook with the finding. */
  responseActions: z
    .array(
      z
        .strictObject({
          id: z
            .string()
            .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lowercase letters, digits, - and _ (at most 40)'),
          label: z.string().min(1).max(75),
          findingTypes: z.array(z.string().min(1)).min(1),
          lambda: z
            .string()
            .regex(
              /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:[\w-]+(:[\w$-]+)?$/,
              'must be a Lambda function ARN',
            )
            .optional(),
          ssmDocument: z
            .string()
            .regex(/^[a-zA-Z0-9_\-.:/]{3,128}$/, 'must be an SSM document name or ARN')
            .optional(),
          allowedUsers: z.array(slackUserId).optional(),
          allowedGroups: z.array(slackGroupId).optional(),
        })
        .refine((action) => (action.lambda === undefined) !== (action.ssmDocument === undefined), {
          message: 'give exactly one of lambda or ssmDocument',
        }),
    )
    .refine((actions) => new Set(actions.map((action) => action.id)).size === actions.length, {
      message: 'ids must be unique',
    })
    .default([]),
});
export type ConfigFile = z.infer<typeof configFileSchema>;

const envSchema = z.object({
  SLACK_BOT_TOKEN: z.string().min(1).optional(),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z.string().startsWith('xapp-').optional(),
  SLACK_ALERT_CHANNEL: z.string().min(1).optional(),
  SLACK_API_URL: z.url().optional(),
  THEHIVE_URL: z.url().optional(),
  THEHIVE_API_KEY: z.string().min(1).optional(),
  THEHIVE_ORGANISATION: z.string().min(1).optional(),
  THEHIVE_WEBHOOK_SECRET: z.string().min(1).optional(),
  INGEST_SECRET: z.string().min(1).optional(),
  SEVERITY_THRESHOLD: severity.optional(),
  HIVEWIRE_CONFIG: z.string().min(1).optional(),
  HIVEWIRE_DATA_DIR: z.string().min(1).default('.hivewire'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
});

export interface Config {
  /** True when no Slack bot token is configured: Slack and TheHive are served by local stand-ins. */
  sandbox: boolean;
  port: number;
  dataDir: string;
  /** Where the bot is reached from outside (links in the sandbox, webhook URLs); defaults to localhost. */
  publicUrl: string;
  slack: {
    botToken: string;
    signingSecret: string;
    appToken?: string;
    alertChannel: string;
    apiUrl?: string;
    admins: string[];
    adminGroups: string[];
    onCall?: string;
  };
  theHive: { url: string; apiKey: string; organisation?: string; webhookSecret: string };
  ingestSecret: string;
  severityThreshold: Severity;
  file: ConfigFile;
}

/** A configuration problem, naming the key at fault. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function describeIssues(error: z.ZodError, prefix: string): string {
  return error.issues
    .map((issue) => `${[prefix, ...issue.path.map(String)].filter(Boolean).join('.')}: ${issue.message}`)
    .join('; ');
}

/** Parses a config file's text (YAML, which also reads JSON). */
export function parseConfigFile(text: string, origin = 'config'): ConfigFile {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigError(`${origin}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(data);
  if (!parsed.success) throw new ConfigError(`${origin}: ${describeIssues(parsed.error, '')}`);
  return parsed.data;
}

/**
 * Reads the configuration from the environment (and the file it names).
 *
 * @example
 *   const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsedEnv = envSchema.safeParse(env);
  if (!parsedEnv.success) throw new ConfigError(`environment: ${describeIssues(parsedEnv.error, '')}`);
  const e = parsedEnv.data;

  let file: ConfigFile = configFileSchema.parse({});
  if (e.HIVEWIRE_CONFIG) {
    let text: string;
    try {
      text = readFileSync(e.HIVEWIRE_CONFIG, 'utf8');
    } catch (error) {
      throw new ConfigError(`HIVEWIRE_CONFIG: cannot read ${e.HIVEWIRE_CONFIG}: ${(error as Error).message}`);
    }
    file = parseConfigFile(text, e.HIVEWIRE_CONFIG);
  }

  const sandbox = !e.SLACK_BOT_TOKEN;
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
      botToken: e.SLACK_BOT_TOKEN ?? 'xoxb-sandbox',
      signingSecret: required('SLACK_SIGNING_SECRET', SANDBOX_DEFAULTS.slackSigningSecret),
      appToken: e.SLACK_APP_TOKEN,
      alertChannel: e.SLACK_ALERT_CHANNEL ?? file.defaults.channel ?? SANDBOX_DEFAULTS.alertChannel,
      apiUrl: e.SLACK_API_URL ?? (sandbox ? `${publicUrl}/sandbox/slack/api/` : undefined),
      admins: file.slack.admins,
      adminGroups: file.slack.adminGroups,
      onCall: file.slack.onCall,
    },
    theHive: {
      url: (e.THEHIVE_URL ?? (sandbox ? `${publicUrl}/sandbox/thehive` : '')).replace(/\/$/, ''),
      apiKey: required('THEHIVE_API_KEY', SANDBOX_DEFAULTS.theHiveApiKey),
      organisation: e.THEHIVE_ORGANISATION,
      webhookSecret: required('THEHIVE_WEBHOOK_SECRET', SANDBOX_DEFAULTS.theHiveWebhookSecret),
    },
    ingestSecret: required('INGEST_SECRET', SANDBOX_DEFAULTS.ingestSecret),
    severityThreshold: e.SEVERITY_THRESHOLD ?? file.defaults.severityThreshold ?? 'MEDIUM',
    file,
  };
}
