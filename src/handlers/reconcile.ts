/**
 * Every 5 minutes (EventBridge schedule): queues a reconcile job, which the worker runs — TheHive does
 * not retry a failed webhook delivery, so this sync closes the gap.
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import { edgeDeps, logger, observed } from '../aws/runtime';

export const handler = observed(async (event: ScheduledEvent, context: Context): Promise<void> => {
  logger.resetKeys();
  logger.addContext(context);
  const deps = await edgeDeps();
  await deps.queue.enqueue({ kind: 'reconcile', requestedAt: deps.now().toISOString() });
  logger.info('reconcile queued', { scheduledAt: event.time });
});
