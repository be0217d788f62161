/**
 * Reconcile: TheHive does not retry a failed webhook delivery, so a scheduled sync asks TheHive for the
 * followed cases changed since the last sync and applies them through the same idempotent path, and
 * threads the comments of followed cases that no webhook brought.
 */
import type { WorkerDeps } from '../deps';
import { reconcileComments } from './conversation';
import { applyCaseState } from './sync';

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
  const cases = await deps.theHive.cases.listChangedSince(Math.max(0, since - OVERLAP_MS), caseIds);
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
  deps.logger.info('reconciled followed cases', {
    followed: caseIds.length,
    changed: cases.length,
    applied,
    comments,
  });
  return { followed: caseIds.length, changed: cases.length, applied, comments };
}
