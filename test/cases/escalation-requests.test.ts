/**
 * What Create Case costs TheHive, counted at the HTTP layer (nock): two requests per escalation
 * whatever the number of observables, none more when the job runs again, and exactly the requests
 * `hivewire case-request` prints for the same finding, requester and Slack alert.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { ingestEvent } from '../../src/alerts/ingest';
import { main } from '../../src/cli';
import type { Observable } from '../../src/findings/finding';
import type { AlertRecord } from '../../src/store/store';
import { theHiveAlert, theHiveCase } from '../clients/thehive/fixtures';
import { makeAlertRecord } from '../helpers/alerts';
import { THEHIVE_URL } from '../helpers/analyst';
import {
  mockSlack,
  mockTheHive,
  startEscalationHarness,
  type EscalationHarness,
  type SentRequest,
} from '../helpers/escalation';

const ROOT = join(__dirname, '..', '..');
const CONFIG = `
accounts:
  "123456789012": { name: payments-prod, customer: acme }
customers:
  acme: { tlp: 3, pap: 1, caseTemplate: AWS finding }
defaults: { severityThreshold: LOW }
`;
const PERMALINK = 'https://example.slack.com/archives/C0SECOPS/p1764064999000001';
const ALERT_ID = '~4096';

let harness: EscalationHarness;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
});
beforeEach(async () => {
  harness = await startEscalationHarness(CONFIG);
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});
afterAll(() => {
  nock.enableNetConnect();
  nock.restore();
});

/** TheHive answering like a healthy server: the alert, then its promotion. */
function healthyTheHive(request: SentRequest): [number, unknown] {
  if (request.path === '/api/v1/alert') return [201, theHiveAlert({ _id: ALERT_ID })];
  if (request.path === `/api/v1/alert/${ALERT_ID}/case`) return [201, theHiveCase()];
  return [404, { type: 'NotFoundError', message: `${request.path} not found` }];
}

function observables(count: number): Observable[] {
  return Array.from({ length: count }, (_, i) => ({
    dataType: 'ip',
    data: `198.51.${Math.floor(i / 250)}.${(i % 250) + 1}`,
    ioc: true,
  }));
}

/** Runs `hivewire ...` in-process; resolves to its exit code and what it printed. */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return { code: await main(args, env), stdout };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('TheHive requests per escalation', () => {
  it.each([1, 10, 100])('is 2 with %i observables', async (count) => {
    const record = makeAlertRecord({ finding: { observables: observables(count) } });
    await harness.seedAlert(record);
    mockSlack();
    const theHive = mockTheHive(healthyTheHive);

    await harness.click(record.fingerprint, { userId: 'U0ALICE' });
    await harness.work(1);

    expect(theHive.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /api/v1/alert',
      `POST /api/v1/alert/${ALERT_ID}/case`,
    ]);
    expect((theHive[0]!.body as { observables: unknown[] }).observables).toHaveLength(count);
    expect(await harness.deps.store.getAlert(record.fingerprint)).toMatchObject({ state: 'escalated' });
  });

  it('is none more when the same job is delivered again', async () => {
    const record = makeAlertRecord();
    await harness.seedAlert(record);
    const slack = mockSlack();
    const theHive = mockTheHive(healthyTheHive);
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });
    const job = harness.jobs[0]!;
    await harness.work(1);
    const [theHiveBefore, slackBefore] = [theHive.length, slack.length];
    const auditBefore = await harness.deps.store.listAudit(record.fingerprint);

    harness.jobs.push(job);
    await harness.work(1);

    expect(theHive).toHaveLength(theHiveBefore);
    // Only the root message is rendered again from state; no second thread reply.
    expect(slack.slice(slackBefore).map((call) => call.method)).toEqual(['chat.update']);
    expect(await harness.deps.store.listAudit(record.fingerprint)).toEqual(auditBefore);
  });
});

describe('hivewire case-request', () => {
  it.each([
    'fixtures/aws/guardduty-iamuser-toripcaller.json',
    'fixtures/aws/securityhub-imported-cis-1-3-warning.json',
    'fixtures/aws/asff-guardduty-sshbruteforce.json',
    'fixtures/siem/mozdef-alert-ssh-sensitive-host.json',
  ])('prints exactly what Create Case sends for %s', async (fixture) => {
    const configPath = join(mkdtempSync(join(tmpdir(), 'hivewire-case-request-')), 'config.yaml');
    writeFileSync(configPath, CONFIG);
    const event = JSON.parse(readFileSync(join(ROOT, fixture), 'utf8')) as unknown;
    mockSlack((method) =>
      method === 'chat.getPermalink'
        ? [200, { ok: true, channel: 'C0SECOPS', permalink: PERMALINK }]
        : undefined,
    );
    const theHive = mockTheHive(healthyTheHive);

    const { results } = await ingestEvent(event, harness.deps);
    expect(results.map((result) => result.outcome)).toEqual(['posted']);
    const fingerprint = results[0]!.fingerprint;
    expect(((await harness.deps.store.getAlert(fingerprint)) as AlertRecord).permalink).toBe(PERMALINK);
    await harness.click(fingerprint, { userId: 'U0ALICE' });
    await harness.work(1);

    const printed = await cli(
      ['case-request', '--requested-by', 'U0ALICE', '--permalink', PERMALINK, join(ROOT, fixture)],
      { HIVEWIRE_CONFIG: configPath, SLACK_ALERT_CHANNEL: 'C0SECOPS', THEHIVE_URL },
    );
    expect(printed.code).toBe(0);
    const { requests } = JSON.parse(printed.stdout) as { requests: SentRequest[] };
    expect(
      requests.map((request) => ({ ...request, path: request.path.replace('{alertId}', ALERT_ID) })),
    ).toEqual(theHive);
  });
});
