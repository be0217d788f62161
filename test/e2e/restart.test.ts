/**
 * The product survives a restart mid-flow: a finding is ingested and escalated ("Create Case"), the
 * server is stopped (SIGTERM, and SIGKILL right after the click) and started again on the same data dir.
 *
 * "Intact" means: the alert record is still there with its Slack message; every case the store names
 * exists in the TheHive stand-in and no alert has two cases; the Slack thread holds at most one "case
 * opened" reply; and the flow continues from where it stood (a TheHive status change threads back).
 */
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { loadSamples } from '../../src/sandbox/samples';
import type { OpenedStore } from '../../src/store/embedded';
import type { AlertRecord } from '../../src/domain/alert';
import { eventually } from '../helpers/eventually';
import { ServerRuns, temporaryDataDir, type SandboxServer } from '../helpers/sandbox-server';

// Two starts of the product each (each loads its TypeScript) and paced Slack posts: a minute, several
// on a loaded machine.
jest.setTimeout(300_000);

const USER = 'U0ALICE';
/** Bounds each wait below: a post, a click's case or a webhook, through a child process on a loaded machine. */
const WAIT_MS = 60_000;

interface ConsoleMessage {
  ts: string;
  text?: string;
  blocks?: { block_id: string; elements?: { action_id?: string }[] }[];
  replies: { ts: string; text?: string }[];
}
interface ConsoleState {
  alertChannel: string;
  messages: Record<string, ConsoleMessage[]>;
  cases: { _id: string; number: number; title: string; status: string }[];
}

const runs = new ServerRuns();

afterAll(() => runs.release());

const waitFor = <T>(what: string, probe: () => Promise<T | undefined>) => eventually(what, probe, WAIT_MS);

async function consoleState(server: SandboxServer): Promise<ConsoleState> {
  const response = await fetch(`${server.url}/sandbox/console/state?user=${USER}`);
  return (await response.json()) as ConsoleState;
}

async function consolePost(server: SandboxServer, action: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${server.url}/sandbox/console/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
  return response.json();
}

async function onlyAlert(store: OpenedStore): Promise<AlertRecord> {
  const alerts = await store.store.listAlerts(10);
  expect(alerts.map((a) => a.fingerprint)).toHaveLength(1);
  return alerts[0]!;
}

/** Ingests the first sample finding and waits for its alert message with a Create Case button. */
async function ingestAndWaitForAlert(server: SandboxServer) {
  const sample = loadSamples()[0]!;
  const response = await fetch(`${server.url}/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(sample.event),
  });
  expect(response.status).toBe(202);
  return waitFor('the alert message', async () => {
    const state = await consoleState(server);
    const message = state.messages[state.alertChannel]?.[0];
    const block = message?.blocks?.find((b) =>
      b.elements?.some((e) => e.action_id === 'hivewire.create_case'),
    );
    return message && block ? { channel: state.alertChannel, message, blockId: block.block_id } : undefined;
  });
}

async function clickCreateCase(
  server: SandboxServer,
  alert: Awaited<ReturnType<typeof ingestAndWaitForAlert>>,
) {
  const outcome = await consolePost(server, 'click', {
    channel: alert.channel,
    ts: alert.message.ts,
    actionId: 'hivewire.create_case',
    blockId: alert.blockId,
    userId: USER,
  });
  expect(outcome).toMatchObject({ result: 'ok', status: 200 });
}

/** The invariants of "intact" that hold whatever the moment of the stop. */
async function expectConsistent(server: SandboxServer, alertTs: string) {
  const store = await runs.storeOf(server);
  const record = await onlyAlert(store);
  const state = await consoleState(server);
  const messages = state.messages[state.alertChannel]!;
  expect(messages.map((m) => m.ts)).toEqual([alertTs]);
  expect(record.ts).toBe(alertTs);
  if (record.caseId) expect(state.cases.map((c) => c._id)).toContain(record.caseId);
  const opened = messages[0]!.replies.filter((r) => /opened in TheHive/.test(r.text ?? ''));
  expect(opened.length).toBeLessThanOrEqual(1);
  return { store, record, state };
}

/** Moves the alert's case to InProgress in TheHive and waits for the reply and the record to follow. */
async function expectStatusThreadsBack(server: SandboxServer, store: OpenedStore, caseId: string) {
  await consolePost(server, 'case', { caseId, userId: USER, changes: { status: 'InProgress' } });
  const reply = await waitFor('the InProgress reply', async () => {
    const state = await consoleState(server);
    return state.messages[state.alertChannel]![0]!.replies.find((r) => /InProgress/.test(r.text ?? ''));
  });
  expect(reply.text).toContain('New');
  const record = await waitFor('the record to follow the case', async () => {
    const alert = await onlyAlert(store);
    return alert.case?.status === 'InProgress' ? alert : undefined;
  });
  expect(record.case?.status).toBe('InProgress');
}

describe('a restart mid-flow', () => {
  it('after SIGTERM right after Create Case, the case, thread and record are intact and status changes still thread back', async () => {
    const dataDir = temporaryDataDir();
    const first = await runs.start(dataDir);
    const alert = await ingestAndWaitForAlert(first);
    await clickCreateCase(first, alert);
    expect(await runs.stop(first, 'SIGTERM')).toEqual({ code: 0, signal: null });

    // Graceful: the drained job finished the escalation before the process exited.
    const second = await runs.start(dataDir);
    const { store, record, state } = await expectConsistent(second, alert.message.ts);
    expect(record.state).toBe('escalated');
    expect(record.escalatedBy).toBe(USER);
    expect(state.cases.map((c) => ({ _id: c._id, number: c.number, status: c.status }))).toEqual([
      { _id: record.caseId, number: 1, status: 'New' },
    ]);
    expect(record.caseNumber).toBe(1);
    const replies = state.messages[state.alertChannel]![0]!.replies;
    expect(replies.map((r) => r.ts)).toEqual([record.caseReplyTs]);
    expect(replies[0]!.text).toContain('opened in TheHive');

    await expectStatusThreadsBack(second, store, record.caseId!);
    await runs.stop(second, 'SIGTERM');
  });

  it('after SIGKILL right after Create Case, the state is consistent on restart and the alert reaches a case', async () => {
    const dataDir = temporaryDataDir();
    const first = await runs.start(dataDir);
    const alert = await ingestAndWaitForAlert(first);
    await clickCreateCase(first, alert);
    expect(await runs.stop(first, 'SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });

    const second = await runs.start(dataDir);
    const { store, record } = await expectConsistent(second, alert.message.ts);
    expect(record.escalatedBy).toBe(USER);
    expect(['escalating', 'escalated']).toContain(record.state);

    // Whatever the kill interrupted, the escalation completes: exactly one case, one "opened" reply.
    const escalated = await waitFor('the escalation to complete', async () => {
      const current = await onlyAlert(store);
      return current.state === 'escalated' && current.caseReplyTs ? current : undefined;
    });
    const { state } = await expectConsistent(second, alert.message.ts);
    expect(state.cases.map((c) => c._id)).toEqual([escalated.caseId]);
    await expectStatusThreadsBack(second, store, escalated.caseId!);
    await runs.stop(second, 'SIGTERM');
  });
});
