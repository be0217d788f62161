/**
 * `/hivewire case <number>`: a case's current state as Hivewire last saw it (kept current by the
 * TheHive webhook and the reconcile job) and its alert's timeline from the audit trail. Read from the
 * store only, so the answer fits in the command's acknowledgement.
 */
import type { Deps } from '../wiring/deps';
import type { AlertRecord } from '../domain/alert';
import type { AuditEvent } from '../domain/audit';

/** Audit events shown, most recent last. */
export const TIMELINE_MAX = 15;

export type CaseLookup =
  | { outcome: 'found'; alert: AlertRecord; timeline: AuditEvent[]; omitted: number }
  | { outcome: 'not-found'; caseNumber: number };

/** A case number as typed: `42` or `#42`; undefined for anything else. */
export function parseCaseNumber(text: string): number | undefined {
  const match = /^#?(\d{1,9})$/.exec(text.trim());
  if (!match?.[1]) return undefined;
  const value = Number(match[1]);
  return value > 0 ? value : undefined;
}

/**
 * The alert linked to case `caseNumber` of one of `organisations` (TheHive numbers cases per
 * organisation) and the last TIMELINE_MAX events of its timeline.
 */
export async function lookupCase(
  caseNumber: number,
  organisations: (string | undefined)[],
  deps: Pick<Deps, 'store'>,
): Promise<CaseLookup> {
  let alert: AlertRecord | undefined;
  for (const organisation of organisations) {
    alert = await deps.store.findAlertByCase(caseNumber, organisation);
    if (alert) break;
  }
  if (!alert) return { outcome: 'not-found', caseNumber };
  const events = await deps.store.listAudit(alert.fingerprint);
  const timeline = events.slice(-TIMELINE_MAX);
  return { outcome: 'found', alert, timeline, omitted: events.length - timeline.length };
}
