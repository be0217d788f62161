/**
 * What changed in a case between two known states: the facts a thread reply states, one entry per
 * field (TheHive's webhook names only new values, so "before" comes from the store).
 */
import type { CaseChange, CaseSnapshot } from '../domain/alert';

/** The changes from `before` (undefined: nothing known yet) to `after`, in the order replies show them. */
export function diffCase(before: CaseSnapshot | undefined, after: CaseSnapshot, actor: string): CaseChange[] {
  if (after.gone) return before?.gone === after.gone ? [] : [{ field: 'gone', to: after.gone, actor }];
  const changes: CaseChange[] = [];
  if (before?.status !== after.status)
    changes.push({
      field: 'status',
      from: before?.status,
      to: after.status,
      stage: after.stage,
      summary: after.summary,
      actor,
    });
  if ((before?.assignee ?? undefined) !== (after.assignee ?? undefined))
    changes.push({ field: 'assignee', from: before?.assignee, to: after.assignee, actor });
  for (const field of ['severity', 'tlp', 'pap'] as const) {
    if (before && before[field] !== after[field] && after[field] !== undefined)
      changes.push({ field, from: before[field], to: after[field], actor });
  }
  if (before && after.title !== undefined && before.title !== after.title)
    changes.push({ field: 'title', from: before.title, to: after.title, actor });
  if (before && after.tags) {
    const previous = new Set(before.tags ?? []);
    const next = new Set(after.tags);
    const added = [...next].filter((tag) => !previous.has(tag));
    const removed = [...previous].filter((tag) => !next.has(tag));
    if (added.length || removed.length) changes.push({ field: 'tags', added, removed, actor });
  }
  return changes;
}

/** What Hivewire keeps of a case as TheHive describes it (a created case, a webhook's object, a query result). */
export function snapshotOfCase(theCase: {
  status: string;
  stage: string;
  severity?: number;
  assignee?: string | null;
  title?: string;
  tags?: string[];
  tlp?: number;
  pap?: number;
  summary?: string | null;
  impactStatus?: string | null;
}): CaseSnapshot {
  return {
    status: theCase.status,
    stage: theCase.stage,
    severity: theCase.severity,
    assignee: theCase.assignee ?? undefined,
    title: theCase.title,
    tags: theCase.tags,
    tlp: theCase.tlp,
    pap: theCase.pap,
    summary: theCase.summary ?? undefined,
    impactStatus: theCase.impactStatus ?? undefined,
  };
}
