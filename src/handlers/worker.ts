/** Jobs queue → the worker's use cases; a failing job is reported alone (ReportBatchItemFailures). */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger, observed, workerRuntime } from '../aws/runtime';
import { createAwsRuntime } from '../aws/worker-deps';
import { invocationBudget } from '../queue/budget';
import { runSqsBatch } from '../queue/sqs-batch';

const awsRuntime = workerRuntime(createAwsRuntime);

export const handler = observed(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // First: the time left now is the function's timeout, which sets each job's budget.
  const budget = invocationBudget(context);
  logger.resetKeys();
  logger.addContext(context);
  const { deps, jobHandler } = await awsRuntime();
  return runSqsBatch(event, jobHandler, { logger: deps.logger, store: deps.store }, budget);
});
