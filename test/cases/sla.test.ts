/**
 * SLA watch: with a fake clock, reconcile runs announce the warning, the breach and the leads' call
 * once each in the alert's thread (also when two runs overlap, and after a restart), and the thread
 * hears once that a clock stopped when the case moved on.
 */
import nock from 'nock';
import { describeEvent } from '../../src/cli/audit';
import { parseConfigFile } from '../../src/config/config-file';
import { reconcile } from '../../src/cases/reconcile';
import { createLocalRuntime } from '../../src/local/runtime';
import { SlackDelivery } from '../../src/slack/delivery';
import { WebClient } from '@slack/web-api';
import {
  ALERT_TS,
  caseEvent,
  NEW_CASE,
  outputCase,
  startSyncHarness,
  THEHIVE_URL,
  type SyncHarness,
} from '../helpers/sync';
import { chatRegistry } from '../../src/wiring/chats';

const CONFIG = `
slack: { onCall: S0ONCALL }
sla:
  warnAt: 0.5
  leads: S0LEADS
  leadsAfterMinutes: 30
  severities:
    HIGH: { acknowledgeMinutes: 30, resolveMinutes: 240 }
  customers:
    acme: { severities: { HIGH: { acknowledgeMinutes: 20 } } }
`;
const CREATED = Date.parse('2026-11-25T10:00:00.000Z');
const minutes = (n: number) => CREATED + n * 60_000;

let h: SyncHarness;
let answer: unknown[];

beforeEach(async () => {
  h = await startSyncHarness();
  h.config.file = parseConfigFile(CONFIG);
  h.slackUsers['alice@example.com'] = 'U0ALICE';
  answer = [];
  nock(THEHIVE_URL)
    .persist()
    .post('/api/v1/query')
    .query(true)
    .reply(200, () => answer);
});
afterEach(async () => {
  await h.close();
  nock.cleanAll();
});

function at(ms: number): void {
  h.runtime.deps.now = () => new Date(ms);
}

/** The thread replies posted so far (texts). */
function replies(): string[] {
  return h.slackCalls
    .filter((call) => call.method === 'chat.postMessage' && call.args.thread_ts === ALERT_TS)
    .map((call) => String(call.args.text));
}

/** The root alert's status line as last re-rendered. */
function lastStatusLine(): string {
  const update = h.slackCalls.filter((call) => call.method === 'chat.update').at(-1);
  const blocks = (update?.args.blocks ?? []) as { type: string; text?: { text: string } }[];
  return blocks[1]?.text?.text ?? '';
}

async function seedCase(overrides: Parameters<SyncHarness['seedAlert']>[0] = {}) {
  return h.seedAlert({
    caseCreatedAt: CREATED,
    caseUpdatedAt: CREATED,
    case: { ...NEW_CASE, assignee: 'alice@example.com' },
    ...overrides,
  });
}

test('Slack failing the assignee look-up: the warning still goes out, to on-call, and the run goes on', async () => {
  await seedCase();
  h.slackAnswers['users.lookupByEmail'] = [{ status: 500, body: { ok: false, error: 'internal_error' } }];

  at(minutes(10));
  await reconcile(h.runtime.deps);

  expect(replies()).toEqual([
    '⏳ *Case #42* has waited 10 min in `New`: its time to acknowledge (20 min) is close. Calling on <!subteam^S0ONCALL>.',
  ]);
});

/** Two reconcile runs at once at `ms` (the schedule firing while the previous run is still going). */
async function overlappingRuns(ms: number): Promise<void> {
  at(ms);
  await Promise.all([reconcile(h.runtime.deps), reconcile(h.runtime.deps)]);
}

test('warning, breach and the leads are each announced once, also when two runs overlap', async () => {
  const alert = await seedCase();

  await overlappingRuns(minutes(9));
  expect(replies()).toEqual([]);

  await overlappingRuns(minutes(10));
  expect(replies()).toEqual([
    '⏳ *Case #42* has waited 10 min in `New`: its time to acknowledge (20 min) is close. Calling on <@U0ALICE>.',
  ]);
  await overlappingRuns(minutes(15));
  expect(replies()).toHaveLength(1);

  await overlappingRuns(minutes(21));
  expect(replies().slice(1)).toEqual([
    '🚨 *Case #42* has waited 21 min in `New`: past its time to acknowledge (20 min). Calling on <!subteam^S0ONCALL>.',
  ]);
  expect(lastStatusLine()).toContain('· 🚨 past its time to acknowledge (20 min)');

  await overlappingRuns(minutes(50));
  expect(replies().slice(2)).toEqual([
    '🚨 *Case #42* has waited 50 min in `New`: 30 min past its time to acknowledge (20 min). Calling on <!subteam^S0LEADS>.',
  ]);
  await overlappingRuns(minutes(70));
  expect(replies()).toHaveLength(3);

  const audit = await h.runtime.deps.store.listAudit(alert.fingerprint);
  expect(
    audit.filter((event) => event.action.startsWith('sla-')).map((event) => describeEvent(event, h.config)),
  ).toEqual([
    'SLA warning: time to acknowledge, 10 of 20 min, calling on user U0ALICE',
    'SLA breach: time to acknowledge, 21 of 20 min, calling on group S0ONCALL',
    'SLA leads: time to acknowledge, 50 of 20 min, calling on group S0LEADS',
  ]);
  expect(audit.filter((event) => event.action.startsWith('sla-'))).toEqual([
    expect.objectContaining({
      action: 'sla-warning',
      actor: { kind: 'system' },
      details: {
        clock: 'acknowledge',
        tier: 'warning',
        waitedMinutes: 10,
        limitMinutes: 20,
        calledOn: { user: 'U0ALICE' },
      },
    }),
    expect.objectContaining({
      action: 'sla-breach',
      details: expect.objectContaining({ tier: 'breach', calledOn: { group: 'S0ONCALL' } }),
    }),
    expect.objectContaining({
      action: 'sla-escalated',
      details: expect.objectContaining({ tier: 'leads', calledOn: { group: 'S0LEADS' } }),
    }),
  ]);
});

test('a restarted process (nothing in memory) announces nothing twice and carries on', async () => {
  await seedCase();
  await overlappingRuns(minutes(10));
  expect(replies()).toHaveLength(1);

  // A new process on the same store: its own runtime, clients and clock.
  const restarted = await createLocalRuntime(h.config, {
    store: h.runtime.deps.store,
    slackPostIntervalMs: 0,
    now: () => new Date(minutes(12)),
  });
  restarted.deps.slack = new SlackDelivery(new WebClient('xoxb-test', { retryConfig: { retries: 0 } }), 0);
  restarted.deps.chats = chatRegistry(h.config, restarted.deps.slack, restarted.deps.users);
  try {
    await reconcile(restarted.deps);
    expect(replies()).toHaveLength(1);
    restarted.deps.now = () => new Date(minutes(20));
    await reconcile(restarted.deps);
    expect(replies()[1]).toMatch(/^🚨 \*Case #42\* has waited 20 min in `New`: past its time to acknowledge/);
  } finally {
    await restarted.close();
  }
});

test('a case that moves on stops its clock: the thread says so once, and it is not chased again', async () => {
  const alert = await seedCase();
  await overlappingRuns(minutes(21));
  // Found past its limit at the first look: the breach is announced, the warning is not.
  expect(replies()).toEqual([expect.stringMatching(/^🚨 \*Case #42\* has waited 21 min/)]);

  at(minutes(25));
  await h.webhook(
    caseEvent({
      details: { status: 'InProgress', stage: 'InProgress' },
      object: outputCase({
        status: 'InProgress',
        stage: 'InProgress',
        assignee: 'alice@example.com',
        _createdAt: CREATED,
        _updatedAt: minutes(25),
      }),
      at: minutes(25),
    }),
  );
  await h.drain();
  expect(replies().slice(1)).toEqual([
    'Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`',
    '✅ *Case #42* was acknowledged after 25 min: its time to acknowledge no longer counts.',
  ]);
  expect(lastStatusLine()).not.toContain('past its');

  // The acknowledge clock is done; the resolve clock (240 min) warns at half its limit, once.
  for (const m of [30, 60, 119]) await overlappingRuns(minutes(m));
  expect(replies()).toHaveLength(3);
  await overlappingRuns(minutes(120));
  await overlappingRuns(minutes(121));
  expect(replies().slice(3)).toEqual([
    '⏳ *Case #42* has been open 2 h: its time to resolve (4 h) is close. Calling on <@U0ALICE>.',
  ]);

  at(minutes(130));
  await h.webhook(
    caseEvent({
      details: { status: 'TruePositive', stage: 'Closed' },
      object: outputCase({
        status: 'TruePositive',
        stage: 'Closed',
        assignee: 'alice@example.com',
        _createdAt: CREATED,
        _updatedAt: minutes(130),
      }),
      at: minutes(130),
    }),
  );
  await h.drain();
  expect(replies().slice(4)).toEqual([
    'Case #42: ✅ Closed as `TruePositive` by `analyst@example.com`',
    '✅ *Case #42* was closed after 2 h 10 min: its time to resolve no longer counts.',
  ]);
  for (const m of [300, 600]) await overlappingRuns(minutes(m));
  expect(replies()).toHaveLength(6);
  const actions = (await h.runtime.deps.store.listAudit(alert.fingerprint)).map((event) => event.action);
  expect(actions.filter((action) => action.startsWith('sla-'))).toEqual([
    'sla-breach',
    'sla-stopped',
    'sla-warning',
    'sla-stopped',
  ]);
});

test('alerts without a case, ignored alerts and closed cases are never chased', async () => {
  await seedCase({ case: { status: 'TruePositive', stage: 'Closed' } });
  await h.seedAlert({ fingerprint: 'gd-open', state: 'open', caseId: undefined, case: undefined });
  await h.seedAlert({ fingerprint: 'gd-ignored', state: 'ignored', caseId: undefined, case: undefined });
  await overlappingRuns(minutes(600));
  expect(replies()).toEqual([]);
});

test('a severity with no limit configured is not watched', async () => {
  await seedCase({ severity: 'MEDIUM' });
  await overlappingRuns(minutes(600));
  expect(replies()).toEqual([]);
});
