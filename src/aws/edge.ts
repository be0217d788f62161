/**
 * What every Hivewire function in AWS shares, built once per container: the logger, the configuration
 * (secrets from SSM), the DynamoDB store and the SQS jobs queue. The HTTP endpoints and the schedule
 * need nothing more, so they do not load the TheHive, Security Hub or Organizations clients.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Config } from '../config';
import { ConfigError } from '../config';
import type { Deps } from '../deps';
import { createLogger } from '../logger';
import { SqsQueue } from '../queue/sqs';
import { DynamoStore } from '../store/dynamo';
import { loadAwsConfig } from './config';
import { perContainer } from './per-container';
import { ssmSecretSource } from './secrets';

export type EdgeDeps = Pick<Deps, 'config' | 'store' | 'queue' | 'logger' | 'now'>;

/** The container's logger: JSON lines, with the Lambda context added by each handler. */
export const logger = createLogger();

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name}: required in AWS (set by serverless.yml)`);
  return value;
}

/** Builds the shared dependencies from a resolved configuration and the function's environment. */
export function createEdgeDeps(config: Config, env: NodeJS.ProcessEnv): EdgeDeps {
  return {
    config,
    store: new DynamoStore({ client: new DynamoDBClient({}), tableName: required(env, 'TABLE_NAME') }),
    queue: new SqsQueue({ client: new SQSClient({}), queueUrl: required(env, 'JOBS_QUEUE_URL') }),
    logger,
    now: () => new Date(),
  };
}

/** The container's SSM reader: its cache is what makes every secret a single read per container. */
export const secretSource = perContainer(async () => ssmSecretSource());

/** The configuration, read once per container. */
export const awsConfig = perContainer(async () => loadAwsConfig(process.env, await secretSource()));

/** The shared dependencies, built once per container. */
export const edgeDeps = perContainer(async () => createEdgeDeps(await awsConfig(), process.env));
