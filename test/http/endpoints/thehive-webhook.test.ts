/** `POST /thehive/webhook` on the local server: authentication, unreadable bodies, what is queued. */
import nock from 'nock';
import { caseEvent, startSyncHarness, WEBHOOK_SECRET, type SyncHarness } from '../../helpers/sync';

let h: SyncHarness;
let enqueue: jest.SpyInstance;

beforeEach(async () => {
  h = await startSyncHarness();
  await h.seedAlert();
  enqueue = jest.spyOn(h.runtime.queue, 'enqueue');
});
afterEach(async () => {
  await h.close();
  nock.cleanAll();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const STATUS_CHANGE = caseEvent({ details: { status: 'InProgress', stage: 'InProgress' } });

test('the Bearer secret is accepted: 202 and one case-changed job', async () => {
  const response = await h.webhook(STATUS_CHANGE, `Bearer ${WEBHOOK_SECRET}`);

  expect(response).toEqual({ status: 202, body: '{"queued":true}' });
  expect(enqueue.mock.calls.map(([job]) => (job as { kind: string }).kind)).toEqual(['case-changed']);
  // The change as read here (typed), not the delivery as received: the worker does not parse it again.
  expect(enqueue.mock.calls[0]![0]).toEqual({
    kind: 'case-changed',
    change: {
      kind: 'case',
      action: 'update',
      theCase: STATUS_CHANGE.object,
      actor: 'analyst@example.com',
      notificationId: STATUS_CHANGE._id,
      organisation: 'SOC',
    },
    receivedAt: expect.any(String),
  });
});

test('the secret sent raw (TheHive "key" authentication) is accepted', async () => {
  const response = await h.webhook(STATUS_CHANGE, WEBHOOK_SECRET);

  expect(response.status).toBe(202);
  expect(enqueue).toHaveBeenCalledTimes(1);
});

test.each([
  ['missing', null],
  ['a wrong Bearer secret', 'Bearer not-the-secret'],
  ['a wrong raw key', 'not-the-secret'],
  ['Basic credentials', `Basic ${Buffer.from(`thehive:${WEBHOOK_SECRET}`).toString('base64')}`],
  ['an empty Bearer', 'Bearer '],
])('authorization %s: 401 with no detail, nothing queued or kept', async (_name, authorization) => {
  const response = await h.webhook(STATUS_CHANGE, authorization);

  expect(response).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
  expect(enqueue).not.toHaveBeenCalled();
  expect(await h.runtime.deps.store.listDeadLetters(10)).toEqual([]);
  await h.drain();
  expect(h.slackCalls).toEqual([]);
});

test('a body that is not JSON: 400 and a dead letter with the body', async () => {
  const response = await h.webhook('{"action": "update", ', `Bearer ${WEBHOOK_SECRET}`);

  // The parser's own words follow (they differ between Node versions).
  const error = expect.stringMatching(/^body: not JSON \(.+\)$/);
  expect(response.status).toBe(400);
  expect(JSON.parse(response.body)).toEqual({ error });
  expect(enqueue).not.toHaveBeenCalled();
  const letters = await h.runtime.deps.store.listDeadLetters(10);
  expect(letters.map(({ kind, error, payload }) => ({ kind, error, payload }))).toEqual([
    { kind: 'rejected-webhook', error, payload: '{"action": "update", ' },
  ]);
});

test('a JSON body that is not a notification: 400 naming the field, and a dead letter', async () => {
  const body = { action: 'update', objectType: 'Case' };
  const response = await h.webhook(body);

  expect(response).toEqual({
    status: 400,
    body: JSON.stringify({ error: 'objectId: Invalid input: expected string, received undefined' }),
  });
  expect(enqueue).not.toHaveBeenCalled();
  const letters = await h.runtime.deps.store.listDeadLetters(10);
  expect(letters.map(({ kind, payload }) => ({ kind, payload }))).toEqual([
    { kind: 'rejected-webhook', payload: body },
  ]);
});

test.each([
  ['a Task', caseEvent({ objectType: 'Task', objectId: '~555', object: { _id: '~555' } }), 'objectType Task'],
  [
    'a derived event',
    caseEvent({ details: { status: 'InProgress' }, extra: { mainAction: false } }),
    'derived event (mainAction false)',
  ],
  [
    'a TheHive 4 body',
    { operation: 'Update', objectType: 'case', objectId: '~1', object: {} },
    'TheHive 4 (endpoint version 0) notifications are not supported',
  ],
])('%s is acknowledged with 200 and not queued', async (_name, body, reason) => {
  const response = await h.webhook(body);

  expect(response).toEqual({ status: 200, body: JSON.stringify({ ignored: reason }) });
  expect(enqueue).not.toHaveBeenCalled();
});
