/**
 * Status sync: every meaningful change to a followed TheHive case is threaded under its alert, and
 * the alert's status line always shows the case's latest state.
 *
 * TheHive's webhook carries only new values, may arrive twice or out of order, and is never retried;
 * so the store keeps the case's last known state and the time of the last change applied. A change
 * is decided with one conditional write that also records the replies it owes, which are then
 * delivered (and retried) until done: nothing posts twice, nothing is lost.
 */
import { deliverToOtherPlatforms, updateEverywhere } from '../alerts/platforms';
import { slackRoot } from '../alerts/roots';
import { withCurrentLinks } from '../alerts/links';
import { randomUUID } from 'node:crypto';
import type { Deps, WorkerDeps } from '../wiring/deps';
import { updateAlert } from '../store/store';
import type { AlertRecord, CaseChange, CaseSnapshot, PendingReply } from '../domain/alert';
import { fromAlertsOrganisation } from './notification-origin';
import { diffCase, snapshotOfCase } from './case-change';
import { copyTheHiveComment } from './conversation';
import { decideSla, slaPolicyFor } from './sla-policy';
import { auditSla, withSlaReplies } from './sla-announce';
import type { SlaAnnouncement } from '../domain/sla';
import type { CaseNotification, NotifiedCase } from '../domain/case-notification';

/** A case's state as TheHive reports it: the case after a change, or the news that it is gone. */
export type CaseState = {
  caseId: string;
  updatedAt: number;
  actor: string;
} & ({ via: 'webhook'; organisation?: string } | { via: 'reconcile' }) &
  ({ theCase: NotifiedCase } | { gone: 'deleted' | 'merged' });

/** `other-organisation`: a webhook from an organisation that is not the alert's customer's, refused. */
export type SyncOutcome = 'applied' | 'no-change' | 'stale' | 'not-followed' | 'other-organisation';

/** Closing resolutions → Security Hub workflow status. */
const WORKFLOW_ON_CLOSE: Record<string, 'RESOLVED' | 'SUPPRESSED'> = {
  TruePositive: 'RESOLVED',
  Other: 'RESOLVED',
  Indeterminate: 'RESOLVED',
  FalsePositive: 'SUPPRESSED',
  Duplicated: 'SUPPRESSED',
};

/** The assignee's Slack user in the workspace of the alert's `channel` (a customer's people are in its own). */
async function resolveAssignees(
  changes: CaseChange[],
  users: WorkerDeps['users'],
  channel: string,
): Promise<CaseChange[]> {
  return Promise.all(
    changes.map(async (change) =>
      change.field === 'assignee'
        ? { ...change, toSlackUser: await users.mentionFor(change.to ?? undefined, channel) }
        : change,
    ),
  );
}

/**
 * Applies a case's state as TheHive reports it (webhook or reconcile). Older or repeated states
 * change nothing.
 */
export async function applyCaseState(input: CaseState, deps: WorkerDeps): Promise<SyncOutcome> {
  const { store } = deps;
  const alert = await store.findAlertByCase(input.caseId);
  if (!alert) return 'not-followed';
  // Reconcile asked the customer's own organisation; a webhook says which one it comes from.
  if (input.via === 'webhook' && !(await fromAlertsOrganisation(alert, input, deps)))
    return 'other-organisation';
  const updatedAt = input.updatedAt;
  const after: CaseSnapshot =
    'gone' in input
      ? { ...(alert.case ?? { status: 'Unknown', stage: 'Closed' }), gone: input.gone }
      : snapshotOfCase(input.theCase);

  // Assignee lookups talk to Slack: do them before the conditional write, not inside its retry loop.
  const changes = await resolveAssignees(diffCase(alert.case, after, input.actor), deps.users, alert.channel);
  let outcome = 'no-change' as SyncOutcome;
  // Whether replies are owed: this change's, or those of an earlier attempt whose delivery failed (the
  // retried job finds its own change already decided). Nothing owed: Slack is not called at all.
  let owed = false;
  let slaStops: SlaAnnouncement[] = [];
  const decided = await updateAlert(store, alert.fingerprint, (current) => {
    owed = Boolean(current.pendingReplies?.length || current.pendingWorkflow);
    if (current.caseUpdatedAt !== undefined && updatedAt <= current.caseUpdatedAt && !('gone' in input)) {
      outcome = 'stale';
      return undefined;
    }
    const fresh = diffCase(current.case, after, input.actor);
    if (fresh.length === 0) {
      outcome = 'no-change';
      return { ...current, caseUpdatedAt: Math.max(updatedAt, current.caseUpdatedAt ?? 0) };
    }
    outcome = 'applied';
    owed = true;
    const resolved = fresh.map((change) =>
      change.field === 'assignee'
        ? (changes.find((c) => c.field === 'assignee' && c.to === change.to) ?? change)
        : change,
    );
    const closed = after.stage === 'Closed' && current.case?.stage !== 'Closed';
    const workflow = WORKFLOW_ON_CLOSE[after.status];
    const changed: AlertRecord = {
      ...current,
      case: after,
      caseCreatedAt: current.caseCreatedAt ?? ('theCase' in input ? input.theCase._createdAt : undefined),
      caseUpdatedAt: Math.max(updatedAt, current.caseUpdatedAt ?? 0),
      pendingReplies: [
        ...(current.pendingReplies ?? []),
        {
          id: randomUUID(),
          caseUpdate: true,
          note: {
            kind: 'case-change',
            caseNumber: current.caseNumber,
            caseUrl: withCurrentLinks(current, deps.config).caseUrl,
            changes: resolved,
            actor: input.actor,
          },
        },
      ],
    };
    // A case that moved on stops its SLA clocks; the thread hears it right after the change itself.
    const policy = slaPolicyFor(deps.config.file, current.finding.customer, current.severity);
    const stops = policy && decideSla(changed, policy, deps.now().getTime(), { stopsOnly: true });
    slaStops = stops ? stops.announcements : [];
    return {
      ...(stops ? withSlaReplies(changed, stops) : changed),
      ...(closed && workflow && current.finding.securityHub
        ? {
            pendingWorkflow: {
              status: workflow,
              note: `TheHive case #${current.caseNumber} closed as ${after.status}${after.summary ? `: ${after.summary}` : ''}`,
            },
          }
        : {}),
    };
  });
  if (decided && outcome === 'applied') {
    await store.appendAudit({
      fingerprint: alert.fingerprint,
      caseId: input.caseId,
      actor: { kind: 'thehive', id: input.actor },
      action: 'status-changed',
      details: { via: input.via, before: decided.before.case, after: decided.after.case, updatedAt },
    });
    await auditSla(decided.after, slaStops, deps);
  }
  if (owed) await deliverPending(alert.fingerprint, deps);
  return outcome;
}

/**
 * A pending reply while one worker posts it. Kept inside the stored reply (the store keeps records
 * as JSON), so the claim and the reply live and go together.
 */
type ClaimedReply = PendingReply & { claimedUntil?: number };

/** Longer than one Slack post with the worker client's retries; a crashed claimer's reply waits this long. */
const REPLY_CLAIM_MS = 60_000;

/** Claims the oldest pending reply when it is `replyId` and nobody else holds it; the alert when claimed. */
async function claimReply(
  fingerprint: string,
  replyId: string,
  deps: Deps,
): Promise<AlertRecord | undefined> {
  const now = deps.now().getTime();
  const saved = await updateAlert(deps.store, fingerprint, (current) => {
    const pending: ClaimedReply | undefined = current.pendingReplies?.[0];
    if (!current.ts || pending?.id !== replyId || (pending.claimedUntil ?? 0) > now) return undefined;
    return {
      ...current,
      pendingReplies: [
        { ...pending, claimedUntil: now + REPLY_CLAIM_MS },
        ...current.pendingReplies!.slice(1),
      ],
    };
  });
  return saved?.after;
}

/** Delivers the replies a case change owes, re-renders the root alert, then updates Security Hub. */
export async function deliverPending(fingerprint: string, deps: Deps): Promise<void> {
  const { store } = deps;
  let alert: AlertRecord | undefined = await store.getAlert(fingerprint);
  if (!alert) return;
  // Oldest first, one at a time, each claimed before it is posted: two workers applying changes to
  // one case at once would otherwise both post the same reply. A worker that finds the next reply
  // claimed stops there: the claimer posts it and every reply after it, in thread order.
  for (;;) {
    const next = alert.ts ? alert.pendingReplies?.[0] : undefined;
    if (!next) break;
    const claim = await claimReply(fingerprint, next.id, deps);
    const root = claim && slackRoot(claim);
    if (!root) break;
    try {
      // Slack last: its reply's removal from the outbox is what marks the reply delivered.
      await deliverToOtherPlatforms(claim, next, deps);
      if (next.note) await deps.chats.slack.replyInThread(root, next.note);
      else
        await deps.slack.reply(root.channel, root.messageId, {
          text: next.text ?? '',
          blocks: next.blocks ?? [],
        });
    } catch (error) {
      // Released at once, so the job's retry posts it without waiting for the claim to lapse.
      await updateAlert(store, fingerprint, (current) => ({
        ...current,
        pendingReplies: (current.pendingReplies ?? []).map((pending): ClaimedReply =>
          pending.id === next.id ? { ...pending, claimedUntil: undefined } : pending,
        ),
      }));
      throw error;
    }
    if (next.caseUpdate) deps.metrics.count('CaseUpdatesThreaded');
    const saved = await updateAlert(store, fingerprint, (current) => ({
      ...current,
      pendingReplies: (current.pendingReplies ?? []).filter((pending) => pending.id !== next.id),
    }));
    alert = saved?.after ?? (await store.getAlert(fingerprint)) ?? alert;
  }
  // The root before Security Hub: a Security Hub that refuses for good must not leave the root
  // showing a state the thread has moved past.
  await updateEverywhere(alert, deps);
  const workflow = alert.pendingWorkflow;
  if (workflow && alert.finding.securityHub) {
    await deps.securityHub.setWorkflow(alert.finding.securityHub, workflow.status, workflow.note);
    const saved = await updateAlert(store, fingerprint, (current) => ({
      ...current,
      pendingWorkflow: undefined,
    }));
    alert = saved?.after ?? alert;
    await store.appendAudit({
      fingerprint,
      caseId: alert.caseId,
      actor: { kind: 'system' },
      action: 'securityhub-workflow',
      details: { status: workflow.status, note: workflow.note },
    });
  }
}

/**
 * A TheHive change as the webhook endpoint read and queued it: a case changed or gone is applied, a
 * comment added on a case threaded (conversation.ts). What Hivewire has no use for was answered and
 * counted by the endpoint, never queued.
 */
export async function applyCaseNotification(notification: CaseNotification, deps: WorkerDeps): Promise<void> {
  if (notification.kind === 'case') {
    const { theCase } = notification;
    const outcome = await applyCaseState(
      {
        caseId: theCase._id,
        theCase,
        updatedAt: theCase._updatedAt ?? theCase._createdAt ?? 0,
        actor: notification.actor,
        via: 'webhook',
        organisation: notification.organisation,
      },
      deps,
    );
    deps.logger.info('case notification', { caseId: theCase._id, outcome });
  } else if (notification.kind === 'comment') {
    const outcome = await copyTheHiveComment({ ...notification, via: 'webhook' }, deps);
    deps.logger.info('case comment notification', { caseId: notification.caseId, outcome });
  } else {
    await applyCaseState(
      {
        caseId: notification.caseId,
        gone: notification.action === 'delete' ? 'deleted' : 'merged',
        updatedAt: notification.at ?? deps.now().getTime(),
        actor: notification.actor,
        via: 'webhook',
        organisation: notification.organisation,
      },
      deps,
    );
  }
}
