/**
 * The alert in its Webex space: posted once, by whichever delivery claims it (a lease in the alert
 * record, `posts.webex.postingSince`, as Slack's post is claimed), its message id saved with a
 * conditional write. The card is never edited (Webex refuses edits of messages with a card): a
 * republished finding is said in the thread ("seen again").
 *
 * A crash between Webex's answer and the write of the message id can post the card twice: Webex lets
 * a bot list a space's messages only when they mention it, so the card cannot be looked for first.
 */
import { renderWebexAlert } from '../../alerts/render';
import { webexSeenAgain } from '../../../cards/webex';
import type { Config } from '../../config';
import type { Deps } from '../../deps';
import type { AlertRecord, PendingReply } from '../../domain/alert';
import { updateAlert } from '../../store/store';
import { webexChatFor } from './adapter';

/** How long a claim to post holds before another delivery may take it over. */
const WEBEX_POSTING_LEASE_MS = 60_000;

export type WebexAlertDeps = Pick<Deps, 'config' | 'store' | 'now' | 'logger'>;

/** The Webex space an alert of `customer` goes to: the customer's own, else the default; none: no Webex. */
export function webexRoomFor(customer: string, config: Pick<Config, 'webex' | 'file'>): string | undefined {
  if (!config.webex) return undefined;
  const customers = config.file.customers;
  const own = Object.prototype.hasOwnProperty.call(customers, customer)
    ? customers[customer]?.webex?.room
    : undefined;
  return own ?? config.webex.defaultRoom;
}

/** Posts the alert's card in its Webex space unless it is there or another delivery is posting it. */
export async function postWebexAlert(alert: AlertRecord, deps: WebexAlertDeps): Promise<AlertRecord> {
  const room = alert.posts?.webex?.channel ?? webexRoomFor(alert.finding.customer, deps.config);
  if (!room) return alert;
  const now = deps.now();
  const claimed = await updateAlert(
    deps.store,
    alert.fingerprint,
    (current) => {
      const post = current.posts?.webex;
      if (post?.messageId) return undefined;
      if (post?.postingSince && now.getTime() - Date.parse(post.postingSince) < WEBEX_POSTING_LEASE_MS)
        return undefined;
      return {
        ...current,
        posts: { ...current.posts, webex: { channel: room, postingSince: now.toISOString() } },
      };
    },
    { known: alert },
  );
  if (!claimed) return (await deps.store.getAlert(alert.fingerprint)) ?? alert;
  const chat = webexChatFor(deps.config);
  let messageId: string;
  try {
    messageId = await chat.post(room, renderWebexAlert(claimed.after, deps.config));
  } catch (error) {
    // Give the claim back, so a retry posts at once.
    await updateAlert(deps.store, alert.fingerprint, (current) =>
      current.posts?.webex?.postingSince === now.toISOString() && !current.posts.webex.messageId
        ? { ...current, posts: { ...current.posts, webex: { channel: room } } }
        : undefined,
    );
    throw error;
  }
  const saved = await updateAlert(
    deps.store,
    alert.fingerprint,
    (current) => ({ ...current, posts: { ...current.posts, webex: { channel: room, messageId } } }),
    {
      known: claimed.after,
      events: [
        {
          fingerprint: alert.fingerprint,
          actor: { kind: 'system' },
          action: 'posted',
          details: { platform: 'webex', room, messageId },
        },
      ],
    },
  );
  return saved?.after ?? claimed.after;
}

/** A newer delivery of a posted alert: "seen again" in its Webex thread (the card itself cannot change). */
export async function webexSeenAgainReply(alert: AlertRecord, deps: WebexAlertDeps): Promise<void> {
  const post = alert.posts?.webex;
  if (!post?.messageId) return;
  await webexChatFor(deps.config).reply(
    { roomId: post.channel, messageId: post.messageId },
    webexSeenAgain(alert),
  );
}

function webexRoot(alert: AlertRecord) {
  const post = alert.posts?.webex;
  return post?.messageId
    ? { platform: 'webex' as const, channel: post.channel, messageId: post.messageId }
    : undefined;
}

/** The case link in the alert's Webex thread, once (its reply id is saved, as Slack's `caseReplyTs`). */
export async function webexCaseOpenedReply(alert: AlertRecord, deps: WebexAlertDeps): Promise<AlertRecord> {
  const root = webexRoot(alert);
  if (!root || alert.posts?.webex?.caseReplyId || !alert.caseUrl || alert.caseNumber === undefined)
    return alert;
  const replyId = await webexChatFor(deps.config).replyInThread(root, {
    kind: 'case-opened',
    caseNumber: alert.caseNumber,
    caseUrl: alert.caseUrl,
    person: alert.escalatedBy ?? '',
    observableCount: alert.finding.observables.length,
  });
  const saved = await updateAlert(deps.store, alert.fingerprint, (current) =>
    current.posts?.webex
      ? { ...current, posts: { ...current.posts, webex: { ...current.posts.webex, caseReplyId: replyId } } }
      : undefined,
  );
  return saved?.after ?? alert;
}

/**
 * A pending thread reply (a case change) in the alert's Webex thread, before Slack's: marked delivered
 * there, so when Slack's post fails and the job retries, Webex does not get it twice.
 */
export async function deliverToWebex(
  alert: AlertRecord,
  pending: PendingReply,
  deps: WebexAlertDeps,
): Promise<void> {
  const root = webexRoot(alert);
  if (!root || !pending.note || pending.deliveredTo?.includes('webex')) return;
  await webexChatFor(deps.config).replyInThread(root, pending.note);
  await updateAlert(deps.store, alert.fingerprint, (current) => ({
    ...current,
    pendingReplies: (current.pendingReplies ?? []).map((reply) =>
      reply.id === pending.id
        ? { ...reply, deliveredTo: [...(reply.deliveredTo ?? []), 'webex' as const] }
        : reply,
    ),
  }));
}
