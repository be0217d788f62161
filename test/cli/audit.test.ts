/** `hivewire audit`: the timeline of one alert, found by case number, case id or fingerprint. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printAudit } from '../../src/cli/audit';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { makeAlertRecord } from '../helpers/alerts';

const CASE_URL = 'https://thehive.example.test/cases/~41000/details';
const PERMALINK = 'https://example.slack.com/archives/C0SECOPS/p1764064800000100';

let dataDir: string;
let env: NodeJS.ProcessEnv;

async function seed(opened: OpenedStore): Promise<void> {
  const { version: _version, ...record } = makeAlertRecord({
    state: 'escalated',
    caseId: '~41000',
    caseNumber: 42,
    caseUrl: CASE_URL,
    case: { status: 'TruePositive', stage: 'Closed' },
  });
  await opened.store.createAlert(record);
  const fingerprint = record.fingerprint;
  const events = [
    {
      action: 'received',
      actor: { kind: 'system' },
      details: { source: 'guardduty', sourceId: 'gd-1', raw: { big: true } },
    },
    { action: 'posted', actor: { kind: 'system' }, details: { channel: 'C0SECOPS', permalink: PERMALINK } },
    { action: 'escalation-requested', actor: { kind: 'slack', id: 'U0ALICE' } },
    {
      action: 'case-created',
      actor: { kind: 'slack', id: 'U0ALICE' },
      details: { caseNumber: 42, caseUrl: CASE_URL },
    },
    {
      action: 'status-changed',
      actor: { kind: 'thehive', id: 'bob@example.com' },
      details: { before: { status: 'New' }, after: { status: 'InProgress', assignee: 'bob@example.com' } },
    },
    {
      action: 'status-changed',
      actor: { kind: 'thehive', id: 'bob@example.com' },
      details: { before: { status: 'InProgress' }, after: { status: 'TruePositive' } },
    },
    { action: 'securityhub-workflow', actor: { kind: 'system' }, details: { status: 'RESOLVED' } },
  ] as const;
  for (const [i, event] of events.entries())
    await opened.store.appendAudit({ fingerprint, at: `2026-11-25T10:0${i}:00.000Z`, ...event } as never);
}

const TIMELINE = [
  'Alert gd-4f1c2a9e7b3d5c60: API ListBuckets was invoked from a Tor exit node',
  '  state: case #42 Closed (TruePositive)',
  `  Slack: ${PERMALINK}`,
  `  TheHive: ${CASE_URL}`,
  '',
];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'hivewire-audit-'));
  env = { HIVEWIRE_DATA_DIR: dataDir, THEHIVE_URL: 'https://thehive.example.test' };
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => stdout.push(String(chunk)) > 0);
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => stderr.push(String(chunk)) > 0);
  try {
    const code = await printAudit(args, env);
    return { code, stdout: stdout.join(''), stderr: stderr.join('') };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('with a running server holding the store (reached through its endpoint file)', () => {
  let opened: OpenedStore;
  beforeEach(async () => {
    opened = await startEmbeddedStore({ dataDir });
    await seed(opened);
  });
  afterEach(async () => {
    await opened.close();
  });

  test.each(['42', '#42', '~41000', 'gd-4f1c2a9e7b3d5c60'])('%s prints the timeline', async (key) => {
    const result = await run(key);

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      ...TIMELINE,
      `2026-11-25T10:00:00.000Z  received               system                   finding received from guardduty (gd-1)`,
      `2026-11-25T10:01:00.000Z  posted                 system                   alert posted ${PERMALINK}`,
      '2026-11-25T10:02:00.000Z  escalation-requested   slack:U0ALICE            Create Case clicked',
      `2026-11-25T10:03:00.000Z  case-created           slack:U0ALICE            case #42 created ${CASE_URL}`,
      '2026-11-25T10:04:00.000Z  status-changed         thehive:bob@example.com  status New → InProgress, assignee — → bob@example.com',
      '2026-11-25T10:05:00.000Z  status-changed         thehive:bob@example.com  status InProgress → TruePositive',
      '2026-11-25T10:06:00.000Z  securityhub-workflow   system                   Security Hub workflow set to RESOLVED',
      '',
    ]);
  });

  test('a key that matches nothing: exit 1 and a message on stderr', async () => {
    expect(await run('43')).toEqual({
      code: 1,
      stdout: '',
      stderr: 'hivewire audit: no alert or case matches 43\n',
    });
  });
});

test('no key: exit 2 with the usage', async () => {
  expect(await run()).toEqual({
    code: 2,
    stdout: '',
    stderr: 'hivewire audit: missing <case-number|fingerprint>\n',
  });
});

test('no running server: the store is opened from the data dir', async () => {
  const opened = await startEmbeddedStore({ dataDir });
  await seed(opened);
  await opened.close();

  const result = await run('#42');
  expect(result.code).toBe(0);
  expect(result.stdout.split('\n').slice(0, 5)).toEqual(TIMELINE);
});

test('--json prints the alert and its events for machines: current state, readable text, no raw event', async () => {
  const opened = await startEmbeddedStore({ dataDir });
  await seed(opened);
  await opened.close();

  const result = await run('--json', '#42');
  expect(result.code).toBe(0);
  const printed = JSON.parse(result.stdout) as {
    alert: Record<string, unknown>;
    events: Record<string, unknown>[];
  };
  expect(printed.alert).toEqual({
    fingerprint: 'gd-4f1c2a9e7b3d5c60',
    title: 'API ListBuckets was invoked from a Tor exit node',
    severity: expect.any(String),
    alertState: 'escalated',
    state: 'case #42 Closed (TruePositive)',
    case: { status: 'TruePositive', stage: 'Closed' },
    caseId: '~41000',
    caseNumber: 42,
    permalink: PERMALINK,
    caseUrl: CASE_URL,
  });
  expect(printed.events[0]).toEqual({
    at: '2026-11-25T10:00:00.000Z',
    action: 'received',
    actor: { kind: 'system' },
    caseId: null,
    details: { source: 'guardduty', sourceId: 'gd-1' },
    text: 'finding received from guardduty (gd-1)',
  });
  expect(printed.events.map((event) => event.text)).toContain('Security Hub workflow set to RESOLVED');
});

test('links stored by a sandbox on port 3000 are printed for the port it runs on now', async () => {
  const opened = await startEmbeddedStore({ dataDir });
  const { version: _version, ...record } = makeAlertRecord({
    state: 'escalated',
    caseId: '~8',
    caseNumber: 3,
    permalink: 'http://localhost:3000/#/C0SANDBOX/1764064800.000100',
    caseUrl: 'http://localhost:3000/sandbox/thehive/cases/~8/details',
    case: { status: 'New', stage: 'New' },
  });
  await opened.store.createAlert(record);
  await opened.store.appendAudit({
    fingerprint: record.fingerprint,
    caseId: '~8',
    actor: { kind: 'system' },
    action: 'case-linked',
    details: { permalink: record.permalink, caseUrl: record.caseUrl },
  });
  await opened.close();

  env = { HIVEWIRE_DATA_DIR: dataDir, PORT: '3001' };
  const result = await run('#3');
  expect(result.code).toBe(0);
  expect(result.stdout).not.toContain('localhost:3000');
  expect(result.stdout.split('\n').slice(1, 4)).toEqual([
    '  state: case #3 New',
    '  Slack: http://localhost:3001/#/C0SANDBOX/1764064800.000100',
    '  TheHive: http://localhost:3001/sandbox/thehive/cases/~8/details',
  ]);
  expect(result.stdout).toContain(
    'case link threaded under the alert http://localhost:3001/#/C0SANDBOX/1764064800.000100',
  );
});

test("prints the case's conversation in the order it was said, each copy with both links", async () => {
  const opened = await startEmbeddedStore({ dataDir });
  await seed(opened);
  const fingerprint = makeAlertRecord().fingerprint;
  const reply = { channel: 'C0SECOPS', ts: '1764064990.000200', permalink: `${PERMALINK}?thread_ts=1` };
  const copies = [
    {
      at: '2026-11-25T10:20:00.000Z',
      action: 'conversation-to-thehive',
      actor: { kind: 'slack', id: 'U0ALICE' },
      details: {
        change: 'posted',
        author: 'Alice',
        text: 'isolating the host',
        slack: reply,
        thehive: { commentId: '~c1', caseUrl: CASE_URL },
      },
    },
    {
      at: '2026-11-25T10:30:00.000Z',
      action: 'conversation-to-slack',
      actor: { kind: 'thehive', id: 'bob@example.com' },
      details: {
        author: 'bob@example.com',
        text: 'done, reimaged',
        slack: { channel: 'C0SECOPS', ts: '1764065400.000300' },
        thehive: { commentId: '~c2', caseUrl: CASE_URL },
      },
    },
    {
      at: '2026-11-25T10:25:00.000Z',
      action: 'conversation-to-thehive',
      actor: { kind: 'slack', id: 'U0ALICE' },
      details: {
        change: 'edited',
        author: 'Alice',
        text: 'isolating host i-0abc',
        slack: reply,
        thehive: { commentId: '~c1', caseUrl: CASE_URL },
      },
    },
  ];
  for (const event of copies) await opened.store.appendAudit({ fingerprint, ...event } as never);
  await opened.close();

  const result = await run('#42');
  expect(result.code).toBe(0);
  const said = result.stdout.split('\n').filter((line) => / in (Slack|TheHive)/.test(line));
  expect(said).toEqual([
    expect.stringMatching(
      /Alice in Slack said: "isolating the host", copied to TheHive \(Slack \S+ ↔ TheHive comment ~c1 /,
    ),
    expect.stringMatching(/Alice in Slack edited: "isolating host i-0abc", copied to TheHive/),
    expect.stringMatching(
      /bob@example.com in TheHive: "done, reimaged" threaded in Slack \(Slack 1764065400.000300 ↔ TheHive comment ~c2 /,
    ),
  ]);
});
