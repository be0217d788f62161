/**
 * Secrets in AWS: the template gives each function only the NAMES of the SSM parameters it may read
 * (`SLACK_BOT_TOKEN_PARAM=/hivewire/prod/slack-bot-token`, …); the values are fetched here, decrypted,
 * and read again after `SECRET_MAX_AGE_SECONDS`, so a rotated secret is in use within minutes without a
 * deploy. A Secrets Manager secret works too, named through SSM's reference path
 * `/aws/reference/secretsmanager/<secret-id>`.
 */
import { randomBytes } from 'node:crypto';
import type { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';

/** Environment variable naming an SSM parameter → the configuration variable its value fills. */
export const SECRET_PARAMETERS = {
  SLACK_BOT_TOKEN_PARAM: 'SLACK_BOT_TOKEN',
  SLACK_SIGNING_SECRET_PARAM: 'SLACK_SIGNING_SECRET',
  THEHIVE_API_KEY_PARAM: 'THEHIVE_API_KEY',
  THEHIVE_WEBHOOK_SECRET_PARAM: 'THEHIVE_WEBHOOK_SECRET',
  INGEST_SECRET_PARAM: 'INGEST_SECRET',
  // The OAuth install (many workspaces): given only when the stage is deployed with a slackClientId. Its
  // installations are encrypted with KMS data keys there (SLACK_INSTALLATION_KMS_KEY), no secret of ours.
  SLACK_CLIENT_SECRET_PARAM: 'SLACK_CLIENT_SECRET',
  SLACK_STATE_SECRET_PARAM: 'SLACK_STATE_SECRET',
} as const;

export type SecretVariable = (typeof SECRET_PARAMETERS)[keyof typeof SECRET_PARAMETERS];

/**
 * The threat-intel API keys, each optional: the worker's lookups read them from the environment
 * (src/lookups/lookup.ts), so in AWS they are resolved into it.
 */
export const INTEL_KEY_PARAMETERS = {
  VIRUSTOTAL_API_KEY_PARAM: 'VIRUSTOTAL_API_KEY',
  ABUSEIPDB_API_KEY_PARAM: 'ABUSEIPDB_API_KEY',
  URLHAUS_API_KEY_PARAM: 'URLHAUS_API_KEY',
} as const;

/** Teams' app password, read by the functions that talk to Teams (the teams route and the worker). */
export const TEAMS_SECRET_PARAMETERS = { TEAMS_APP_PASSWORD_PARAM: 'TEAMS_APP_PASSWORD' } as const;

/**
 * Webex's two secrets, given only to the functions that use Webex and only when the stage is deployed
 * with `webex=true`: the bot token to those that post (ingest, worker), the webhook secret to the one
 * that verifies deliveries (webex). With neither, Webex is off in that function.
 */
export const WEBEX_SECRET_PARAMETERS = {
  WEBEX_BOT_TOKEN_PARAM: 'WEBEX_BOT_TOKEN',
  WEBEX_WEBHOOK_SECRET_PARAM: 'WEBEX_WEBHOOK_SECRET',
} as const;

/**
 * How long a secret read from SSM is used before it is read again: the longest a container keeps
 * using a secret after its rotation. Short enough for a rotation, long enough that a busy function
 * reads SSM a few times an hour (SSM's standard throughput is 40 reads per second per account).
 */
export const SECRET_MAX_AGE_SECONDS = 300;

/** Reads one parameter's value (decrypted), or throws. */
export interface SecretSource {
  get(parameterName: string): Promise<string>;
}

/** A secret parameter could not be read: missing, not allowed, or SSM unreachable. Names the parameter, never a value. */
export class SecretUnavailableError extends Error {
  readonly code = 'SECRET_UNAVAILABLE';
  constructor(
    readonly variable: string,
    readonly parameterName: string,
    cause: unknown,
  ) {
    super(
      `${variable}: cannot read SSM parameter ${parameterName}: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    this.name = 'SecretUnavailableError';
  }
}

/**
 * SSM Parameter Store through Powertools Parameters, decrypting SecureStrings. Each value is cached for
 * `maxAgeSeconds`, then read again: the composition root (src/aws/runtime.ts) renews the configuration on
 * the same period and rebuilds the clients only when a value changed. Without a `provider`, the SSM
 * client is loaded by the first read, not with the module (see src/aws/runtime.ts).
 */
export function ssmSecretSource(
  provider?: SSMProvider,
  maxAgeSeconds = SECRET_MAX_AGE_SECONDS,
): SecretSource {
  let ready: Promise<SSMProvider> | undefined = provider && Promise.resolve(provider);
  return {
    async get(parameterName) {
      ready ??= import('@aws-lambda-powertools/parameters/ssm').then(({ SSMProvider }) => new SSMProvider());
      const ssm = await ready;
      const value = await ssm.get(parameterName, { decrypt: true, maxAge: maxAgeSeconds });
      if (typeof value !== 'string' || value.length === 0) throw new Error('empty value');
      return value;
    },
  };
}

/**
 * Resolves every `*_PARAM` variable of `parameters` present (and not empty) in `env` into the variable
 * it stands for, in parallel.
 *
 * @example
 *   await resolveSecrets({ SLACK_BOT_TOKEN_PARAM: '/hivewire/prod/slack-bot-token' }, ssmSecretSource())
 *   // → { SLACK_BOT_TOKEN: 'xoxb-…' }
 */
export async function resolveSecrets<P extends Record<string, string> = typeof SECRET_PARAMETERS>(
  env: NodeJS.ProcessEnv,
  source: SecretSource,
  parameters: P = SECRET_PARAMETERS as unknown as P,
): Promise<Partial<Record<P[keyof P], string>>> {
  const entries = Object.entries(parameters).filter(([param]) => Boolean(env[param]));
  const values = await Promise.all(
    entries.map(async ([param, variable]) => {
      const parameterName = env[param] as string;
      try {
        return [variable, await source.get(parameterName)] as const;
      } catch (error) {
        throw new SecretUnavailableError(variable, parameterName, error);
      }
    }),
  );
  return Object.fromEntries(values) as Partial<Record<P[keyof P], string>>;
}

/**
 * Each customer's own TheHive API key (config `customers.<c>.thehive.apiKeySecret`, an SSM parameter
 * name in AWS), read by the functions that call TheHive (those given `THEHIVE_API_KEY_PARAM`); the
 * others get a stand-in like `secretsForConfig`'s. Keyed by the parameter name, which is where
 * `resolveConfig` looks for it.
 */
export async function resolveCustomerKeys(
  env: NodeJS.ProcessEnv,
  secretNames: string[],
  source: SecretSource,
): Promise<Record<string, string>> {
  const entries = await Promise.all(
    secretNames.map(async (name) => {
      if (!env.THEHIVE_API_KEY_PARAM)
        return [name, `unavailable-${randomBytes(24).toString('hex')}`] as const;
      try {
        return [name, await source.get(name)] as const;
      } catch (error) {
        throw new SecretUnavailableError(`customer TheHive key`, name, error);
      }
    }),
  );
  return Object.fromEntries(entries);
}

/** This container's stand-in for each secret it was given no parameter for (see `secretsForConfig`). */
const unavailable = new Map<SecretVariable, string>();

/**
 * A value for each secret this function was given no parameter for. `loadConfig` requires every
 * secret once a bot token is set, but least privilege gives each function only the ones it uses: the
 * others get a random value per container, which can neither authenticate a request nor call an API.
 * The value stays the same for the container's life, so a renewal that changed nothing in SSM
 * rebuilds nothing.
 */
export function secretsForConfig(
  resolved: Partial<Record<SecretVariable, string>>,
): Record<SecretVariable, string> {
  const filled = {} as Record<SecretVariable, string>;
  for (const variable of Object.values(SECRET_PARAMETERS)) {
    if (!unavailable.has(variable))
      unavailable.set(variable, `unavailable-${randomBytes(24).toString('hex')}`);
    filled[variable] = resolved[variable] ?? unavailable.get(variable)!;
  }
  return filled;
}

/** This container's stand-in for the Webex secret its function was not given. */
const unavailableWebex = new Map<string, string>();

/**
 * Webex's secrets for the configuration: none when the function was given neither (Webex off); else
 * the one it was given, and an unguessable stand-in for the other, which `loadConfig` requires with it
 * (the stand-in can neither call Webex nor verify a delivery). Stable for the container's life, as
 * `secretsForConfig`'s.
 */
export function webexSecretsForConfig(
  resolved: Partial<Record<(typeof WEBEX_SECRET_PARAMETERS)[keyof typeof WEBEX_SECRET_PARAMETERS], string>>,
): Partial<Record<(typeof WEBEX_SECRET_PARAMETERS)[keyof typeof WEBEX_SECRET_PARAMETERS], string>> {
  if (Object.keys(resolved).length === 0) return {};
  const filled: Record<string, string> = {};
  for (const variable of Object.values(WEBEX_SECRET_PARAMETERS)) {
    if (!unavailableWebex.has(variable))
      unavailableWebex.set(variable, `unavailable-${randomBytes(24).toString('hex')}`);
    filled[variable] = resolved[variable] ?? unavailableWebex.get(variable)!;
  }
  return filled;
}
