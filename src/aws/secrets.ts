/**
 * Secrets in AWS: the template gives each function only the NAMES of the SSM parameters it may read
 * (`SLACK_BOT_TOKEN_PARAM=/hivewire/prod/slack-bot-token`, …); the values are fetched here, decrypted,
 * once per container. A Secrets Manager secret works too, named through SSM's reference path
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
} as const;

export type SecretVariable = (typeof SECRET_PARAMETERS)[keyof typeof SECRET_PARAMETERS];

/**
 * The threat-intel API keys, each optional: the worker's lookups read them from the environment
 * (src/analyst/lookup.ts), so in AWS they are resolved into it.
 */
export const INTEL_KEY_PARAMETERS = {
  VIRUSTOTAL_API_KEY_PARAM: 'VIRUSTOTAL_API_KEY',
  ABUSEIPDB_API_KEY_PARAM: 'ABUSEIPDB_API_KEY',
  URLHAUS_API_KEY_PARAM: 'URLHAUS_API_KEY',
} as const;

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
 * SSM Parameter Store through Powertools Parameters, decrypting SecureStrings. Values are cached for
 * the container's life: the composition root reads them once, and a rotated secret reaches a container
 * when it is recycled (a deploy or a configuration update recycles them all). Without a `provider`, the
 * SSM client is loaded by the first read, not with the module (see src/aws/edge.ts).
 */
export function ssmSecretSource(provider?: SSMProvider): SecretSource {
  let ready: Promise<SSMProvider> | undefined = provider && Promise.resolve(provider);
  return {
    async get(parameterName) {
      ready ??= import('@aws-lambda-powertools/parameters/ssm').then(({ SSMProvider }) => new SSMProvider());
      const ssm = await ready;
      const value = await ssm.get(parameterName, { decrypt: true, maxAge: Number.MAX_SAFE_INTEGER });
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
 * A value for each secret this function was given no parameter for. `loadConfig` requires every
 * secret once a bot token is set, but least privilege gives each function only the ones it uses: the
 * others get a random value per container, which can neither authenticate a request nor call an API.
 */
export function secretsForConfig(
  resolved: Partial<Record<SecretVariable, string>>,
): Record<SecretVariable, string> {
  const filled = {} as Record<SecretVariable, string>;
  for (const variable of Object.values(SECRET_PARAMETERS)) {
    filled[variable] = resolved[variable] ?? `unavailable-${randomBytes(24).toString('hex')}`;
  }
  return filled;
}
