/**
 * SLA watch, the decisions: which limits hold for a case, how long it has waited, and what the thread
 * is owed now. Pure functions of the alert record, the configuration and the time, so every run (the
 * reconcile schedule in AWS, the local timer, two of them at once, a restarted process) decides the
 * same thing from the store, and the conditional write that records a decision makes it once.
 */
import type { ConfigFile } from '../config/config';
import type { Severity } from '../domain/finding';
import type { AlertRecord } from '../domain/alert';
import type { SlaAnnouncement, SlaClock, SlaReading, SlaRecord, SlaTier } from '../domain/sla';

/** The limits and tiers that hold for one case (its customer's settings over the defaults). */
export interface SlaPolicy {
  acknowledgeMinutes?: number;
  resolveMinutes?: number;
  /** The share of a limit at which the warning comes. */
  warnAt: number;
  /** User group called on at a breach (and at the warning when the case has no assignee in Slack). */
  onCall?: string;
  /** User group called on when a breach has lasted `leadsAfterMinutes`. */
  leads?: string;
  leadsAfterMinutes: number;
}

/** Warn at 80 % of a limit unless the config says otherwise. */
export const DEFAULT_WARN_AT = 0.8;
/** Call the leads half an hour into a breach unless the config says otherwise. */
export const DEFAULT_LEADS_AFTER_MINUTES = 30;

const CLOCKS: readonly SlaClock[] = ['acknowledge', 'resolve'];
const TIERS: readonly SlaTier[] = ['warning', 'breach', 'leads'];
const MINUTE_MS = 60_000;

/** The SLA of a case of `severity` for `customer`; undefined when no limit is configured for it. */
export function slaPolicyFor(file: ConfigFile, customer: string, severity: Severity): SlaPolicy | undefined {
  const sla = file.sla;
  if (!sla) return undefined;
  const own = sla.customers[customer];
  const limits = { ...sla.severities?.[severity], ...own?.severities?.[severity] };
  if (limits.acknowledgeMinutes === undefined && limits.resolveMinutes === undefined) return undefined;
  return {
    ...limits,
    warnAt: own?.warnAt ?? sla.warnAt ?? DEFAULT_WARN_AT,
    onCall: own?.onCall ?? sla.onCall ?? file.slack.onCall,
    leads: own?.leads ?? sla.leads,
    leadsAfterMinutes: own?.leadsAfterMinutes ?? sla.leadsAfterMinutes ?? DEFAULT_LEADS_AFTER_MINUTES,
  };
}

function limitOf(policy: SlaPolicy, clock: SlaClock): number | undefined {
  return clock === 'acknowledge' ? policy.acknowledgeMinutes : policy.resolveMinutes;
}

function dueTier(waitedMs: number, limitMinutes: number, policy: SlaPolicy): SlaTier | undefined {
  const limitMs = limitMinutes * MINUTE_MS;
  if (policy.leads && waitedMs >= limitMs + policy.leadsAfterMinutes * MINUTE_MS) return 'leads';
  if (waitedMs >= limitMs) return 'breach';
  if (waitedMs >= limitMs * policy.warnAt) return 'warning';
  return undefined;
}

/** Where a case's clocks start: TheHive's creation time, else when the case was asked for. */
function caseStart(alert: AlertRecord): number | undefined {
  if (alert.caseCreatedAt !== undefined) return alert.caseCreatedAt;
  const requested = alert.escalatedAt ? Date.parse(alert.escalatedAt) : Number.NaN;
  return Number.isNaN(requested) ? undefined : requested;
}

/** The clocks of an escalated alert's case; none for an alert without a case (open, ignored). */
export function readSlaClocks(alert: AlertRecord, policy: SlaPolicy, nowMs: number): SlaReading[] {
  const start = caseStart(alert);
  if (alert.state !== 'escalated' || !alert.case || start === undefined) return [];
  const { stage, gone } = alert.case;
  const readings: SlaReading[] = [];
  for (const clock of CLOCKS) {
    const limitMinutes = limitOf(policy, clock);
    if (limitMinutes === undefined) continue;
    const running = !gone && stage !== 'Closed' && (clock === 'resolve' || stage === 'New');
    const until = running ? nowMs : (alert.caseUpdatedAt ?? nowMs);
    const waitedMs = Math.max(0, until - start);
    readings.push({
      clock,
      running,
      waitedMs,
      limitMinutes,
      due: running ? dueTier(waitedMs, limitMinutes, policy) : undefined,
    });
  }
  return readings;
}

export interface SlaDecision {
  sla: SlaRecord;
  announcements: SlaAnnouncement[];
}

function calledOn(tier: SlaTier, policy: SlaPolicy, assignee?: string): SlaAnnouncement['calledOn'] {
  if (tier === 'warning' && assignee) return { user: assignee };
  const group = tier === 'leads' ? policy.leads : policy.onCall;
  return group ? { group } : undefined;
}

/**
 * What the thread is owed now, given what it was told (`alert.sla`): the highest tier due on each
 * running clock that was not announced (the lower ones are then never announced: a case found past
 * its limit after a stop is called a breach, not warned about), and one "the clock stopped" for a
 * clock that had announced something. `stopsOnly` leaves new tiers to the scheduled run (which knows
 * the assignee's Slack user). Undefined when nothing is owed.
 *
 * @param assignee the case assignee's Slack user id, when known
 */
export function decideSla(
  alert: AlertRecord,
  policy: SlaPolicy,
  nowMs: number,
  options: { assignee?: string; stopsOnly?: boolean } = {},
): SlaDecision | undefined {
  const announced = new Set(alert.sla?.announced ?? []);
  let breached = alert.sla?.breached;
  const announcements: SlaAnnouncement[] = [];
  for (const reading of readSlaClocks(alert, policy, nowMs)) {
    const { clock, due } = reading;
    const said = (tier: SlaTier | 'stopped') => announced.has(`${clock}:${tier}`);
    const base = {
      clock,
      waitedMinutes: Math.floor(reading.waitedMs / MINUTE_MS),
      limitMinutes: reading.limitMinutes,
      stage: alert.case?.stage ?? 'New',
    };
    if (reading.running && due && !said(due) && !options.stopsOnly) {
      for (const tier of TIERS.slice(0, TIERS.indexOf(due) + 1)) announced.add(`${clock}:${tier}`);
      announcements.push({ ...base, tier: due, calledOn: calledOn(due, policy, options.assignee) });
      if (due !== 'warning')
        breached = { clock, limitMinutes: reading.limitMinutes, at: new Date(nowMs).toISOString() };
    } else if (!reading.running && TIERS.some(said) && !said('stopped')) {
      announced.add(`${clock}:stopped`);
      announcements.push({ ...base, tier: 'stopped' });
      if (breached?.clock === clock) breached = undefined;
    }
  }
  if (announcements.length === 0) return undefined;
  return { sla: { announced: [...announced], ...(breached ? { breached } : {}) }, announcements };
}

/** How far along its limit a clock is (1 = at the limit), for ordering `/hivewire sla`. */
export function slaShare(reading: SlaReading): number {
  return reading.waitedMs / (reading.limitMinutes * MINUTE_MS);
}
