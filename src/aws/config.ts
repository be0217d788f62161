/**
 * Configuration in AWS: the same `loadConfig` as everywhere, fed with the function's environment, its
 * secrets resolved from SSM, and the optional config file kept in an SSM parameter.
 */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../config';
import { resolveSecrets, secretsForConfig, SecretUnavailableError, type SecretSource } from './secrets';

/** Environment variable naming the SSM parameter that holds the config file (YAML). */
export const CONFIG_PARAM = 'HIVEWIRE_CONFIG_PARAM';

/**
 * Resolves the secrets and the config file, then calls `loadConfig`.
 *
 * @example
 *   const config = await loadAwsConfig(process.env, ssmSecretSource());
 */
export async function loadAwsConfig(env: NodeJS.ProcessEnv, secrets: SecretSource): Promise<Config> {
  // The template writes '' for parameters left unset; to loadConfig, unset is what they mean.
  const base: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') base[key] = value;

  if (!base.THEHIVE_URL)
    throw new ConfigError('THEHIVE_URL: required in AWS (deploy with --param="theHiveUrl=https://…")');

  const resolved = await resolveSecrets(base, secrets);
  const configParam = base[CONFIG_PARAM];
  if (configParam) {
    // loadConfig reads the file from a path; /tmp is the only writable place in Lambda.
    const path = join(tmpdir(), 'hivewire-config.yaml');
    let text: string;
    try {
      text = await secrets.get(configParam);
    } catch (error) {
      throw new SecretUnavailableError(CONFIG_PARAM, configParam, error);
    }
    writeFileSync(path, text, { mode: 0o600 });
    base.HIVEWIRE_CONFIG = path;
  }
  return loadConfig({ ...base, ...secretsForConfig(resolved) });
}
