/**
 * Ignoring an alert with a reason. The decision is one conditional write (open → ignored) that also
 * records what it owes: the thread reply and, for a Security Hub finding, the workflow update to
 * SUPPRESSED with the reason as its note. A job delivers those (Security Hub is too slow for Slack's
 * 3 seconds) and retries until done, so a redelivered job posts nothing twice.
 *
 * An escalated alert cannot be ignored: its case decides. An ignored alert whose severity rises is
 * opened again by ingest.
 */
import type { ChatActorKind } from '../domain/audit';
import { CHAT_PLATFORM_NAMES } from '../domain/chat';
import { randomUUID } from 'node:crypto';
import { truncate } from '../../blocks/escape';
import { deliverPending } from '../cases/sync';
import type { Deps } from '../wiring/deps';
import type { JobOf } from '../queue/jobs';
import { updateAlert } from '../store/store';
import type { AlertRecord } from '../domain/alert';
import { IGNORE_NOTE_MAX, IGNORE_REASONS, type IgnoreReason } from '../domain/ignore';
import { errorMessage } from '../observability/logger';
import type { IgnoreCheck } from '../domain/ignore';

export type IgnoreResult =
  { outcome: 'ignored'; alert: AlertRecord } | Exclude<IgnoreCheck, { outcome: 'ignorable' }>;

export interface IgnoreRequest {
  fingerprint: string;
  userId: string;
  /** Where the person ignored it, for the audit (Slack unless said). */
  platform?: ChatActorKind;
  /** The person's name (Slack user name, Teams display name): for the Security Hub note (it knows no chat
   * ids) and the thread reply on platforms that cannot mention the person. */
  userName?: string;
  reason: IgnoreReason;
  note?: string;
}

function check(alert: AlertRecord | undefined): IgnoreCheck {
  if (!alert) return { outcome: 'unknown-alert' };
  switch (alert.state) {
    case 'open':
      return { outcome: 'ignorable', alert };
    case 'escalated':
      return { outcome: 'escalated', alert };
    case 'escalating':
      return { outcome: 'escalating', alert };
    case 'ignored':
      return { outcome: 'already-ignored', alert };
  }
}

/** Whether the alert can be ignored now (the Ignore button asks before opening the modal). */
export async function checkIgnorable(fingerprint: string, deps: Pick<Deps, 'store'>): Promise<IgnoreCheck> {
  return check(await deps.store.getAlert(fingerprint));
}

/** What the alert shows after "Ignored by @x: …": the reason's label and the note. */
export function ignoreReasonText(reason: IgnoreReason, note: string | undefined): string {
  const trimmed = note?.trim();
  return trimmed ? `${IGNORE_REASONS[reason]} — ${trimmed}` : IGNORE_REASONS[reason];
}

/**
 * The note Security Hub keeps with the SUPPRESSED status (its client cuts it to Security Hub's 512
 * characters): where and by whom, as an auditor reading Security Hub can look the person up.
 */
export function suppressionNote(
  request: Pick<IgnoreRequest, 'userId' | 'userName' | 'platform' | 'reason' | 'note'>,
): string {
  const who = request.userName ? `${request.userName} (${request.userId})` : request.userId;
  const where = CHAT_PLATFORM_NAMES[request.platform ?? 'slack'];
  return `Ignored in ${where} by ${who}: ${ignoreReasonText(request.reason, request.note)}`;
}

/**
 * Ignores an open alert: open → ignored (who, when, why), the reply and the Security Hub update recorded
 * as owed, the audit, and an `ignore-followup` job to deliver them. Fast: it runs before Slack's deadline.
 */
export async function ignoreAlert(
  request: IgnoreRequest,
  deps: Pick<Deps, 'store' | 'queue' | 'now'>,
): Promise<IgnoreResult> {
  const { store } = deps;
  const at = deps.now().toISOString();
  const note = request.note?.trim() ? truncate(request.note.trim(), IGNORE_NOTE_MAX) : undefined;
  const replyId = randomUUID();
  let seen: AlertRecord | undefined;
  const won = await updateAlert(store, request.fingerprint, (alert) => {
    seen = alert;
    if (alert.state !== 'open') return undefined;
    const suppresses = alert.finding.securityHub !== undefined;
    return {
      ...alert,
      state: 'ignored',
      ignoredBy: request.userId,
      ignoredByName: request.userName?.slice(0, 256),
      ignoredAt: at,
      ignoreReason: ignoreReasonText(request.reason, note),
      pendingReplies: [
        ...(alert.pendingReplies ?? []),
        {
          id: replyId,
          note: {
            kind: 'ignored' as const,
            person: request.userId,
            ...(request.userName ? { personName: request.userName } : {}),
            personPlatform: request.platform ?? 'slack',
            reason: ignoreReasonText(request.reason, note),
            suppressesSecurityHub: suppresses,
          },
        },
      ],
      ...(suppresses
        ? { pendingWorkflow: { status: 'SUPPRESSED' as const, note: suppressionNote({ ...request, note }) } }
        : {}),
    };
  });
  if (!won) return check(seen) as Exclude<IgnoreCheck, { outcome: 'ignorable' }>;
  await store.appendAudit({
    fingerprint: request.fingerprint,
    actor: { kind: request.platform ?? 'slack', id: request.userId },
    action: 'ignored',
    details: {
      reason: request.reason,
      reasonLabel: IGNORE_REASONS[request.reason],
      ...(note ? { note } : {}),
      securityHub: won.after.pendingWorkflow?.status === 'SUPPRESSED' ? 'SUPPRESSED' : 'none',
    },
  });
  try {
    await deps.queue.enqueue({ kind: 'ignore-followup', fingerprint: request.fingerprint });
  } catch (error) {
    // Without the job the reply and Security Hub update would never happen: give the alert back.
    await updateAlert(store, request.fingerprint, (alert) =>
      alert.state === 'ignored' && alert.ignoredAt === at
        ? {
            ...alert,
            state: 'open',
            ignoredBy: undefined,
            ignoredByName: undefined,
            ignoredAt: undefined,
            ignoreReason: undefined,
            pendingReplies: (alert.pendingReplies ?? []).filter((reply) => reply.id !== replyId),
            pendingWorkflow:
              alert.pendingWorkflow?.status === 'SUPPRESSED' ? undefined : alert.pendingWorkflow,
          }
        : undefined,
    );
    await store.appendAudit({
      fingerprint: request.fingerprint,
      actor: { kind: 'system' },
      action: 'error',
      details: {
        step: 'ignore',
        reason: `job not queued: ${errorMessage(error)}`,
      },
    });
    throw error;
  }
  return { outcome: 'ignored', alert: won.after };
}

/** The worker's half: threads the reply, suppresses the Security Hub finding, re-renders the alert. */
export async function deliverIgnore(job: JobOf<'ignore-followup'>, deps: Deps): Promise<void> {
  await deliverPending(job.fingerprint, deps);
}
