import { parseNotification } from '../../src/cases/notification';
import { caseEvent, CASE_ID, outputCase } from '../helpers/sync';

describe('parseNotification', () => {
  test('a case update: the case after the change and the actor who made it', () => {
    const body = caseEvent({
      id: '~9001',
      details: { status: 'InProgress', stage: 'InProgress' },
      actor: 'alice@example.com',
    });
    const parsed = parseNotification(body);

    expect(parsed).toMatchObject({
      kind: 'case',
      action: 'update',
      actor: 'alice@example.com',
      notificationId: '~9001',
    });
    expect(parsed.kind === 'case' && parsed.theCase).toMatchObject({
      _id: CASE_ID,
      number: 42,
      status: 'InProgress',
      stage: 'InProgress',
      severity: 2,
      tags: ['hivewire', 'guardduty'],
    });
  });

  test('a case creation is read like an update', () => {
    expect(parseNotification(caseEvent({ action: 'create' }))).toMatchObject({
      kind: 'case',
      action: 'create',
    });
  });

  test('the actor falls back to the case’s _updatedBy, then to "TheHive"', () => {
    const { _createdBy: _actor, ...withoutActor } = caseEvent({ details: { status: 'InProgress' } });
    expect(parseNotification(withoutActor)).toMatchObject({ actor: 'analyst@example.com' });
    expect(
      parseNotification({ ...withoutActor, object: outputCase({ _updatedBy: undefined }) }),
    ).toMatchObject({ actor: 'TheHive' });
  });

  test('a null assignee and summary are read (TheHive sends null for unset fields)', () => {
    const parsed = parseNotification(caseEvent({ object: outputCase({ assignee: null, summary: null }) }));
    expect(parsed.kind === 'case' && [parsed.theCase.assignee, parsed.theCase.summary]).toEqual([null, null]);
  });

  test.each([
    ['delete', 'delete'],
    ['merge', 'merge'],
  ])('action %s: the case is gone, when and by whom', (action) => {
    expect(parseNotification(caseEvent({ id: '~9002', action, object: {}, at: 1795583000000 }))).toEqual({
      kind: 'case-gone',
      action,
      caseId: CASE_ID,
      actor: 'analyst@example.com',
      at: 1795583000000,
      notificationId: '~9002',
      organisation: 'SOC',
    });
  });

  test('the organisation is read by name, from version 1 ({organisation, organisationId}) or a bare name', () => {
    const v1 = parseNotification(caseEvent({}));
    const bare = parseNotification(caseEvent({ extra: { organisation: 'acme' } }));
    expect([v1.kind === 'case' && v1.organisation, bare.kind === 'case' && bare.organisation]).toEqual([
      'SOC',
      'acme',
    ]);
  });

  test.each([
    ['Task', caseEvent({ objectType: 'Task' }), 'objectType Task'],
    ['case_task (lower case names)', caseEvent({ objectType: 'case_task' }), 'objectType case_task'],
    ['Observable', caseEvent({ objectType: 'Observable' }), 'objectType Observable'],
    ['Alert', caseEvent({ objectType: 'Alert' }), 'objectType Alert'],
    ['mainAction false', caseEvent({ extra: { mainAction: false } }), 'derived event (mainAction false)'],
    ['an unknown action', caseEvent({ action: 'restore' }), 'action restore'],
    [
      'a TheHive 4 (v0) body',
      { operation: 'Update', objectType: 'case', objectId: '~1', object: {} },
      'TheHive 4 (endpoint version 0) notifications are not supported',
    ],
  ])('%s is ignored with the reason', (_name, body, reason) => {
    expect(parseNotification(body)).toEqual({ kind: 'ignored', reason });
  });

  const comment = {
    _id: '~8200',
    _type: 'Comment',
    createdBy: 'alice@example.com',
    createdAt: 1795583100000,
    message: 'Contained',
    isEdited: false,
    extraData: {},
    external: false,
  };

  test('a comment created on a case: the case (rootId), the comment and the organisation it comes from', () => {
    const body = caseEvent({
      action: 'create',
      objectType: 'Comment',
      objectId: '~8200',
      object: comment,
      extra: { rootId: CASE_ID },
    });
    expect(parseNotification(body)).toEqual({
      kind: 'comment',
      caseId: CASE_ID,
      comment,
      organisation: 'SOC',
    });
  });

  test.each([
    ['edited', 'update', 'Comment update'],
    ['deleted', 'delete', 'Comment delete'],
  ])('a comment %s is ignored', (_name, action, reason) => {
    const body = caseEvent({
      action,
      objectType: 'Comment',
      objectId: '~8200',
      object: comment,
      extra: { rootId: CASE_ID },
    });
    expect(parseNotification(body)).toEqual({ kind: 'ignored', reason });
  });

  test('a comment whose object is not a comment is refused, naming the field', () => {
    const body = caseEvent({
      action: 'create',
      objectType: 'Comment',
      objectId: '~8200',
      object: { ...comment, createdBy: undefined },
      extra: { rootId: CASE_ID },
    });
    expect(parseNotification(body)).toEqual({
      kind: 'invalid',
      error: 'object.createdBy: Invalid input: expected string, received undefined',
    });
  });

  test('an objectType in lower case ("case") is still a case', () => {
    expect(parseNotification(caseEvent({ objectType: 'case' }))).toMatchObject({ kind: 'case' });
  });

  test.each([
    ['not an object', 'hello', 'body: Invalid input: expected object, received string'],
    ['null', null, 'body: Invalid input: expected object, received null'],
    [
      'no action',
      { ...caseEvent({}), action: undefined },
      'action: Invalid input: expected string, received undefined',
    ],
    [
      'an empty objectType',
      caseEvent({ objectType: '' }),
      'objectType: Too small: expected string to have >=1 characters',
    ],
    [
      'no objectId',
      { ...caseEvent({}), objectId: undefined },
      'objectId: Invalid input: expected string, received undefined',
    ],
    [
      'details not an object',
      { ...caseEvent({}), details: 'status' },
      'details: Invalid input: expected record, received string',
    ],
    [
      'a case without a number',
      caseEvent({ object: outputCase({ number: undefined }) }),
      'object.number: Invalid input: expected number, received undefined',
    ],
    [
      'a case with a text status',
      caseEvent({ object: outputCase({ status: 3 }) }),
      'object.status: Invalid input: expected string, received number',
    ],
    [
      'a case with no object',
      { ...caseEvent({}), object: undefined },
      'object: Invalid input: expected object, received undefined',
    ],
  ])('%s is invalid, naming the field', (_name, body, error) => {
    expect(parseNotification(body)).toEqual({ kind: 'invalid', error });
  });
});
