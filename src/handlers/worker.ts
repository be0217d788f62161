/** Jobs queue → the worker's use cases; a failing job is reported alone (ReportBatchItemFailures). */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { logger } from '../aws/edge';
import { observed } from '../aws/metrics';
import { awsRuntime } from '../aws/runtime';
import { runSqsBatch } from '../queue/sqs';

export const handler = observed(async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.resetKeys();
  logger.addContext(context);
  const { deps, jobHandler } = await awsRuntime();
  return runSqsBatch(event, jobHandler, { logger: deps.logger, store: deps.store });
});
