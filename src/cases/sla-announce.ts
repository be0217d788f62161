/**
 * What an SLA announcement writes: its thread reply, queued in the same conditional write that records
 * the announcement, and its audit event. Shared by the scheduled SLA watch (`sla.ts`) and the status
 * sync (`sync.ts`), which announces a stopped clock with the change that stopped it.
 */
import { randomUUID } from 'node:crypto';
import type { Deps } from '../wiring/deps';
import type { AlertRecord } from '../domain/alert';
import type { SlaAnnouncement } from '../domain/sla';

const AUDIT_ACTIONS: Record<SlaAnnouncement['tier'], string> = {
  warning: 'sla-warning',
  breach: 'sla-breach',
  leads: 'sla-escalated',
  stopped: 'sla-stopped',
};

/** The alert with the SLA announcements `decision` owes queued as thread replies. */
export function withSlaReplies(
  alert: AlertRecord,
  decision: { sla: AlertRecord['sla']; announcements: SlaAnnouncement[] },
): AlertRecord {
  return {
    ...alert,
    sla: decision.sla,
    pendingReplies: [
      ...(alert.pendingReplies ?? []),
      ...decision.announcements.map((announcement) => ({
        id: randomUUID(),
        note: {
          kind: 'sla' as const,
          caseNumber: alert.caseNumber,
          caseId: alert.caseId,
          announcement,
        },
      })),
    ],
  };
}

/** Writes an audit event per announcement made. */
export async function auditSla(
  alert: AlertRecord,
  announcements: SlaAnnouncement[],
  deps: Pick<Deps, 'store'>,
): Promise<void> {
  for (const announcement of announcements) {
    await deps.store.appendAudit({
      fingerprint: alert.fingerprint,
      caseId: alert.caseId,
      actor: { kind: 'system' },
      action: AUDIT_ACTIONS[announcement.tier],
      details: {
        clock: announcement.clock,
        tier: announcement.tier,
        waitedMinutes: announcement.waitedMinutes,
        limitMinutes: announcement.limitMinutes,
        ...(announcement.calledOn ? { calledOn: announcement.calledOn } : {}),
      },
    });
  }
}
