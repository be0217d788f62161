/** The SLA decisions as pure functions: which limits hold, and what is owed at a given time. */
import { parseConfigFile } from '../../src/config/config-file';
import { decideSla, slaPolicyFor } from '../../src/cases/sla-policy';
import { formatMinutes } from '../../blocks/sla-clock';
import { makeAlertRecord } from '../helpers/alerts';

const FILE = parseConfigFile(`
slack: { onCall: S0ONCALL }
sla:
  severities:
    HIGH: { acknowledgeMinutes: 30, resolveMinutes: 240 }
  customers:
    acme: { severities: { HIGH: { acknowledgeMinutes: 10 } }, warnAt: 0.5, leads: S0ACMELEADS }
`);
const CREATED = Date.parse('2026-11-25T10:00:00.000Z');

test("a customer's settings override the defaults key by key; the on-call group defaults to slack.onCall", () => {
  expect(slaPolicyFor(FILE, 'acme', 'HIGH')).toEqual({
    acknowledgeMinutes: 10,
    resolveMinutes: 240,
    warnAt: 0.5,
    onCall: 'S0ONCALL',
    leads: 'S0ACMELEADS',
    leadsAfterMinutes: 30,
  });
  expect(slaPolicyFor(FILE, 'globex', 'HIGH')).toEqual({
    acknowledgeMinutes: 30,
    resolveMinutes: 240,
    warnAt: 0.8,
    onCall: 'S0ONCALL',
    leadsAfterMinutes: 30,
  });
  expect(slaPolicyFor(FILE, 'acme', 'LOW')).toBeUndefined();
});

test('a bad sla setting is refused naming its key', () => {
  expect(() => parseConfigFile('sla: { warnAt: 1.5 }')).toThrow(/sla\.warnAt: /);
  expect(() => parseConfigFile('sla: { severities: { HIGH: { acknowledgeMinutes: 0 } } }')).toThrow(
    /sla\.severities\.HIGH\.acknowledgeMinutes: /,
  );
  expect(() => parseConfigFile('sla: { leads: U0ALICE }')).toThrow(
    /sla\.leads: must be a Slack user group id/,
  );
  expect(() => parseConfigFile('sla: { severities: { SEVERE: {} } }')).toThrow(/sla\.severities/);
});

test('without leads configured, a breach is the last tier; without an assignee, the warning calls on-call', () => {
  const policy = slaPolicyFor(FILE, 'globex', 'HIGH')!;
  const alert = makeAlertRecord({
    state: 'escalated',
    caseId: '~1',
    caseNumber: 1,
    caseCreatedAt: CREATED,
    case: { status: 'New', stage: 'New' },
  });
  const warning = decideSla(alert, policy, CREATED + 24 * 60_000);
  expect(warning?.announcements).toEqual([
    {
      clock: 'acknowledge',
      tier: 'warning',
      waitedMinutes: 24,
      limitMinutes: 30,
      stage: 'New',
      calledOn: { group: 'S0ONCALL' },
    },
  ]);
  const later = decideSla({ ...alert, sla: warning!.sla }, policy, CREATED + 600 * 60_000);
  expect(later?.announcements.map((a) => `${a.clock}:${a.tier}`)).toEqual([
    'acknowledge:breach',
    'resolve:breach',
  ]);
  expect(decideSla({ ...alert, sla: later!.sla }, policy, CREATED + 6000 * 60_000)).toBeUndefined();
});

test('a case without a start (never linked) or not escalated has no clock', () => {
  const policy = slaPolicyFor(FILE, 'globex', 'HIGH')!;
  expect(decideSla(makeAlertRecord({ state: 'open' }), policy, CREATED + 1e9)).toBeUndefined();
  expect(
    decideSla(
      makeAlertRecord({ state: 'escalated', case: { status: 'New', stage: 'New' }, escalatedAt: undefined }),
      policy,
      CREATED + 1e9,
    ),
  ).toBeUndefined();
});

test('waits read as people say them', () => {
  expect([5, 60, 125, 1440, 1500, 3000].map(formatMinutes)).toEqual([
    '5 min',
    '1 h',
    '2 h 5 min',
    '1 d',
    '1 d 1 h',
    '2 d 2 h',
  ]);
});
