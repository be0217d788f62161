import { diffCase } from '../../src/cases/case-change';
import type { CaseSnapshot } from '../../src/domain/alert';

const BEFORE: CaseSnapshot = {
  status: 'New',
  stage: 'New',
  severity: 2,
  title: 'Tor access',
  tags: ['hivewire', 'guardduty'],
  tlp: 2,
  pap: 2,
};
const ACTOR = 'analyst@example.com';

describe('diffCase', () => {
  test('the same state: no change', () => {
    expect(diffCase(BEFORE, { ...BEFORE, tags: ['guardduty', 'hivewire'] }, ACTOR)).toEqual([]);
  });

  test('nothing known before: the status only (the first state is not a list of changes)', () => {
    expect(diffCase(undefined, BEFORE, ACTOR)).toEqual([
      { field: 'status', from: undefined, to: 'New', stage: 'New', summary: undefined, actor: ACTOR },
    ]);
  });

  test('a status change carries the stage', () => {
    expect(diffCase(BEFORE, { ...BEFORE, status: 'InProgress', stage: 'InProgress' }, ACTOR)).toEqual([
      {
        field: 'status',
        from: 'New',
        to: 'InProgress',
        stage: 'InProgress',
        summary: undefined,
        actor: ACTOR,
      },
    ]);
  });

  test('closing carries the resolution and the summary', () => {
    const after = { ...BEFORE, status: 'TruePositive', stage: 'Closed', summary: 'Key rotated' };
    expect(diffCase(BEFORE, after, ACTOR)).toEqual([
      {
        field: 'status',
        from: 'New',
        to: 'TruePositive',
        stage: 'Closed',
        summary: 'Key rotated',
        actor: ACTOR,
      },
    ]);
  });

  test('assignee set, changed and removed', () => {
    expect(diffCase(BEFORE, { ...BEFORE, assignee: 'alice@example.com' }, ACTOR)).toEqual([
      { field: 'assignee', from: undefined, to: 'alice@example.com', actor: ACTOR },
    ]);
    const assigned = { ...BEFORE, assignee: 'alice@example.com' };
    expect(diffCase(assigned, { ...BEFORE, assignee: 'bob@example.com' }, ACTOR)).toEqual([
      { field: 'assignee', from: 'alice@example.com', to: 'bob@example.com', actor: ACTOR },
    ]);
    expect(diffCase(assigned, BEFORE, ACTOR)).toEqual([
      { field: 'assignee', from: 'alice@example.com', to: undefined, actor: ACTOR },
    ]);
  });

  test('severity, TLP and PAP in that order; a level the new state leaves out is no change', () => {
    expect(diffCase(BEFORE, { ...BEFORE, pap: 1, severity: 3, tlp: 3 }, ACTOR)).toEqual([
      { field: 'severity', from: 2, to: 3, actor: ACTOR },
      { field: 'tlp', from: 2, to: 3, actor: ACTOR },
      { field: 'pap', from: 2, to: 1, actor: ACTOR },
    ]);
    expect(diffCase(BEFORE, { ...BEFORE, severity: undefined }, ACTOR)).toEqual([]);
  });

  test('title changed; a title the new state leaves out is no change', () => {
    expect(diffCase(BEFORE, { ...BEFORE, title: 'Confirmed' }, ACTOR)).toEqual([
      { field: 'title', from: 'Tor access', to: 'Confirmed', actor: ACTOR },
    ]);
    expect(diffCase(BEFORE, { ...BEFORE, title: undefined }, ACTOR)).toEqual([]);
  });

  test('tags added and removed in one change', () => {
    expect(diffCase(BEFORE, { ...BEFORE, tags: ['hivewire', 'tor', 'confirmed'] }, ACTOR)).toEqual([
      { field: 'tags', added: ['tor', 'confirmed'], removed: ['guardduty'], actor: ACTOR },
    ]);
    expect(diffCase({ ...BEFORE, tags: undefined }, { ...BEFORE, tags: ['tor'] }, ACTOR)).toEqual([
      { field: 'tags', added: ['tor'], removed: [], actor: ACTOR },
    ]);
  });

  test('several fields: status, assignee, levels, title, tags in that order', () => {
    const after: CaseSnapshot = {
      status: 'InProgress',
      stage: 'InProgress',
      assignee: 'alice@example.com',
      severity: 4,
      title: 'Confirmed',
      tags: ['hivewire'],
      tlp: 2,
      pap: 2,
    };
    expect(diffCase(BEFORE, after, ACTOR).map((change) => change.field)).toEqual([
      'status',
      'assignee',
      'severity',
      'title',
      'tags',
    ]);
  });

  test('deleted or merged: one change, whatever else differs; the same news again: none', () => {
    expect(diffCase(BEFORE, { ...BEFORE, status: 'Other', gone: 'deleted' }, ACTOR)).toEqual([
      { field: 'gone', to: 'deleted', actor: ACTOR },
    ]);
    expect(diffCase(undefined, { status: 'Unknown', stage: 'Closed', gone: 'merged' }, ACTOR)).toEqual([
      { field: 'gone', to: 'merged', actor: ACTOR },
    ]);
    const deleted = { ...BEFORE, gone: 'deleted' as const };
    expect(diffCase(deleted, deleted, ACTOR)).toEqual([]);
  });
});
