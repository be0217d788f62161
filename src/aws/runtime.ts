/**
 * The AWS composition root, the only module of the functions that reads their environment: what every
 * Hivewire function shares, built once per container (and again when a secret was rotated): the logger,
 * the metrics, the configuration (secrets from SSM), the DynamoDB store and the SQS jobs queue. The HTTP
 * endpoints and the schedule need nothing more, so they do not load the TheHive, Security Hub or
 * Organizations clients: the worker and ingest functions hand `workerRuntime` the builder of those
 * (src/aws/worker-deps.ts), which no other function bundles.
 *
 * The AWS SDK clients (SSM, DynamoDB, SQS: about 75 ms of loading, more than Hivewire's own code) are
 * loaded by the first request, which builds these and has to read its secrets from SSM before anything
 * else, rather than with the module. The first request pays the same; the module load that Lambda's
 * init phase runs, and every test or tool that only imports a handler, does not.
 */
import type { Config } from '../config/config';
import type { Deps } from '../wiring/deps';
import { createLogger, errorMessage } from '../observability/logger';
import { loadAwsConfig } from './config';
import { metrics, observer } from './metrics';
import { perContainer, rebuiltOnChange, renewed, sameJson } from './per-container';
import {
  INTEL_KEY_PARAMETERS,
  resolveSecrets,
  SECRET_MAX_AGE_SECONDS,
  ssmSecretSource,
  TEAMS_SECRET_PARAMETERS,
} from './secrets';
import { teamsSettings } from '../chat/teams/settings';
import type { TeamsSettings } from '../chat/teams/bot';

export type EdgeDeps = Pick<Deps, 'config' | 'store' | 'queue' | 'logger' | 'metrics' | 'now'>;

/** The container's logger: JSON lines, with the Lambda context added by each handler. */
export const logger = createLogger();

/** How this function's handler runs: traced when deployed with tracing, its metrics written at each invocation's end. */
export const observed = observer(process.env);

/** Builds the shared dependencies from a resolved configuration and the function's environment. */
export async function createEdgeDeps(config: Config, env: NodeJS.ProcessEnv): Promise<EdgeDeps> {
  const { awsBackends } = await import('./backends');
  return { config, ...awsBackends(env, metrics), logger, metrics, now: () => new Date() };
}

/** Logs a renewal that failed while the value in use is kept (`renewed`'s `onKept`). */
export function keptInUse(what: string): (error: unknown) => void {
  return (error) =>
    logger.warn(`${what} not renewed: keeping the one in use`, {
      error: errorMessage(error),
      code: (error as { code?: string }).code,
    });
}

/** The container's SSM reader: its cache is what makes every secret one read per `SECRET_MAX_AGE_SECONDS`. */
export const secretSource = perContainer(async () => ssmSecretSource());

/**
 * The configuration with its secrets, read again every `SECRET_MAX_AGE_SECONDS`: a secret rotated in
 * SSM is in use within that time, with no deploy.
 */
export const awsConfig = renewed(async () => loadAwsConfig(process.env, await secretSource()), {
  maxAgeMs: SECRET_MAX_AGE_SECONDS * 1000,
  same: sameJson,
  onKept: keptInUse('configuration'),
});

const edgeFor = rebuiltOnChange(async (config: Config) => createEdgeDeps(config, process.env));

/** The shared dependencies, built once per container and again when a renewal changed the configuration. */
export const edgeDeps = async (): Promise<EdgeDeps> => edgeFor(await awsConfig());

/**
 * The worker's runtime from `build` (src/aws/worker-deps.ts's createAwsRuntime), built once per
 * container and again when a rotated secret changed it. The threat-intel keys (`*_API_KEY_PARAM`) and
 * the Teams app password (`TEAMS_APP_PASSWORD_PARAM`, given when the stage has Teams) are read again
 * every `SECRET_MAX_AGE_SECONDS` like the other secrets, into the environment given to `build`, which the
 * worker's lookups and its Teams adapter read.
 */
export function workerRuntime<R>(build: (edge: EdgeDeps, env: NodeJS.ProcessEnv) => R): () => Promise<R> {
  const intelKeys = renewed(
    async () =>
      resolveSecrets(process.env, await secretSource(), {
        ...INTEL_KEY_PARAMETERS,
        ...TEAMS_SECRET_PARAMETERS,
      }),
    { maxAgeMs: SECRET_MAX_AGE_SECONDS * 1000, same: sameJson, onKept: keptInUse('threat-intel keys') },
  );
  // The keys join a copy of the environment: the process's own is never written to.
  const runtimeFor = rebuiltOnChange(async (edge: EdgeDeps, keys: Record<string, string>) =>
    build(edge, { ...process.env, ...keys }),
  );
  return async () => runtimeFor(await edgeDeps(), await intelKeys());
}

/** Teams' settings in AWS (`TEAMS_APP_ID`, the app password from SSM), undefined when Teams is off. */
export async function awsTeamsSettings(config: Config): Promise<TeamsSettings | undefined> {
  const secrets = await resolveSecrets(process.env, await secretSource(), TEAMS_SECRET_PARAMETERS);
  return teamsSettings({ ...process.env, ...secrets }, config);
}
