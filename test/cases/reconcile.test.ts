/** Reconcile: changes whose webhook was dropped reach the thread through TheHive's query API. */
import nock from 'nock';
import { reconcile, RECONCILE_CURSOR } from '../../src/cases/reconcile';
import {
  ALERT_TS,
  CASE_ID,
  outputCase,
  startSyncHarness,
  THEHIVE_URL,
  type SyncHarness,
} from '../helpers/sync';

let h: SyncHarness;
let queries: unknown[];
let answer: unknown[];
const FIRST_SYNC = Date.parse('2026-11-25T11:00:00.000Z');
const SECOND_SYNC = Date.parse('2026-11-25T11:05:00.000Z');

beforeEach(async () => {
  h = await startSyncHarness();
  queries = [];
  answer = [];
  nock(THEHIVE_URL)
    .persist()
    .post('/api/v1/query')
    .query(true)
    .reply(200, (_uri, body) => {
      // Each followed case's comments are listed too (none here: test/cases/conversation.test.ts has them).
      if (JSON.stringify(body).includes('"_name":"comments"')) return [];
      queries.push(body);
      return answer;
    });
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

function at(ms: number): void {
  h.runtime.deps.now = () => new Date(ms);
}

test('a change whose webhook was dropped appears in the thread; a second reconcile posts nothing', async () => {
  await h.seedAlert();
  answer = [
    outputCase({
      status: 'InProgress',
      stage: 'InProgress',
      _updatedAt: 1795583000000,
      _updatedBy: 'alice@example.com',
    }),
  ];

  at(FIRST_SYNC);
  expect(await reconcile(h.runtime.deps)).toEqual({ followed: 1, changed: 1, applied: 1, comments: 0 });

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(h.slackCalls[0]!.args).toMatchObject({
    channel: 'C0SECOPS',
    thread_ts: ALERT_TS,
    text: 'Case #42: 🔄 Status `New` → `InProgress` by `alice@example.com`',
  });
  expect(await h.runtime.deps.store.getSetting<number>(RECONCILE_CURSOR)).toBe(FIRST_SYNC);
  expect(queries[0]).toEqual({
    query: [
      { _name: 'listCase' },
      {
        _name: 'filter',
        _and: [{ _gt: { _field: '_updatedAt', _value: 0 } }, { _in: { _field: '_id', _values: [CASE_ID] } }],
      },
      { _name: 'sort', _fields: [{ _updatedAt: 'asc' }] },
      { _name: 'page', from: 0, to: 100 },
    ],
  });

  at(SECOND_SYNC);
  expect(await reconcile(h.runtime.deps)).toEqual({ followed: 1, changed: 1, applied: 0, comments: 0 });

  expect(h.slackCalls.map((call) => call.method)).toEqual(['chat.postMessage', 'chat.update']);
  expect(await h.runtime.deps.store.getSetting<number>(RECONCILE_CURSOR)).toBe(SECOND_SYNC);
  // The next query overlaps the previous sync by five minutes (clock skew between the two systems).
  expect(
    (queries[1] as { query: { _and?: { _gt?: { _value: number } }[] }[] }).query[1]!._and![0]!._gt!._value,
  ).toBe(FIRST_SYNC - 5 * 60 * 1000);
});

test('a change already delivered by webhook is not posted again by reconcile', async () => {
  await h.seedAlert();
  const changed = outputCase({ severity: 3, _updatedAt: 1795583000000 });
  const response = await h.webhook({
    _id: '~9100',
    _type: 'Audit',
    _createdAt: 1795583000000,
    _createdBy: 'analyst@example.com',
    action: 'update',
    objectType: 'Case',
    objectId: CASE_ID,
    rootId: CASE_ID,
    requestId: 'req-9100',
    details: { severity: 3 },
    object: changed,
    organisation: { organisationId: '~4096', organisation: 'SOC' },
  });
  expect(response.status).toBe(202);
  await h.drain();
  answer = [changed];

  at(FIRST_SYNC);
  expect(await reconcile(h.runtime.deps)).toEqual({ followed: 1, changed: 1, applied: 0, comments: 0 });
  expect(h.slackCalls.filter((call) => call.method === 'chat.postMessage')).toHaveLength(1);
});

test('no followed case: TheHive is not asked, the cursor still advances', async () => {
  at(FIRST_SYNC);
  expect(await reconcile(h.runtime.deps)).toEqual({ followed: 0, changed: 0, applied: 0, comments: 0 });

  expect(queries).toEqual([]);
  expect(await h.runtime.deps.store.getSetting<number>(RECONCILE_CURSOR)).toBe(FIRST_SYNC);
});

test('a closed case is no longer followed', async () => {
  await h.seedAlert({ case: { status: 'TruePositive', stage: 'Closed' } });
  at(FIRST_SYNC);
  expect(await reconcile(h.runtime.deps)).toEqual({ followed: 0, changed: 0, applied: 0, comments: 0 });
  expect(queries).toEqual([]);
});
