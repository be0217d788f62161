/**
 * What every Hivewire function in AWS shares, built once per container: the logger, the configuration
 * (secrets from SSM), the DynamoDB store and the SQS jobs queue. The HTTP endpoints and the schedule
 * need nothing more, so they do not load the TheHive, Security Hub or Organizations clients.
 *
 * The AWS SDK clients (SSM, DynamoDB, SQS: about 75 ms of loading, more than Hivewire's own code) are
 * loaded by the first request, which builds these and has to read its secrets from SSM before anything
 * else, rather than with the module. The first request pays the same; the module load that Lambda's
 * init phase runs, and every test or tool that only imports a handler, does not.
 */
import type { Config } from '../config';
import type { Deps } from '../deps';
import { createLogger } from '../logger';
import { loadAwsConfig } from './config';
import { perContainer } from './per-container';
import { ssmSecretSource } from './secrets';

export type EdgeDeps = Pick<Deps, 'config' | 'store' | 'queue' | 'logger' | 'now'>;

/** The container's logger: JSON lines, with the Lambda context added by each handler. */
export const logger = createLogger();

/** Builds the shared dependencies from a resolved configuration and the function's environment. */
export async function createEdgeDeps(config: Config, env: NodeJS.ProcessEnv): Promise<EdgeDeps> {
  const { awsBackends } = await import('./backends');
  return { config, ...awsBackends(env), logger, now: () => new Date() };
}

/** The container's SSM reader: its cache is what makes every secret a single read per container. */
export const secretSource = perContainer(async () => ssmSecretSource());

/** The configuration, read once per container. */
export const awsConfig = perContainer(async () => loadAwsConfig(process.env, await secretSource()));

/** The shared dependencies, built once per container. */
export const edgeDeps = perContainer(async () => createEdgeDeps(await awsConfig(), process.env));
