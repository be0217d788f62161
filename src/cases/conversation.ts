/**
 * The thread is the case's conversation: once an alert has a case, a person's message in its Slack
 * thread becomes a comment on the case (and follows its edits and deletion), and a comment people add
 * on the case in TheHive is threaded under the alert on every platform it is on (through the chat port).
 * Webex and Teams replies do not come back as comments: a bot there receives only the messages that
 * mention it (Teams would need the channel-messages RSC permission), so a thread's replies never reach it.
 *
 * Exactly one copy per message, whatever the retries (Slack's, TheHive's double deliveries, the
 * queue's), and under concurrency: each copy has a store item created by a conditional write before
 * the copy is made. A worker that finds the item claimed by another one leaves the work to it (and is
 * retried); one that finds a claim lapsed (its maker stopped midway) first looks for the copy the
 * stopped maker may have made (the comment naming the message's link, the reply carrying the comment
 * id as metadata) before making it. Comments Hivewire writes carry a marker and have an item of their
 * own, so they are never threaded back: no loop.
 */
import { CASE_COMMENT_EVENT_TYPE } from '../../blocks/replies';
import type { OutputComment, TheHiveClient } from '../../clients/thehive/client';
import { theHiveFor } from '../enrich/tenancy';
import { withCurrentLinks } from '../alerts/links';
import type { Config } from '../config/config';
import type { ThreadMessage } from '../queue/jobs';
import type { AlertRecord } from '../domain/alert';
import type { ConversationCopy } from '../domain/conversation';
import type { ThreadNote } from '../domain/notes';
import { otherRoots, type OtherPlatform } from '../alerts/roots';
import { skipRefusal } from '../alerts/platforms';
import { updateConversationCopy } from '../store/store';
import { isHivewireComment, markedComment, mentionedUsers, slackMessageComment } from './conversation-text';
import type { WorkerDeps } from '../wiring/deps';
import { fromAlertsOrganisation } from './notification-origin';

/** How long a worker's claim on making a copy holds: longer than one TheHive or Slack call with its retries. */
export const COPY_CLAIM_MS = 2 * 60_000;

export type Direction = 'slackToTheHive' | 'theHiveToSlack';

/** Another worker is making this copy right now: retried later, when it is made (or its claim lapsed). */
export class CopyInProgressError extends Error {
  constructor(key: string) {
    super(`conversation copy ${key} is being made by another worker`);
    this.name = 'CopyInProgressError';
  }
}

/** Whether the alert's customer lets the conversation be copied this way (on unless turned off). */
export function conversationAllowed(
  alert: Pick<AlertRecord, 'finding'>,
  direction: Direction,
  config: Pick<Config, 'file'>,
): boolean {
  const { customers } = config.file;
  const customer = alert.finding.customer;
  const settings = Object.prototype.hasOwnProperty.call(customers, customer)
    ? customers[customer]?.conversation
    : undefined;
  return settings?.[direction] !== false;
}

/** A Slack `ts` (seconds since the epoch, with micro-seconds) as a Date. */
function slackTime(ts: string): Date {
  return new Date(Math.round(Number(ts) * 1000));
}

export type CopyOutcome =
  | 'copied'
  | 'updated'
  | 'duplicate'
  | 'stale'
  | 'not-a-case-thread'
  | 'before-the-case'
  | 'private'
  | 'own-comment'
  | 'other-organisation';

function slackKey(message: Pick<ThreadMessage, 'channel' | 'ts'>): string {
  return `slack:${message.channel}:${message.ts}`;
}

function theHiveKey(commentId: string): string {
  return `thehive:${commentId}`;
}

/** The order of two Slack `ts`: numeric, as Slack's own ordering. */
function tsAfter(a: string, b: string | undefined): boolean {
  return b === undefined || Number(a) > Number(b);
}

/**
 * Claims making the copy `key`: creates its item, or takes over one whose claim lapsed. Resolves to
 * the item and whether a stopped worker may have made the copy already; `undefined` when it is made.
 */
async function claimCopy(
  copy: Omit<ConversationCopy, 'version' | 'claimedAt'>,
  deps: WorkerDeps,
): Promise<{ copy: ConversationCopy; maybeMade: boolean } | undefined> {
  const now = deps.now().getTime();
  if (await deps.store.createConversationCopy({ ...copy, claimedAt: now })) {
    return { copy: { ...copy, claimedAt: now, version: 1 }, maybeMade: false };
  }
  let taken: ConversationCopy | undefined;
  let made = false;
  await updateConversationCopy(deps.store, copy.key, (current) => {
    made = Boolean(current.copiedAt || current.own);
    if (made) return undefined;
    if ((current.claimedAt ?? 0) + COPY_CLAIM_MS > now) throw new CopyInProgressError(copy.key);
    taken = { ...current, ...copy, claimedAt: now };
    return taken;
  });
  if (made || !taken) return undefined;
  return { copy: { ...taken, version: taken.version + 1 }, maybeMade: true };
}

/** The names Slack shows for the people a message of `channel` mentions, by user id. */
async function namesIn(text: string, channel: string, deps: WorkerDeps): Promise<Record<string, string>> {
  return Object.fromEntries(
    await Promise.all(
      mentionedUsers(text).map(
        async (id) => [id, (await deps.users.displayName(id, channel)) ?? id] as const,
      ),
    ),
  );
}

/** A comment Hivewire wrote: its webhook, coming back, finds this item and is not threaded back. */
async function recordOwnComment(commentId: string, alert: AlertRecord, deps: WorkerDeps): Promise<void> {
  await deps.store.createConversationCopy({
    key: theHiveKey(commentId),
    fingerprint: alert.fingerprint,
    caseId: alert.caseId ?? '',
    direction: 'slack-to-thehive',
    own: true,
    commentId,
  });
}

/** The Markdown of the comment a Slack message's copy holds now. */
async function commentText(copy: ConversationCopy, deps: WorkerDeps): Promise<string> {
  return slackMessageComment({
    authorName: copy.authorName ?? copy.author ?? 'someone',
    text: copy.text ?? '',
    names: await namesIn(copy.text ?? '', copy.channel ?? '', deps),
    files: copy.files,
    permalink: copy.permalink,
    channel: copy.channel ?? '',
    ts: copy.ts ?? '',
    edited: copy.revision !== undefined && copy.revision !== copy.ts,
    deletedAt: copy.deletedAt,
  });
}

/** The comment a stopped worker made for a message: the one whose link names the message. */
async function findCommentFor(
  copy: ConversationCopy,
  theHive: TheHiveClient,
): Promise<OutputComment | undefined> {
  const ts = copy.ts ?? '';
  const marks = [`/p${ts.replace('.', '')}`, `Slack message ${ts} `];
  const comments = await theHive.comments.listInCase(copy.caseId);
  return comments.find((c) => isHivewireComment(c.message) && marks.some((mark) => c.message.includes(mark)));
}

/**
 * Applies a person's message in a thread (posted, edited or deleted in Slack) to the case of the
 * alert the thread belongs to. Edits and deletions are recorded on the copy first (the newest
 * revision wins) and then written to the comment until it shows the newest.
 */
export async function copySlackMessage(message: ThreadMessage, deps: WorkerDeps): Promise<CopyOutcome> {
  const alert = await deps.store.findAlertByThread(message.channel, message.threadTs);
  if (!alert?.caseId) {
    // Perhaps an alert's thread before its case: noted, so that escalation summarises what was said.
    if (message.change === 'posted') await noteEarlierMessage(message, deps);
    return 'not-a-case-thread';
  }
  if (!conversationAllowed(alert, 'slackToTheHive', deps.config)) return 'private';
  const key = slackKey(message);
  const existing = await deps.store.getConversationCopy(key);
  // Said before the case existed: summarised at escalation, not copied one by one (nor its edits).
  if (existing?.inSummary) return 'before-the-case';
  const caseSince = alert.escalatedAt ? new Date(alert.escalatedAt) : undefined;
  if (!existing && caseSince && slackTime(message.ts) < caseSince) return 'before-the-case';

  if (message.change === 'deleted') {
    if (!existing) return 'duplicate';
    const marked = await updateConversationCopy(deps.store, key, (current) =>
      current.deletedAt ? undefined : { ...current, deletedAt: slackTime(message.revision).toISOString() },
    );
    if (!marked?.commentId) throw new CopyInProgressError(key);
    return writeNewest(key, alert, deps, 'deleted');
  }

  if (existing?.copiedAt) {
    if (existing.deletedAt || !tsAfter(message.revision, existing.revision))
      return existing.appliedRevision === revisionOf(existing) ? 'duplicate' : writeNewest(key, alert, deps);
    await updateConversationCopy(deps.store, key, (current) =>
      current.deletedAt || !tsAfter(message.revision, current.revision)
        ? undefined
        : { ...current, text: message.text, files: message.files, revision: message.revision },
    );
    return writeNewest(key, alert, deps, 'edited');
  }

  const authorName = (await deps.users.displayName(message.user, alert.channel)) ?? message.user;
  const claim = await claimCopy(
    {
      key,
      fingerprint: alert.fingerprint,
      caseId: alert.caseId,
      direction: 'slack-to-thehive',
      channel: message.channel,
      ts: message.ts,
      author: message.user,
      authorName,
      text: message.text,
      files: message.files,
      revision: message.revision,
    },
    deps,
  );
  if (!claim) return 'duplicate';
  const copy = {
    ...claim.copy,
    permalink: claim.copy.permalink ?? (await deps.slack.permalink(message.channel, message.ts)),
  };
  const made = claim.maybeMade
    ? await findCommentFor(copy, theHiveFor(deps, alert.finding.customer))
    : undefined;
  const comment =
    made ??
    (await theHiveFor(deps, alert.finding.customer).comments.createInCase(
      alert.caseId,
      await commentText(copy, deps),
    ));
  await recordOwnComment(comment._id, alert, deps);
  const copiedAt = deps.now().toISOString();
  const saved = await updateConversationCopy(deps.store, key, (current) => ({
    ...current,
    permalink: copy.permalink,
    commentId: comment._id,
    copiedAt,
    appliedRevision: revisionOf(copy),
    claimedAt: undefined,
  }));
  await audit(saved ?? copy, comment._id, alert, deps, 'posted');
  deps.metrics.count('ConversationCopiedToTheHive');
  // An edit that came in while the comment was being made is applied now.
  if (saved && saved.appliedRevision !== revisionOf(saved)) await writeNewest(key, alert, deps);
  return 'copied';
}

/** A copy's text version: its revision, and whether it is deleted. */
function revisionOf(copy: Pick<ConversationCopy, 'revision' | 'deletedAt'>): string {
  return `${copy.revision ?? ''}${copy.deletedAt ? '#deleted' : ''}`;
}

/** Writes the copy's newest text to its comment, again until no newer one came in meanwhile. */
async function writeNewest(
  key: string,
  alert: AlertRecord,
  deps: WorkerDeps,
  change?: 'edited' | 'deleted',
): Promise<CopyOutcome> {
  for (;;) {
    const copy = await deps.store.getConversationCopy(key);
    if (!copy?.commentId) throw new CopyInProgressError(key);
    const revision = revisionOf(copy);
    if (copy.appliedRevision === revision) return 'stale';
    await theHiveFor(deps, alert.finding.customer).comments.update(
      copy.commentId,
      await commentText(copy, deps),
    );
    const saved = await updateConversationCopy(deps.store, key, (current) =>
      revisionOf(current) === revision ? { ...current, appliedRevision: revision } : undefined,
    );
    if (saved?.appliedRevision === revision) {
      if (change) await audit(saved, copy.commentId, alert, deps, change);
      return 'updated';
    }
  }
}

async function audit(
  copy: ConversationCopy,
  commentId: string,
  alert: AlertRecord,
  deps: WorkerDeps,
  change: 'posted' | 'edited' | 'deleted',
): Promise<void> {
  const { caseUrl } = withCurrentLinks(alert, deps.config);
  await deps.store.appendAudit({
    fingerprint: alert.fingerprint,
    caseId: alert.caseId,
    actor: { kind: 'slack', id: copy.author ?? 'unknown' },
    action: 'conversation-to-thehive',
    at:
      change === 'deleted' && copy.deletedAt
        ? copy.deletedAt
        : slackTime(change === 'posted' ? (copy.ts ?? '0') : (copy.revision ?? '0')).toISOString(),
    details: {
      change,
      author: copy.authorName,
      text: change === 'deleted' ? undefined : copy.text,
      slack: { channel: copy.channel, ts: copy.ts, permalink: copy.permalink },
      thehive: { commentId, caseUrl },
    },
  });
}

/** A comment on a case, as the webhook or reconcile reports it. */
export interface CaseComment {
  caseId: string;
  comment: Pick<OutputComment, '_id' | 'message' | 'createdBy' | 'createdAt'>;
  via: 'webhook' | 'reconcile';
  /** The organisation a webhook's notification comes from (reconcile asks the customer's own). */
  organisation?: string;
}

/** Threads a comment people added on the case in TheHive under the alert, once. */
export async function copyTheHiveComment(input: CaseComment, deps: WorkerDeps): Promise<CopyOutcome> {
  const { comment } = input;
  if (isHivewireComment(comment.message)) return 'own-comment';
  const alert = await deps.store.findAlertByCase(input.caseId);
  if (!alert?.ts || !alert.caseId) return 'not-a-case-thread';
  if (
    input.via === 'webhook' &&
    !(await fromAlertsOrganisation(
      alert,
      { caseId: input.caseId, organisation: input.organisation, actor: comment.createdBy },
      deps,
    ))
  )
    return 'other-organisation';
  if (!conversationAllowed(alert, 'theHiveToSlack', deps.config)) return 'private';
  const key = theHiveKey(comment._id);
  const claim = await claimCopy(
    {
      key,
      fingerprint: alert.fingerprint,
      caseId: alert.caseId,
      direction: 'thehive-to-slack',
      commentId: comment._id,
      author: comment.createdBy,
      text: comment.message,
      channel: alert.channel,
    },
    deps,
  );
  if (!claim) return 'duplicate';
  const { caseUrl, permalink: alertLink } = withCurrentLinks(alert, deps.config);
  const note: ThreadNote = {
    kind: 'case-comment',
    login: comment.createdBy,
    message: comment.message,
    commentId: comment._id,
    caseNumber: alert.caseNumber,
    caseUrl,
  };
  // Slack's reply carries the comment id as metadata: a worker taking over a lapsed claim finds it.
  const found = claim.maybeMade
    ? await deps.slack.findOwnReply(alert.channel, alert.ts, {
        eventType: CASE_COMMENT_EVENT_TYPE,
        key: 'commentId',
        value: comment._id,
      })
    : undefined;
  const ts =
    found ??
    (await deps.chats.slack.replyInThread(
      { platform: 'slack', channel: alert.channel, messageId: alert.ts },
      note,
    ));
  await threadOnOtherPlatforms(alert, key, claim.copy.threadedOn ?? [], note, deps);
  const permalink = await deps.slack.permalink(alert.channel, ts);
  await updateConversationCopy(deps.store, key, (current) => ({
    ...current,
    ts,
    permalink,
    copiedAt: deps.now().toISOString(),
    claimedAt: undefined,
  }));
  await deps.store.appendAudit({
    fingerprint: alert.fingerprint,
    caseId: alert.caseId,
    actor: { kind: 'thehive', id: comment.createdBy },
    action: 'conversation-to-slack',
    at: new Date(comment.createdAt).toISOString(),
    details: {
      via: input.via,
      author: comment.createdBy,
      text: comment.message,
      thehive: { commentId: comment._id, caseUrl },
      slack: { channel: alert.channel, ts, permalink: permalink ?? alertLink },
    },
  });
  deps.metrics.count('ConversationCopiedToSlack');
  return 'copied';
}

/**
 * The comment in the alert's thread on each other platform it is on (Webex, Teams), once per platform:
 * each reply is recorded in the copy's `threadedOn` as soon as it is posted, so a retry (this worker's
 * claim lapsed midway) posts only where it is missing. Those platforms' messages carry no metadata to
 * look a reply up by, so a stop between a post and its record posts that one again: twice, not never.
 */
async function threadOnOtherPlatforms(
  alert: AlertRecord,
  key: string,
  done: readonly string[],
  note: ThreadNote,
  deps: WorkerDeps,
): Promise<void> {
  for (const { root, chat } of otherRoots(alert, deps)) {
    const platform = root.platform as OtherPlatform;
    if (done.includes(platform)) continue;
    try {
      await chat.replyInThread(root, note);
    } catch (error) {
      // A platform that refuses for good (the card deleted) does not hold the comment back elsewhere.
      await skipRefusal(alert, root, 'case comment', error, deps);
      continue;
    }
    await updateConversationCopy(deps.store, key, (current) => ({
      ...current,
      threadedOn: [...(current.threadedOn ?? []), platform],
    }));
  }
}

/**
 * Reconcile's share: the comments of a followed case that no webhook brought (TheHive does not retry
 * a failed delivery), threaded through the same idempotent path. Resolves to how many were copied.
 */
export async function reconcileComments(alert: AlertRecord, deps: WorkerDeps): Promise<number> {
  if (!alert.caseId || !alert.ts || !conversationAllowed(alert, 'theHiveToSlack', deps.config)) return 0;
  const comments = await theHiveFor(deps, alert.finding.customer).comments.listInCase(alert.caseId);
  let copied = 0;
  for (const comment of comments) {
    if (isHivewireComment(comment.message)) continue;
    if ((await deps.store.getConversationCopy(theHiveKey(comment._id)))?.copiedAt) continue;
    const outcome = await copyTheHiveComment({ caseId: alert.caseId, comment, via: 'reconcile' }, deps);
    if (outcome === 'copied') copied += 1;
  }
  return copied;
}

function earlierKey(channel: string, threadTs: string): string {
  return `before:${channel}:${threadTs}`;
}

/** Marks a thread (of an alert, or any other) as one people wrote in before it had a case. */
async function noteEarlierMessage(message: ThreadMessage, deps: WorkerDeps): Promise<void> {
  await deps.store.createConversationCopy({
    key: earlierKey(message.channel, message.threadTs),
    fingerprint: '',
    caseId: '',
    direction: 'slack-to-thehive',
    channel: message.channel,
    ts: message.threadTs,
    claimedAt: 0,
  });
}

/** The heading of the one comment that summarises what was said before the case. */
export const EARLIER_MESSAGES_HEADING = '**Said in the Slack thread before the case was opened**';

/**
 * At escalation: what people said in the alert's thread before the case existed, as one comment on
 * the case, each message with its author, time and permalink. Only when messages were noted there
 * (no Slack call otherwise), once (the thread's `before:` item is claimed like a copy), and each
 * message summarised is recorded so that it is not copied again on its own.
 */
export async function summariseEarlierMessages(alert: AlertRecord, deps: WorkerDeps): Promise<number> {
  if (!alert.ts || !alert.caseId) return 0;
  const key = earlierKey(alert.channel, alert.ts);
  const noted = await deps.store.getConversationCopy(key);
  if (!noted || noted.copiedAt) return 0;
  if (!conversationAllowed(alert, 'slackToTheHive', deps.config)) return 0;
  const claim = await claimCopy({ ...noted, fingerprint: alert.fingerprint, caseId: alert.caseId }, deps);
  if (!claim) return 0;
  const said = (await deps.slack.threadMessages(alert.channel, alert.ts)).filter(
    (m) =>
      m.ts &&
      m.ts !== alert.ts &&
      m.user &&
      !m.bot_id &&
      (m.subtype === undefined || m.subtype === 'file_share'),
  );
  const fresh = [];
  for (const m of said)
    if (!(await deps.store.getConversationCopy(slackKey({ channel: alert.channel, ts: m.ts! }))))
      fresh.push(m);
  let commentId: string | undefined;
  if (fresh.length > 0) {
    const lines = await Promise.all(
      fresh.map(async (m) => {
        const name = (await deps.users.displayName(m.user!, alert.channel)) ?? m.user!;
        const permalink = await deps.slack.permalink(alert.channel, m.ts!);
        return slackMessageComment({
          authorName: name,
          text: m.text ?? '',
          names: await namesIn(m.text ?? '', alert.channel, deps),
          files: (m.files ?? []).map((f) => ({ name: f.title ?? f.name ?? 'file', permalink: f.permalink })),
          permalink,
          channel: alert.channel,
          ts: m.ts!,
          omitMarker: true,
        });
      }),
    );
    const found = claim.maybeMade
      ? (await theHiveFor(deps, alert.finding.customer).comments.listInCase(alert.caseId)).find(
          (c) => isHivewireComment(c.message) && c.message.startsWith(EARLIER_MESSAGES_HEADING),
        )
      : undefined;
    const comment =
      found ??
      (await theHiveFor(deps, alert.finding.customer).comments.createInCase(
        alert.caseId,
        markedComment([EARLIER_MESSAGES_HEADING, ...lines].join('\n\n---\n\n')),
      ));
    commentId = comment._id;
    await recordOwnComment(comment._id, alert, deps);
    for (const m of fresh)
      await deps.store.createConversationCopy({
        key: slackKey({ channel: alert.channel, ts: m.ts! }),
        fingerprint: alert.fingerprint,
        caseId: alert.caseId,
        direction: 'slack-to-thehive',
        inSummary: true,
        commentId: comment._id,
        channel: alert.channel,
        ts: m.ts!,
        author: m.user,
        text: m.text,
        copiedAt: deps.now().toISOString(),
      });
    await deps.store.appendAudit({
      fingerprint: alert.fingerprint,
      caseId: alert.caseId,
      actor: { kind: 'system' },
      action: 'conversation-to-thehive',
      details: {
        change: 'summary',
        author: `${fresh.length} earlier ${fresh.length === 1 ? 'message' : 'messages'}`,
        slack: { channel: alert.channel, ts: alert.ts, permalink: alert.permalink },
        thehive: { commentId: comment._id, caseUrl: withCurrentLinks(alert, deps.config).caseUrl },
      },
    });
  }
  await updateConversationCopy(deps.store, key, (current) => ({
    ...current,
    commentId,
    copiedAt: deps.now().toISOString(),
    claimedAt: undefined,
  }));
  return fresh.length;
}
