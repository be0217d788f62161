/**
 * The configuration read from disk: the environment plus the YAML or JSON file `HIVEWIRE_CONFIG` names.
 * Kept apart from config.ts so that only the local process and the CLI load the YAML parser.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import {
  checkConfigFile,
  ConfigError,
  defaultConfigFile,
  resolveConfig,
  type Config,
  type ConfigFile,
} from './config';

/** A config file that is not YAML or JSON at all: unreadable, where a refused value is a `ConfigError`. */
export class ConfigSyntaxError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigSyntaxError';
  }
}

/** Parses a config file's text (YAML, which also reads JSON). */
export function parseConfigFile(text: string, origin = 'config'): ConfigFile {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (error) {
    throw new ConfigSyntaxError(`${origin}: not valid YAML or JSON: ${(error as Error).message}`);
  }
  return checkConfigFile(data, origin);
}

/** Reads and parses the config file at `path`. */
export function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`HIVEWIRE_CONFIG: cannot read ${path}: ${(error as Error).message}`);
  }
  return parseConfigFile(text, path);
}

/**
 * Reads the configuration from the environment (and the file it names).
 *
 * @example
 *   const config = loadConfig(process.env);
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const path = env.HIVEWIRE_CONFIG;
  return resolveConfig(env, path ? readConfigFile(path) : defaultConfigFile());
}
