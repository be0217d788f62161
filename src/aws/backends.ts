/**
 * The store and the jobs queue of a function in AWS: DynamoDB and SQS, named by the environment the
 * template sets. Imported by the AWS composition root (runtime.ts) at the first request, not with the
 * function's module: these AWS SDK clients are the largest part of a cold module load (see runtime.ts).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ConfigError } from '../config/config';
import type { Deps } from '../wiring/deps';
import { countingDeadLetters, type Metrics } from '../observability/metrics';
import { SqsQueue } from '../queue/sqs';
import { DynamoStore } from '../store/dynamo';

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(`${name}: required in AWS (set by serverless.yml)`);
  return value;
}

/** The DynamoDB store on `TABLE_NAME` (its dead letters counted) and the SQS queue at `JOBS_QUEUE_URL`. */
export function awsBackends(env: NodeJS.ProcessEnv, metrics: Metrics): Pick<Deps, 'store' | 'queue'> {
  return {
    store: countingDeadLetters(
      new DynamoStore({ client: new DynamoDBClient({}), tableName: required(env, 'TABLE_NAME') }),
      metrics,
    ),
    queue: new SqsQueue({ client: new SQSClient({}), queueUrl: required(env, 'JOBS_QUEUE_URL') }),
  };
}
