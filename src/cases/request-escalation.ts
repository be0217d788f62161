/**
 * Escalation ("Create Case"), the click's part: it runs in the Slack function, before Slack's 3-second
 * deadline, and needs only the store and the queue (the worker's part, with TheHive, is escalate.ts).
 */
import type { ChatActorKind } from '../domain/audit';
import type { Deps } from '../wiring/deps';
import { updateAlert } from '../store/store';
import type { AlertRecord } from '../domain/alert';

export type EscalationRequest =
  | { outcome: 'requested'; alert: AlertRecord }
  | { outcome: 'already-escalated'; alert: AlertRecord }
  | { outcome: 'in-progress'; alert: AlertRecord }
  | { outcome: 'ignored'; alert: AlertRecord }
  | { outcome: 'unknown-alert' };

/**
 * How long an escalation may stay without a case before a new click takes it over: its job is then
 * gone (a process stopped between the click's state write and its job write), since the worker's
 * retries end long before (locally within minutes; in AWS 5 receives of a 6-minute visibility timeout).
 */
const ESCALATION_ABANDONED_MS = 60 * 60_000;

/** An escalation whose job was lost: no case, and older than any job still retrying could be. */
function isAbandoned(alert: AlertRecord, now: Date): boolean {
  return (
    alert.state === 'escalating' &&
    alert.caseId === undefined &&
    now.getTime() - Date.parse(alert.escalatedAt ?? alert.updatedAt) >= ESCALATION_ABANDONED_MS
  );
}

/**
 * Records an analyst's click: open → escalating (who, when) with its audit event, and a `create-case` job. A click
 * on an abandoned escalation (see ESCALATION_ABANDONED_MS) requests it again.
 * Fast by design: it runs before Slack's 3-second deadline.
 */
export async function requestEscalation(
  /** `platform`: where the click came from, for the audit (Slack unless said); `userName`: the clicker's name. */
  input: { fingerprint: string; userId: string; userName?: string; platform?: ChatActorKind },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'metrics'>,
): Promise<EscalationRequest> {
  const { store, queue } = deps;
  const now = deps.now();
  const at = now.toISOString();
  // The claim and its audit event in one write: the click's answer waits for every round trip.
  const won = await updateAlert(
    store,
    input.fingerprint,
    (alert) =>
      alert.state === 'open' || isAbandoned(alert, now)
        ? {
            ...alert,
            state: 'escalating',
            escalatedBy: input.userId,
            escalatedByName: input.userName?.slice(0, 256),
            escalatedAt: at,
            lastError: undefined,
          }
        : undefined,
    {
      events: [
        {
          fingerprint: input.fingerprint,
          actor: { kind: input.platform ?? 'slack', id: input.userId },
          action: 'escalation-requested',
        },
      ],
    },
  );
  if (!won) {
    const alert = await store.getAlert(input.fingerprint);
    if (!alert) return { outcome: 'unknown-alert' };
    if (alert.state === 'escalated') return { outcome: 'already-escalated', alert };
    if (alert.state === 'ignored') return { outcome: 'ignored', alert };
    return { outcome: 'in-progress', alert };
  }
  try {
    await queue.enqueue({
      kind: 'create-case',
      fingerprint: input.fingerprint,
      userId: input.userId,
      ...(input.userName ? { userName: input.userName.slice(0, 256) } : {}),
      ...(input.platform && input.platform !== 'slack' ? { platform: input.platform } : {}),
      requestedAt: at,
    });
  } catch (error) {
    // Without a job nothing would ever create the case: give the button back.
    await updateAlert(store, input.fingerprint, (alert) =>
      alert.state === 'escalating' && !alert.caseId
        ? {
            ...alert,
            state: 'open',
            escalatedBy: undefined,
            escalatedByName: undefined,
            escalatedAt: undefined,
          }
        : undefined,
    );
    throw error;
  }
  deps.metrics.count('EscalationsRequested');
  return { outcome: 'requested', alert: won.after };
}
