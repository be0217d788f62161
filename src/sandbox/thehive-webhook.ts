/**
 * TheHive's Webhook notifier, as the sandbox TheHive uses it: each audit event is POSTed as JSON to
 * the endpoint with `Authorization: Bearer <secret>` (the "bearer" authentication of a Webhook
 * endpoint). Like TheHive, a failed delivery is logged and never retried; the bot's reconcile closes
 * that gap. Deliveries go out one at a time, in the order the changes happened.
 */
import type { Logger } from '../observability/logger';

/** How long TheHive waits for the receiver before it gives up on a delivery. */
const DELIVERY_TIMEOUT_MS = 10_000;

export interface WebhookNotifierOptions {
  url: string;
  secret: string;
  logger: Logger;
}

export class WebhookNotifier {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly options: WebhookNotifierOptions) {}

  /** Sends an audit event after the ones before it. */
  notify(event: Record<string, unknown>): void {
    this.queue = this.queue.then(() => this.deliver(event));
  }

  /** Resolves when every event notified so far has been delivered (or has failed). */
  idle(): Promise<void> {
    return this.queue;
  }

  private async deliver(event: Record<string, unknown>): Promise<void> {
    const { url, secret, logger } = this.options;
    const context = { url, objectId: event.objectId, action: event.action, auditId: event._id };
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      // Drain the body so the connection is released.
      await response.arrayBuffer();
      if (!response.ok)
        logger.warn('sandbox TheHive: webhook answered an error; not retried', {
          ...context,
          status: response.status,
        });
    } catch (error) {
      logger.warn('sandbox TheHive: webhook delivery failed; not retried', {
        ...context,
        error: (error as { message?: string } | undefined)?.message ?? String(error),
      });
    }
  }
}
