/**
 * End to end through HTTP, in one process: the product's routes and the REAL sandbox stand-ins on one
 * 127.0.0.1 port, an on-disk embedded store in a temporary data dir. A finding is ingested, escalated
 * with a signed click, worked and closed in the sandbox TheHive (whose webhooks reach the bot), and
 * `hivewire audit` prints the whole timeline.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CREATE_CASE } from '../../blocks/actions';
import { printAudit } from '../../src/cli/audit';
import { SANDBOX_TEAM } from '../../src/sandbox/slack-workspace';
import { SANDBOX_DEFAULTS, type Config } from '../../src/config/config';
import type { LocalRuntime } from '../../src/local/runtime';
import type { Sandbox } from '../../src/sandbox';
import type { RunningServer } from '../../src/http/server';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

const FIXTURE = resolve(__dirname, '../../fixtures/aws/asff-guardduty-recon-iamuser-maliciousipcaller.json');
const CHANNEL = SANDBOX_DEFAULTS.alertChannel;
/**
 * How long a webhook may take to come back from the sandbox TheHive (it is sent on a later turn), on a
 * loaded machine.
 */
const SETTLE_TIMEOUT_MS = 30_000;
// Four settles and the audit: seconds, a minute or more on a loaded machine.
jest.setTimeout(120_000);

let product: InProcessSandbox;
let env: NodeJS.ProcessEnv;
let config: Config;
let runtime: LocalRuntime;
let sandbox: Sandbox;
let server: RunningServer;

beforeAll(async () => {
  product = await startInProcessSandbox();
  ({ env, config, runtime, sandbox, server } = product);
});

afterAll(async () => {
  await product?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Waits (in short steps) until `done` holds, running queued jobs between looks. */
async function settle(done: () => boolean): Promise<void> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    await runtime.queue.drain();
    if (done()) return;
    if (Date.now() > deadline) throw new Error('the flow did not settle');
    await new Promise((wake) => setTimeout(wake, 10));
  }
}

function rootMessages() {
  return sandbox.workspace.history(CHANNEL).messages;
}

function threadTexts(ts: string): string[] {
  return sandbox.workspace
    .replies(CHANNEL, ts)
    .messages.slice(1)
    .map((message) => message.text);
}

/** The first line of the root's case status section. */
function statusLine(ts: string): string {
  const blocks = sandbox.workspace.getMessage(CHANNEL, ts)?.blocks ?? [];
  const section = blocks.find(
    (block) =>
      block.type === 'section' && /\*Case #/.test((block.text as { text?: string } | undefined)?.text ?? ''),
  );
  return ((section?.text as { text: string } | undefined)?.text ?? '').split('\n')[0]!;
}

test('finding → alert → Create Case → status changes and close threaded back → audit timeline', async () => {
  // 1. Ingest: the alert appears in the sandbox channel.
  const ingested = await post('/ingest', readFileSync(FIXTURE, 'utf8'), {
    authorization: `Bearer ${config.ingestSecret}`,
  });
  expect(ingested.status).toBe(202);
  await settle(() => rootMessages().length === 1);
  const root = rootMessages()[0]!;
  expect(root.channel).toBe(CHANNEL);

  // 2. A signed Create Case click from the console.
  const actions = (root.blocks ?? []).find(
    (block) =>
      Array.isArray(block.elements) &&
      (block.elements as { action_id?: string }[]).some((element) => element.action_id === CREATE_CASE),
  );
  expect(actions?.block_id).toEqual(expect.any(String));
  const click = await post('/sandbox/console/click', {
    channel: CHANNEL,
    ts: root.ts,
    actionId: CREATE_CASE,
    blockId: actions!.block_id,
    userId: 'U0ALICE',
  });
  expect(click.status).toBe(200);
  await settle(() => sandbox.theHive.listCases().length === 1 && threadTexts(root.ts).length >= 1);

  const cases = sandbox.theHive.listCases();
  expect(cases).toHaveLength(1);
  const theCase = cases[0]!;
  const caseNumber = theCase.number as number;
  const caseUrl = `${config.theHive.url}/cases/${String(theCase._id)}/details`;
  expect(theCase.status).toBe('New');
  expect(threadTexts(root.ts)).toEqual([
    `📁 <${caseUrl}|Case #${caseNumber}> opened in TheHive by <@U0ALICE> with 1 observable`,
  ]);
  expect(statusLine(root.ts)).toBe(`📁 *Case #${caseNumber}* · \`New\` · unassigned`);

  // 3. Worked in TheHive: InProgress, then closed as TruePositive with a summary.
  const started = await post('/sandbox/console/case', {
    caseId: theCase._id,
    userId: 'U0BOB',
    changes: { status: 'InProgress' },
  });
  expect(started.status).toBe(200);
  await settle(() => threadTexts(root.ts).some((text) => text.includes('InProgress')));
  expect(statusLine(root.ts)).toBe(`📁 *Case #${caseNumber}* · \`InProgress\` · unassigned`);

  const closed = await post('/sandbox/console/case', {
    caseId: theCase._id,
    userId: 'U0BOB',
    changes: {
      status: 'TruePositive',
      summary: 'Keys rotated; the caller was a red-team exercise',
      impactStatus: 'NoImpact',
    },
  });
  expect(closed.status).toBe(200);
  await settle(() => threadTexts(root.ts).length === 3);

  expect(threadTexts(root.ts)).toEqual([
    `📁 <${caseUrl}|Case #${caseNumber}> opened in TheHive by <@U0ALICE> with 1 observable`,
    `Case #${caseNumber}: 🔄 Status \`New\` → \`InProgress\` by \`bob@example.com\``,
    `Case #${caseNumber}: ✅ Closed as \`TruePositive\` by \`bob@example.com\``,
  ]);
  expect(statusLine(root.ts)).toBe(`✅ *Case #${caseNumber}* · closed as \`TruePositive\` · \`NoImpact\``);
  const rootBlocks = JSON.stringify(sandbox.workspace.getMessage(CHANNEL, root.ts)?.blocks);
  expect(rootBlocks).toContain('"text":"Keys rotated; the caller was a red-team exercise"');

  // 4. The audit timeline.
  const out: string[] = [];
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out.push(String(chunk));
    return true;
  });
  try {
    expect(await printAudit([String(caseNumber)], env)).toBe(0);
  } finally {
    write.mockRestore();
  }
  const printed = out.join('').split('\n');
  const alert = await runtime.deps.store.findAlertByCase(caseNumber);
  // Stored in Slack's form, built from the workspace URL the stand-in's auth.test answers; read, it
  // leads to the message in the console.
  expect(alert!.permalink).toBe(
    `https://${SANDBOX_TEAM.domain}.slack.com/archives/${CHANNEL}/p${root.ts.replace('.', '')}`,
  );
  const shownLink = `${config.publicUrl}/#/${CHANNEL}/${root.ts}`;
  expect(printed.slice(0, 4)).toEqual([
    `Alert ${alert!.fingerprint}: ${alert!.finding.title}`,
    // The case's own state: it is closed, not merely "escalated".
    `  state: case #${caseNumber} Closed (TruePositive)`,
    `  Slack: ${shownLink}`,
    `  TheHive: ${caseUrl}`,
  ]);
  const timeline = printed
    .slice(5)
    .filter(Boolean)
    .map((line) => line.split(/\s+/).slice(1, 3).join(' '));
  expect(timeline).toEqual([
    'received system',
    'posted system',
    // The sandbox posts every alert in its Webex space and its Teams channel too (README).
    'posted system',
    'posted system',
    'escalation-requested slack:U0ALICE',
    'case-created slack:U0ALICE',
    'case-linked system',
    'securityhub-notified system',
    'status-changed thehive:bob@example.com',
    'status-changed thehive:bob@example.com',
    'securityhub-workflow system',
  ]);
  const described = printed.filter((line) => / (status-changed|case-created|posted) /.test(line));
  expect(described.map((line) => line.replace(/^\S+\s+\S+\s+\S+\s+/, ''))).toEqual([
    `alert posted ${shownLink}`,
    `alert posted in Webex space ${alert!.posts?.webex?.channel}`,
    `alert posted in Teams channel ${alert!.posts?.teams?.channel}`,
    `case #${caseNumber} created ${caseUrl}`,
    'status New → InProgress',
    'status InProgress → TruePositive',
  ]);

  // 5. What happened, counted: GET /metrics (behind the ingest secret) names the CloudWatch metrics.
  expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
  const report = (await (
    await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${config.ingestSecret}` } })
  ).json()) as {
    namespace: string;
    metrics: { name: string; source?: string; value?: number; calls?: number }[];
  };
  expect(report.namespace).toBe('Hivewire');
  const counts = Object.fromEntries(
    report.metrics
      .filter((line) => line.value !== undefined)
      .map((line) => [`${line.name}${line.source ? `/${line.source}` : ''}`, line.value]),
  );
  expect(counts).toEqual({
    'FindingsReceived/securityhub': 1,
    'FindingsPosted/securityhub': 1,
    EscalationsRequested: 1,
    EscalationsOpened: 1,
    CaseUpdatesThreaded: 2,
  });
  const calls = Object.fromEntries(report.metrics.map((line) => [line.name, line.calls]));
  // The alert and its promotion; the syncs read the case from the webhooks, not from TheHive.
  expect(calls.TheHiveCallLatency).toBe(2);
  // post, update and the three thread replies at least.
  expect(calls.SlackCallLatency).toBeGreaterThanOrEqual(5);
});
