/** Findings queue (EventBridge: GuardDuty, Security Hub) → Slack alerts, with partial batch failures. */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger, workerRuntime } from '../aws/runtime';
import { observed } from '../aws/metrics';
import { ingestFindingsBatch } from '../aws/findings-queue';
import { createAwsRuntime } from '../aws/worker-deps';
import { invocationBudget } from '../queue/budget';

const awsRuntime = workerRuntime(createAwsRuntime);

export const handler = observed(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // First: the time left now is the function's timeout, which sets each event's budget.
  const budget = invocationBudget(context);
  logger.resetKeys();
  logger.addContext(context);
  const { deps, maxAttempts } = await awsRuntime();
  return ingestFindingsBatch(event, deps, { maxAttempts, budget });
});
