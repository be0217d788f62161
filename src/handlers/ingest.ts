/** Findings queue (EventBridge: GuardDuty, Security Hub) → Slack alerts, with partial batch failures. */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger, observed, workerRuntime } from '../aws/runtime';
import { ingestFindingsBatch } from '../aws/findings-queue';
import { createIngestRuntime } from '../aws/ingest-deps';
import { invocationBudget } from '../queue/budget';

// Ingest's own clients (src/aws/ingest-deps.ts): not the worker's TheHive, Security Hub or Lambda ones.
const ingestRuntime = workerRuntime(createIngestRuntime);

export const handler = observed(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  // First: the time left now is the function's timeout, which sets each event's budget.
  const budget = invocationBudget(context);
  logger.resetKeys();
  logger.addContext(context);
  const { deps, maxAttempts } = await ingestRuntime();
  return ingestFindingsBatch(event, deps, { maxAttempts, budget });
});
