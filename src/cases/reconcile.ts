/**
 * Reconcile: TheHive does not retry a failed webhook delivery, so a scheduled sync asks TheHive for the
 * followed cases changed since the last sync and applies them through the same idempotent path, and
 * threads the comments of followed cases that no webhook brought. Each customer's cases are asked of
 * its own TheHive organisation, with its own key.
 */
import type { TheHiveClient } from '../../clients/thehive/client';
import type { WorkerDeps } from '../wiring/deps';
import { theHiveFor } from '../enrich/tenancy';
import type { AlertRecord } from '../domain/alert';
import { reconcileComments } from './conversation';
import { applyCaseState } from './sync';
import { watchSla } from './sla';

/** The store setting holding the last sync time (epoch ms). */
export const RECONCILE_CURSOR = 'reconcileCursor';
/** Overlap with the previous sync, for clock skew between Hivewire and TheHive: re-applying is harmless. */
const OVERLAP_MS = 5 * 60 * 1000;

export interface ReconcileResult {
  followed: number;
  changed: number;
  applied: number;
  /** Comments threaded that no webhook had brought. */
  comments: number;
}

/** The followed case ids, grouped by the client (organisation and key) of their customer. */
function casesByOrganisation(followed: AlertRecord[], deps: WorkerDeps): Map<TheHiveClient, string[]> {
  const groups = new Map<TheHiveClient, string[]>();
  for (const alert of followed) {
    if (!alert.caseId) continue;
    const theHive = theHiveFor(deps, alert.finding.customer);
    groups.set(theHive, [...(groups.get(theHive) ?? []), alert.caseId]);
  }
  return groups;
}

/** Applies what the webhooks missed. */
export async function reconcile(deps: WorkerDeps): Promise<ReconcileResult> {
  const startedAt = deps.now().getTime();
  const followed = await deps.store.listFollowedCases();
  const caseIds = followed.map((alert) => alert.caseId).filter((id): id is string => Boolean(id));
  if (caseIds.length === 0) {
    await deps.store.putSetting(RECONCILE_CURSOR, startedAt);
    return { followed: 0, changed: 0, applied: 0, comments: 0 };
  }
  const since = (await deps.store.getSetting<number>(RECONCILE_CURSOR)) ?? 0;
  const cases = [];
  for (const [theHive, ids] of casesByOrganisation(followed, deps))
    cases.push(...(await theHive.cases.listChangedSince(Math.max(0, since - OVERLAP_MS), ids)));
  let applied = 0;
  for (const theCase of cases) {
    const outcome = await applyCaseState(
      {
        caseId: theCase._id,
        theCase,
        updatedAt: theCase._updatedAt ?? theCase._createdAt ?? 0,
        actor: theCase._updatedBy ?? 'TheHive',
        via: 'reconcile',
      },
      deps,
    );
    if (outcome === 'applied') applied += 1;
  }
  // Comments no webhook brought: each followed case's comments, copied once through the same path.
  let comments = 0;
  for (const alert of followed) comments += await reconcileComments(alert, deps);
  await deps.store.putSetting(RECONCILE_CURSOR, startedAt);
  // After the query's changes are applied, so a case acknowledged meanwhile is not chased.
  const slaAnnouncements = await watchSla(deps);
  deps.logger.info('reconciled followed cases', {
    followed: caseIds.length,
    changed: cases.length,
    applied,
    comments,
    slaAnnouncements,
  });
  return { followed: caseIds.length, changed: cases.length, applied, comments };
}
