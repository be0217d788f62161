/**
 * `POST /thehive/webhook`: TheHive's Webhook notifier. Authenticated before parsing (the bearer
 * secret, or the same secret sent raw by a "key" authentication), answered fast: case changes become
 * `case-changed` jobs; everything else is acknowledged and ignored.
 */
import { checkBearer, checkSecret } from '../http/auth';
import type { Deps } from '../deps';
import type { HttpRequest, HttpResponse } from '../slack/events-endpoint';
import { parseNotification } from './notification';

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Handles one webhook delivery. */
export async function handleTheHiveWebhook(
  request: HttpRequest,
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>,
): Promise<HttpResponse> {
  const authorization = Object.entries(request.headers).find(
    ([key]) => key.toLowerCase() === 'authorization',
  )?.[1];
  const secret = deps.config.theHive.webhookSecret;
  if (!checkBearer(authorization, secret) && !checkSecret(authorization, secret)) {
    return json(401, { error: 'unauthorized' });
  }
  const rawBody = request.isBase64Encoded
    ? Buffer.from(request.body, 'base64').toString('utf8')
    : request.body;
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    await deps.store.putDeadLetter({
      kind: 'rejected-webhook',
      error: 'body: not JSON',
      payload: rawBody.slice(0, 65536),
    });
    return json(400, { error: 'body: not JSON' });
  }
  const notification = parseNotification(body);
  if (notification.kind === 'invalid') {
    await deps.store.putDeadLetter({ kind: 'rejected-webhook', error: notification.error, payload: body });
    return json(400, { error: notification.error });
  }
  if (notification.kind === 'ignored') {
    deps.logger.info('thehive notification ignored', {
      metric: 'thehive_notifications_ignored',
      reason: notification.reason,
    });
    return json(200, { ignored: notification.reason });
  }
  await deps.queue.enqueue({
    kind: 'case-changed',
    notification: body,
    receivedAt: deps.now().toISOString(),
  });
  return json(202, { queued: true });
}
