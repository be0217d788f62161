/**
 * `POST /webex/events`: Webex webhook deliveries (`messages` and `attachmentActions` created).
 * Authenticated before anything is parsed (`X-Spark-Signature`, the HMAC-SHA1 of the raw body under
 * the webhook secret, compared in constant time), then parsed with zod (a refused body is kept as a
 * dead letter), then answered at once: the delivery becomes a durable `webex-event` job, and the
 * worker reads the message or the card submission back from Webex (a delivery carries ids only).
 *
 * The bot's own messages come back as deliveries too (besides the space's messages that mention it
 * and every message of its direct rooms): a message whose author is the webhook's owner, the bot, is
 * acknowledged and dropped. A delivery Webex
 * sends again (it retries when an answer is slow) is claimed once by its id.
 */
import * as z from '../../validation/zod';
import { webhookDeliverySchema } from '../../../clients/webex/schemas';
import type { Deps } from '../../wiring/deps';
import {
  bodyBytesOf,
  headerOf,
  jsonResponse as json,
  parseJsonBody,
  refuseBody,
  type HttpRequest,
  type HttpResponse,
} from '../request';
import { verifyWebexSignature, WEBEX_SIGNATURE_HEADER } from '../webex-signature';

/** How much of a refused delivery is kept: deliveries are small, ids only. */
const KEPT_BODY_CHARS = 16 * 1024;
/** Webex retries a delivery for a while; an id claimed a day ago is long done. */
const DELIVERY_CLAIM_SECONDS = 24 * 60 * 60;

export async function handleWebexEvents(
  request: HttpRequest,
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>,
): Promise<HttpResponse> {
  const webex = deps.config.webex;
  if (!webex) return json(404, { error: 'not found' });
  const verdict = verifyWebexSignature({
    secret: webex.webhookSecret,
    signatureHeader: headerOf(request.headers, WEBEX_SIGNATURE_HEADER),
    rawBody: bodyBytesOf(request),
  });
  if (!verdict.ok) {
    deps.logger.warn('webex delivery refused', { reason: verdict.reason });
    return json(401, { error: 'unauthorized' });
  }
  const rules = { kind: 'rejected-webex-event', store: deps.store, keepChars: KEPT_BODY_CHARS };
  const parsed = await parseJsonBody(request, rules);
  if (!parsed.ok) return parsed.response;
  const delivery = z.safeParse(webhookDeliverySchema, parsed.body);
  if (!delivery.success) {
    const issue = delivery.error.issues[0];
    const field = issue?.path.length ? issue.path.join('.') : 'body';
    return (await refuseBody(`${field}: ${issue?.message ?? 'invalid'}`, parsed.body, rules)).response;
  }
  const { resource, data, createdBy } = delivery.data;
  if (resource === 'messages' && createdBy !== undefined && data.personId === createdBy)
    return json(200, { ignored: 'own message' });
  if (!(await deps.store.claimDelivery(`webex:${resource}:${data.id}`, DELIVERY_CLAIM_SECONDS)))
    return json(200, { ignored: 'delivered before' });
  await deps.queue.enqueue({
    kind: 'webex-event',
    resource,
    id: data.id,
    personId: data.personId,
    roomId: data.roomId,
    receivedAt: deps.now().toISOString(),
  });
  return json(202, { queued: true });
}
