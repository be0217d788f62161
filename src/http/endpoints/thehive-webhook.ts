/**
 * `POST /thehive/webhook`: TheHive's Webhook notifier. Authenticated before parsing (the bearer
 * secret, or the same secret sent raw by a "key" authentication), answered fast: case changes become
 * `case-changed` jobs carrying the change as read here; everything else is acknowledged and ignored.
 */
import { checkBearer, checkSecret } from '../auth';
import type { Deps } from '../../wiring/deps';
import {
  headerOf,
  jsonResponse as json,
  parseJsonBody,
  refuseBody,
  type HttpRequest,
  type HttpResponse,
} from '../request';
import { parseNotification } from '../../cases/notification';

/** How much of a refused delivery is kept: TheHive sends the whole case, the start says which. */
const KEPT_BODY_CHARS = 64 * 1024;

/** Handles one webhook delivery. */
export async function handleTheHiveWebhook(
  request: HttpRequest,
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>,
): Promise<HttpResponse> {
  const authorization = headerOf(request.headers, 'authorization');
  const secret = deps.config.theHive.webhookSecret;
  if (!checkBearer(authorization, secret) && !checkSecret(authorization, secret)) {
    return json(401, { error: 'unauthorized' });
  }
  const rules = { kind: 'rejected-webhook', store: deps.store, keepChars: KEPT_BODY_CHARS };
  const parsed = await parseJsonBody(request, rules);
  if (!parsed.ok) return parsed.response;
  const body = parsed.body;
  const notification = parseNotification(body);
  if (notification.kind === 'invalid') return (await refuseBody(notification.error, body, rules)).response;
  if (notification.kind === 'ignored') {
    deps.logger.info('thehive notification ignored', {
      metric: 'thehive_notifications_ignored',
      reason: notification.reason,
    });
    return json(200, { ignored: notification.reason });
  }
  await deps.queue.enqueue({
    kind: 'case-changed',
    change: notification,
    receivedAt: deps.now().toISOString(),
  });
  return json(202, { queued: true });
}
