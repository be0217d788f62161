/**
 * SLA watch, the use case: cases that wait too long say so in their alert's thread. It runs with every
 * reconcile (the schedule in AWS, the timer locally), after reconcile has applied what TheHive's query
 * brought, and reads everything from the store: a restarted process, a retried job or two runs at once
 * decide the same announcements, and the conditional write that records one (with its reply) lets
 * exactly one of them make it.
 */
import type { SlaStanding } from '../../blocks/sla';
import { updateAlert } from '../store/store';
import { auditSla, withSlaReplies } from './sla-announce';
import type { SlaAnnouncement } from '../domain/sla';
import { decideSla, readSlaClocks, slaPolicyFor, slaShare } from './sla-policy';
import { deliverPending } from './sync';
import type { Deps, WorkerDeps } from '../wiring/deps';

/** Cases `/hivewire sla` lists. */
export const SLA_LIST_MAX = 10;

/** Announces what each followed case's SLA owes its thread; resolves to the number of announcements. */
export async function watchSla(deps: WorkerDeps): Promise<number> {
  if (!deps.config.file.sla) return 0;
  let made = 0;
  for (const alert of await deps.store.listFollowedCases()) {
    const policy = slaPolicyFor(deps.config.file, alert.finding.customer, alert.severity);
    if (!policy) continue;
    const nowMs = deps.now().getTime();
    // Asked first without the assignee: most runs owe nothing, and then Slack is not asked either.
    if (!decideSla(alert, policy, nowMs)) continue;
    const assignee = await deps.users.mentionFor(alert.case?.assignee, alert.channel);
    let announcements: SlaAnnouncement[] = [];
    const saved = await updateAlert(deps.store, alert.fingerprint, (current) => {
      const decision = decideSla(current, policy, nowMs, { assignee });
      announcements = decision?.announcements ?? [];
      return decision ? withSlaReplies(current, decision) : undefined;
    });
    if (!saved) continue;
    made += announcements.length;
    await auditSla(saved.after, announcements, deps);
    await deliverPending(alert.fingerprint, deps);
  }
  return made;
}

/**
 * The customer whose alert channel `channel` is, when it is one customer's: `/hivewire sla` typed there
 * lists that customer's cases. (Elsewhere, every customer's.)
 */
export function customerOfChannel(deps: Pick<Deps, 'config'>, channel: string): string | undefined {
  const owners = Object.entries(deps.config.file.customers)
    .filter(([, settings]) => settings.channel === channel)
    .map(([customer]) => customer);
  return owners.length === 1 ? owners[0] : undefined;
}

/**
 * The running clocks closest to or past their limits, most urgent first, for `/hivewire sla`;
 * `customer` narrows it to one customer's cases.
 */
export async function slaStandings(
  deps: Pick<Deps, 'store' | 'config' | 'now'>,
  customer?: string,
): Promise<SlaStanding[]> {
  if (!deps.config.file.sla) return [];
  const nowMs = deps.now().getTime();
  const standings: SlaStanding[] = [];
  for (const alert of await deps.store.listFollowedCases()) {
    if (customer !== undefined && alert.finding.customer !== customer) continue;
    const policy = slaPolicyFor(deps.config.file, alert.finding.customer, alert.severity);
    if (!policy) continue;
    for (const reading of readSlaClocks(alert, policy, nowMs))
      if (reading.running) standings.push({ alert, reading });
  }
  return standings.sort((a, b) => slaShare(b.reading) - slaShare(a.reading)).slice(0, SLA_LIST_MAX);
}
