/**
 * Configuration in AWS: the same `resolveConfig` as everywhere, fed with the function's environment, its
 * secrets resolved from SSM, and the optional config file kept in an SSM parameter as JSON
 * (`hivewire config <file>` checks a YAML file and prints that JSON), so no function carries a YAML parser.
 */
import {
  checkConfigFile,
  ConfigError,
  defaultConfigFile,
  resolveConfig,
  type Config,
} from '../config/config';
import {
  resolveCustomerKeys,
  resolveSecrets,
  secretsForConfig,
  SecretUnavailableError,
  WEBEX_SECRET_PARAMETERS,
  webexSecretsForConfig,
  type SecretSource,
} from './secrets';

/** Environment variable naming the SSM parameter that holds the config file (JSON). */
export const CONFIG_PARAM = 'HIVEWIRE_CONFIG_PARAM';

/**
 * Resolves the secrets and the config file, then calls `resolveConfig`.
 *
 * @example
 *   const config = await loadAwsConfig(process.env, ssmSecretSource());
 */
export async function loadAwsConfig(env: NodeJS.ProcessEnv, secrets: SecretSource): Promise<Config> {
  // The template writes '' for parameters left unset; to resolveConfig, unset is what they mean.
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') base[key] = value;

  if (!base.THEHIVE_URL)
    throw new ConfigError('THEHIVE_URL: required in AWS (deploy with --param="theHiveUrl=https://…")');

  const [resolved, webex] = await Promise.all([
    resolveSecrets(base, secrets),
    resolveSecrets(base, secrets, WEBEX_SECRET_PARAMETERS),
  ]);
  const configParam = base[CONFIG_PARAM];
  let file = defaultConfigFile();
  if (configParam) {
    let text: string;
    try {
      text = await secrets.get(configParam);
    } catch (error) {
      throw new SecretUnavailableError(CONFIG_PARAM, configParam, error);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ConfigError(
        `${CONFIG_PARAM}: SSM parameter ${configParam} is not JSON; store the output of \`hivewire config <file>\``,
      );
    }
    file = checkConfigFile(data, `${CONFIG_PARAM} (${configParam})`);
  }
  const customerKeys = await resolveCustomerKeys(
    base,
    Object.values(file.customers).flatMap((customer) => customer.thehive?.apiKeySecret ?? []),
    secrets,
  );
  return resolveConfig(
    { ...base, ...secretsForConfig(resolved), ...webexSecretsForConfig(webex), ...customerKeys },
    file,
  );
}

/**
 * The receive on which a job or a findings event fails for good: `JOB_MAX_ATTEMPTS`, which the template
 * sets from the same value as the queues' `maxReceiveCount`, read with the rest of the environment.
 */
export function maxAttemptsFrom(config: Pick<Config, 'jobMaxAttempts'>): number {
  if (config.jobMaxAttempts === undefined)
    throw new ConfigError('JOB_MAX_ATTEMPTS: required in AWS, a whole number ≥ 1 (set by serverless.yml)');
  return config.jobMaxAttempts;
}
