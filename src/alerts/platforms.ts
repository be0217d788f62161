/**
 * One alert on every chat platform its customer routes to: Slack (the alert's `channel`/`ts`, posted
 * by ingest with its own recovery), and each other platform named in the config (`customers.<c>.webex`
 * / `.teams`, else `defaults.*`), each with its own root message and thread, recorded in the alert's
 * `posts` (src/domain/alert.ts). Use cases reach the platforms through the chat registry
 * (`Deps.chats`, src/chat/port.ts); this module is the one place that walks an alert's platforms:
 * post, edit in place where the platform can, say in the thread where it cannot, reply, deliver owed
 * replies (roots.ts finds each platform's root message).
 *
 * Each platform's post is claimed with a lease in `posts.<platform>.postingSince` (as Slack's post is)
 * and its message id saved with a conditional write, so concurrent deliveries post it once. A platform
 * whose adapter is not registered (Teams routed in the config before its adapter exists, Webex routed
 * without a bot token) is skipped: logged and audited when the alert is first posted.
 */
import type { ChatMessageRef, ChatPort } from '../chat/port';
import type { Config } from '../config/config';
import type { Deps } from '../wiring/deps';
import type { AlertRecord, PendingReply } from '../domain/alert';
import type { NotePerson, ThreadNote } from '../domain/notes';
import { updateAlert } from '../store/store';
import { isRetryable } from '../queue/attempt';
import { errorMessage } from '../observability/logger';
import { alertView } from './render';
import { alertRoots, otherRoots, type OtherPlatform } from './roots';

/** How long a claim to post holds before another delivery may take it over. */
const POSTING_LEASE_MS = 60_000;

export type PlatformDeps = Pick<Deps, 'config' | 'store' | 'now' | 'logger' | 'chats'>;

/** Where one platform's root message of an alert goes. */
export interface PlatformTarget {
  platform: OtherPlatform;
  /** Webex roomId | Teams channel (conversation) id. */
  channel: string;
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/**
 * The other platforms `customer`'s alerts go to, from the config: the customer's own target, else the
 * default. Webex's default room may also come from `WEBEX_ROOM_ID`; Webex is routed only with a bot token.
 */
export function routedPlatforms(customer: string, config: Pick<Config, 'webex' | 'file'>): PlatformTarget[] {
  const settings = own(config.file.customers, customer);
  const room = config.webex ? (settings?.webex?.room ?? config.webex.defaultRoom) : undefined;
  const teams = settings?.teams?.channel ?? config.file.defaults.teams?.channel;
  return [
    ...(room ? [{ platform: 'webex' as const, channel: room }] : []),
    ...(teams ? [{ platform: 'teams' as const, channel: teams }] : []),
  ];
}

/**
 * Posts the alert on every other platform it is routed to where it is not posted yet (and nobody else
 * is posting it). `announceSkips`: log and audit the routes that have no adapter (the first post of
 * the alert; later deliveries skip them quietly). Resolves to the alert as last saved.
 */
export async function postToPlatforms(
  alert: AlertRecord,
  deps: PlatformDeps,
  announceSkips = false,
): Promise<AlertRecord> {
  let current = alert;
  for (const target of routedPlatforms(alert.finding.customer, deps.config)) {
    const chat = deps.chats[target.platform];
    if (!chat) {
      if (announceSkips) await skipped(current, target, deps);
      continue;
    }
    current = await postOn(chat, target, current, deps);
  }
  return current;
}

async function skipped(alert: AlertRecord, target: PlatformTarget, deps: PlatformDeps): Promise<void> {
  deps.logger.warn(`alert not posted to ${target.platform}: no ${target.platform} adapter is registered`, {
    fingerprint: alert.fingerprint,
    platform: target.platform,
    channel: target.channel,
  });
  await deps.store.appendAudit({
    fingerprint: alert.fingerprint,
    actor: { kind: 'system' },
    action: 'not-posted',
    details: { platform: target.platform, channel: target.channel, reason: 'no adapter registered' },
  });
}

async function postOn(
  chat: ChatPort,
  target: PlatformTarget,
  alert: AlertRecord,
  deps: PlatformDeps,
): Promise<AlertRecord> {
  const { platform } = target;
  if (alert.posts?.[platform]?.messageId) return alert;
  const now = deps.now();
  const since = now.toISOString();
  // A route changed since the first claim keeps the channel the alert was first claimed in.
  const channel = alert.posts?.[platform]?.channel ?? target.channel;
  const claimed = await updateAlert(
    deps.store,
    alert.fingerprint,
    (current) => {
      const post = current.posts?.[platform];
      if (post?.messageId) return undefined;
      if (post?.postingSince && now.getTime() - Date.parse(post.postingSince) < POSTING_LEASE_MS)
        return undefined;
      return { ...current, posts: { ...current.posts, [platform]: { channel, postingSince: since } } };
    },
    { known: alert },
  );
  if (!claimed) return (await deps.store.getAlert(alert.fingerprint)) ?? alert;
  let messageId: string;
  try {
    messageId = await chat.postAlert(channel, alertView(claimed.after, deps.config));
  } catch (error) {
    // Give the claim back, so a retry posts at once.
    await updateAlert(deps.store, alert.fingerprint, (current) =>
      current.posts?.[platform]?.postingSince === since && !current.posts[platform]?.messageId
        ? { ...current, posts: { ...current.posts, [platform]: { channel } } }
        : undefined,
    );
    throw error;
  }
  const saved = await updateAlert(
    deps.store,
    alert.fingerprint,
    (current) => ({ ...current, posts: { ...current.posts, [platform]: { channel, messageId } } }),
    {
      known: claimed.after,
      events: [
        {
          fingerprint: alert.fingerprint,
          actor: { kind: 'system' },
          action: 'posted',
          details: { platform, channel, messageId },
        },
      ],
    },
  );
  return saved?.after ?? claimed.after;
}

/**
 * Runs `deliver` on each of the alert's root messages. An other platform refusing for good (its
 * message deleted, the bot removed from the team: a failure no retry heals) is logged and audited
 * (`not-delivered`), and the rest goes on: one platform's loss must not fail the escalation or the
 * status sync for all the others. Anything another attempt may heal is thrown, for the job to retry.
 */
export async function onEachRoot(
  alert: AlertRecord,
  deps: PlatformDeps,
  what: string,
  deliver: (root: ChatMessageRef, chat: ChatPort) => Promise<unknown>,
): Promise<void> {
  for (const { root, chat } of alertRoots(alert, deps)) {
    try {
      await deliver(root, chat);
    } catch (error) {
      await skipRefusal(alert, root, what, error, deps);
    }
  }
}

/**
 * What a failed delivery to `root` does: another platform refusing for good is logged and audited
 * (`not-delivered`) and the caller goes on; Slack's failure, or one another attempt may heal, is thrown.
 */
export async function skipRefusal(
  alert: Pick<AlertRecord, 'fingerprint'>,
  root: ChatMessageRef,
  what: string,
  error: unknown,
  deps: Pick<Deps, 'logger' | 'store'>,
): Promise<void> {
  if (root.platform === 'slack' || isRetryable(error)) throw error;
  deps.logger.warn(`${what} not delivered to ${root.platform}: refused for good`, {
    fingerprint: alert.fingerprint,
    platform: root.platform,
    error: errorMessage(error),
  });
  await deps.store.appendAudit({
    fingerprint: alert.fingerprint,
    actor: { kind: 'system' },
    action: 'not-delivered',
    details: { platform: root.platform, channel: root.channel, what, error: errorMessage(error) },
  });
}

/** Shows the alert's current state on every platform that can edit its root message. */
export async function updateEverywhere(alert: AlertRecord, deps: PlatformDeps): Promise<void> {
  const view = alertView(alert, deps.config);
  await onEachRoot(alert, deps, 'alert update', async (root, chat) => {
    if (chat.editsAlerts) await chat.updateAlert(root, view);
  });
}

/**
 * A newer delivery of a posted alert: edited in place where the platform can, said in the thread
 * ("seen again") where it cannot.
 */
export async function showRepublished(alert: AlertRecord, deps: PlatformDeps): Promise<void> {
  await updateEverywhere(alert, deps);
  const note: ThreadNote = {
    kind: 'seen-again',
    count: alert.count,
    lastSeen: alert.lastSeen,
    severity: alert.severity,
  };
  await onEachRoot(alert, deps, 'seen-again note', async (root, chat) => {
    if (!chat.editsAlerts) await chat.replyInThread(root, note);
  });
}

/** Says `note` in the alert's thread on every platform it is posted to. */
export async function replyEverywhere(
  alert: AlertRecord,
  note: ThreadNote,
  deps: PlatformDeps,
): Promise<void> {
  await onEachRoot(alert, deps, `${note.kind} note`, (root, chat) => chat.replyInThread(root, note));
}

/**
 * The case link in the alert's thread on each other platform, once per platform (its reply id is
 * saved, as Slack's `caseReplyTs`).
 */
export async function caseOpenedOnOtherPlatforms(
  alert: AlertRecord,
  person: NotePerson,
  deps: PlatformDeps,
): Promise<AlertRecord> {
  if (!alert.caseUrl || alert.caseNumber === undefined) return alert;
  let current = alert;
  for (const { root, chat } of otherRoots(alert, deps)) {
    const platform = root.platform as OtherPlatform;
    if (current.posts?.[platform]?.caseReplyId) continue;
    const replyId = await chat.replyInThread(root, {
      kind: 'case-opened',
      caseNumber: alert.caseNumber,
      caseUrl: alert.caseUrl,
      ...person,
      observableCount: alert.finding.observables.length,
    });
    const saved = await updateAlert(deps.store, alert.fingerprint, (stored) => {
      const post = stored.posts?.[platform];
      return post
        ? { ...stored, posts: { ...stored.posts, [platform]: { ...post, caseReplyId: replyId } } }
        : undefined;
    });
    current = saved?.after ?? current;
  }
  return current;
}

/**
 * An owed reply on the other platforms, before Slack's: marked delivered on each, so when a later
 * platform's post fails and the job retries, the earlier ones do not get it twice. An item stored
 * before replies were kept as notes (Slack text only) goes to Slack alone.
 */
export async function deliverToOtherPlatforms(
  alert: AlertRecord,
  pending: PendingReply,
  deps: PlatformDeps,
): Promise<void> {
  const note = pending.note;
  if (!note) return;
  for (const { root, chat } of otherRoots(alert, deps)) {
    const platform = root.platform as OtherPlatform;
    if (pending.deliveredTo?.includes(platform)) continue;
    await chat.replyInThread(root, note);
    await updateAlert(deps.store, alert.fingerprint, (current) => ({
      ...current,
      pendingReplies: (current.pendingReplies ?? []).map((reply) =>
        reply.id === pending.id ? { ...reply, deliveredTo: [...(reply.deliveredTo ?? []), platform] } : reply,
      ),
    }));
  }
}
