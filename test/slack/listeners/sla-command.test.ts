/** `/hivewire sla` through a signed slash command: the open cases closest to their limits, most urgent first. */
import nock from 'nock';
import { parseCommand } from '../../../src/slack/listeners/command';
import { makeAlertRecord } from '../../helpers/alerts';
import { mockAuthTest, startAnalystHarness, type AnalystHarness } from '../../helpers/analyst';

const CONFIG = `
customers:
  acme: { channel: C0ACME }
  globex: { slack: { team: T0GLOBEX, channel: C0GLOBEX } }
sla:
  severities:
    HIGH: { acknowledgeMinutes: 30, resolveMinutes: 240 }
    CRITICAL: { acknowledgeMinutes: 15 }
`;

let harness: AnalystHarness;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  harness = await startAnalystHarness(CONFIG);
  mockAuthTest();
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

async function sla(
  channel = 'C0SECOPS',
  team = 'T0TEST',
): Promise<{
  response_type: string;
  text: string;
  blocks: { text?: { text: string } }[];
}> {
  const response = await harness.command({
    command: '/hivewire',
    text: 'sla',
    team_id: team,
    user_id: 'U0ANALYST',
    user_name: 'analyst',
    channel_id: channel,
    channel_name: 'secops',
    response_url: 'https://hooks.slack.com/commands/T0TEST/1/abc',
    trigger_id: '1.2.3',
    api_app_id: 'A0HIVEWIRE',
  });
  expect(response.status).toBe(200);
  return JSON.parse(response.body);
}

function escalatedCase(fingerprint: string, caseNumber: number, ageMinutes: number, extra = {}) {
  return makeAlertRecord({
    fingerprint,
    state: 'escalated',
    caseId: `~${caseNumber}`,
    caseNumber,
    caseCreatedAt: harness.clock.now.getTime() - ageMinutes * 60_000,
    case: { status: 'New', stage: 'New' },
    ...extra,
  });
}

test('parses `sla` and refuses arguments', () => {
  expect(parseCommand('sla')).toEqual({ kind: 'sla' });
  expect(parseCommand('sla acme')).toEqual({
    kind: 'usage',
    problem: 'sla takes no arguments.',
    topic: 'sla',
  });
});

test('lists the running clocks, past their limit first, and leaves out closed cases', async () => {
  await harness.seedAlert(escalatedCase('gd-a', 7, 12));
  await harness.seedAlert(escalatedCase('gd-b', 8, 20, { severity: 'CRITICAL' }));
  await harness.seedAlert(
    escalatedCase('gd-c', 9, 500, { case: { status: 'TruePositive', stage: 'Closed' } }),
  );
  await harness.seedAlert(
    escalatedCase('gd-d', 10, 60, { case: { status: 'InProgress', stage: 'InProgress' } }),
  );

  const answer = await sla();
  expect(answer.response_type).toBe('ephemeral');
  expect(answer.text).toBe('Cases closest to their SLA: 4');
  expect(answer.blocks[0]!.text!.text).toBe(
    [
      '*Cases closest to their SLA*',
      '🚨 *Case #8* 🚨 · time to acknowledge 20 min of 15 min (133 %)',
      '⌛ *Case #7* 🔴 · time to acknowledge 12 min of 30 min (40 %)',
      '⌛ *Case #10* 🔴 · time to resolve 1 h of 4 h (25 %)',
      '⌛ *Case #7* 🔴 · time to resolve 12 min of 4 h (5 %)',
    ].join('\n'),
  );
});

test('says so when no case has a clock running', async () => {
  const answer = await sla();
  expect(answer.text).toBe('No open case has an SLA running.');
});

test("typed in a customer's alert channel, it lists that customer's cases only", async () => {
  await harness.seedAlert(escalatedCase('gd-a', 7, 12));
  await harness.seedAlert(escalatedCase('gd-b', 8, 20, { finding: { customer: 'globex' } }));

  const answer = await sla('C0ACME');
  expect(answer.text).toBe('Cases closest to their SLA for `acme`: 2');
  expect(answer.blocks[0]!.text!.text).not.toContain('Case #8');
  expect((await sla()).text).toBe('Cases closest to their SLA: 4');
});

test("in a customer's own workspace, it lists that customer's cases only, in any channel", async () => {
  await harness.seedAlert(escalatedCase('gd-a', 7, 12));
  await harness.seedAlert(escalatedCase('gd-b', 8, 20, { finding: { customer: 'globex' } }));

  const answer = await sla('C0SECOPS', 'T0GLOBEX');
  expect(answer.text).toBe('Cases closest to their SLA for `globex`: 2');
  expect(answer.blocks[0]!.text!.text).toContain('Case #8');
  expect(answer.blocks[0]!.text!.text).not.toContain('Case #7');
});
