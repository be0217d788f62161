/**
 * "Create Case" end to end: signed clicks into the real Bolt app, the worker against TheHive, Slack
 * and Security Hub mocked at the HTTP layer (nock), the store in memory. What it costs TheHive is
 * counted there too: two requests per escalation whatever the number of observables, none more when
 * the job runs again, and exactly the requests `hivewire case-request` prints for the same finding,
 * requester and Slack alert.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { countsOf } from '../helpers/metrics';
import { CREATE_CASE, OPEN_CASE } from '../../blocks/actions';
import { ingestEvent } from '../../src/alerts/ingest';
import { renderAlert } from '../../src/alerts/render';
import { main } from '../../src/cli/cli';
import type { Observable } from '../../src/domain/finding';
import { alreadyEscalatedEphemeral, caseOpenedReply, escalationFailedReply } from '../../blocks/replies';
import type { AlertRecord } from '../../src/domain/alert';
import { theHiveAlert, theHiveCase, theHiveComment } from '../clients/thehive/fixtures';
import { makeAlertRecord, type AlertRecordOverrides } from '../helpers/alerts';
import { SIGNING_SECRET, THEHIVE_URL } from '../helpers/analyst';
import { captureLogs } from '../helpers/logs';
import {
  mockSecurityHub,
  mockSlack,
  mockTheHive,
  startEscalationHarness,
  type Answer,
  type EscalationHarness,
  type SentRequest,
} from '../helpers/escalation';

const CONFIG = `
customers:
  acme:
    tlp: 3
    pap: 1
    caseTemplate: AWS finding
`;
const ALERT_TS = '1764064800.000100';
const CASE_ID = '~8192';
const CASE_URL = `${THEHIVE_URL}/cases/~8192/details`;
const ROOT = join(__dirname, '..', '..');
const SLACK_PERMALINK = 'https://example.slack.com/archives/C0SECOPS/p1764064999000001';
const ALERT_ID = '~4096';
const AUTH_FAILURE =
  "TheHive refused Hivewire's credentials (HTTP 401): check THEHIVE_API_KEY and its permissions";

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
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

async function seed(overrides: AlertRecordOverrides = {}): Promise<AlertRecord> {
  const record = makeAlertRecord(overrides);
  await harness.seedAlert(record);
  return (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
}

/** TheHive answering like a healthy server: the alert and its promotion. */
function healthyTheHive(fingerprint: string) {
  return (request: SentRequest): Answer => {
    if (request.path === '/api/v1/alert') return [201, theHiveAlert({ sourceRef: fingerprint })];
    if (request.path === '/api/v1/alert/~4096/case') return [201, theHiveCase()];
    return [404, { type: 'NotFoundError', message: `${request.path} not found` }];
  };
}

function routes(sent: SentRequest[]): string[] {
  return sent.map((request) => `${request.method} ${request.path}`);
}

const TOR_DESCRIPTION = [
  '### API ListBuckets was invoked from a Tor exit node',
  '',
  '| Field | Value |',
  '| --- | --- |',
  '| Source | GuardDuty (guardduty) |',
  '| Finding id | arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6 |',
  '| Type | UnauthorizedAccess:IAMUser/TorIPCaller |',
  '| Severity | HIGH (source value 8) |',
  '| Customer | acme |',
  '| Account | 111122223333 (payments-prod) |',
  '| Region | eu-west-1 |',
  '| Resource | AccessKey jdoe |',
  '| First seen | 2026-11-24T08:00:00.000Z |',
  '| Last seen | 2026-11-25T10:00:00.000Z |',
  '| Count | 12 |',
  '| User | jdoe \\<jdoe@example[.]com> |',
  '',
  'Links: [Open in the AWS console](https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6) · [Slack alert](https://example.slack.com/archives/C0SECOPS/p1764064800000100)',
  '',
  '#### Description',
  '',
  'An API was invoked from IP address 198.51.100.23, which is a known Tor exit node. This can indicate unauthorized access to your AWS resources.',
  '',
  '_Escalated from Slack by Slack user U0ALICE with Hivewire (fingerprint gd-4f1c2a9e7b3d5c60)._',
].join('\n');

describe('the Create Case click', () => {
  it('marks the alert escalating, queues one create-case job and shows who escalated', async () => {
    const before = await seed();
    const slack = mockSlack();

    const response = await harness.click(before.fingerprint, { userId: 'U0ALICE' });

    expect(response.status).toBe(200);
    const after = (await harness.deps.store.getAlert(before.fingerprint)) as AlertRecord;
    expect(after).toMatchObject({
      state: 'escalating',
      escalatedBy: 'U0ALICE',
      escalatedByName: 'analyst',
      escalatedAt: harness.clock.now.toISOString(),
    });
    expect(harness.jobs).toEqual([
      {
        kind: 'create-case',
        fingerprint: before.fingerprint,
        userId: 'U0ALICE',
        userName: 'analyst',
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);
    const shown = renderAlert(after, harness.config);
    expect(slack.map((call) => call.method)).toEqual(['chat.update']);
    expect(slack[0]!.fields).toMatchObject({ channel: 'C0SECOPS', ts: ALERT_TS, text: shown.text });
    expect(slack[0]!.fields.blocks).toEqual(shown.blocks);
    expect(JSON.stringify(slack[0]!.fields.blocks)).toContain('⏳ Creating case… requested by <@U0ALICE>');
  });

  it('takes over an escalation left without a case for an hour (its job lost); sooner, it is in progress', async () => {
    const hourAgo = new Date(harness.clock.now.getTime() - 60 * 60_000);
    const record = await seed({
      state: 'escalating',
      escalatedBy: 'U0BOB',
      escalatedAt: new Date(hourAgo.getTime() + 1).toISOString(),
    });
    const slack = mockSlack();

    await harness.click(record.fingerprint, { userId: 'U0ALICE' });
    expect(harness.jobs).toEqual([]);
    expect(slack.find((call) => call.method === 'chat.postEphemeral')?.fields.text).toBe(
      'A case is already being created for this alert (requested by <@U0BOB>).',
    );

    harness.clock.now = new Date(harness.clock.now.getTime() + 1);
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });
    expect(harness.jobs).toEqual([
      {
        kind: 'create-case',
        fingerprint: record.fingerprint,
        userId: 'U0ALICE',
        userName: 'analyst',
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);
    expect(await harness.deps.store.getAlert(record.fingerprint)).toMatchObject({
      state: 'escalating',
      escalatedBy: 'U0ALICE',
      escalatedAt: harness.clock.now.toISOString(),
    });
  });

  it.each([
    ['unsigned', { unsigned: true }],
    ['signed with the wrong secret', { secret: `${SIGNING_SECRET}-not` }],
    ['six minutes old', { atOffsetMs: -6 * 60 * 1000 }],
    ['six minutes in the future', { atOffsetMs: 6 * 60 * 1000 }],
  ])('refuses a click %s with 401 and changes nothing', async (_name, options) => {
    const before = await seed();
    const slack = mockSlack();
    const { atOffsetMs, ...rest } = options as { atOffsetMs?: number; unsigned?: boolean; secret?: string };

    const response = await harness.click(before.fingerprint, {
      ...rest,
      ...(atOffsetMs ? { atMs: harness.clock.now.getTime() + atOffsetMs } : {}),
    });

    expect(response.status).toBe(401);
    expect(await harness.deps.store.getAlert(before.fingerprint)).toEqual(before);
    expect(await harness.deps.store.listAudit(before.fingerprint)).toEqual([]);
    expect(harness.jobs).toEqual([]);
    expect(slack).toEqual([]);
  });
});

describe('the worker creating the case', () => {
  it('sends TheHive the alert with its observables, requester and Slack link, promotes it with the template, and links everything back', async () => {
    const record = await seed();
    const slack = mockSlack();
    const theHive = mockTheHive(healthyTheHive(record.fingerprint));
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });

    expect(await harness.work(1)).toEqual([
      { job: expect.objectContaining({ kind: 'create-case' }), attempts: 1 },
    ]);

    expect(theHive).toEqual([
      {
        method: 'POST',
        path: '/api/v1/alert',
        body: {
          type: 'hivewire',
          source: 'guardduty',
          sourceRef: 'gd-4f1c2a9e7b3d5c60',
          title: 'API ListBuckets was invoked from a Tor exit node',
          description: TOR_DESCRIPTION,
          severity: 3,
          date: Date.parse('2026-11-24T08:00:00.000Z'),
          tags: [
            'customer:acme',
            'source:guardduty',
            'aws-account:111122223333',
            'region:eu-west-1',
            'UnauthorizedAccess:IAMUser/TorIPCaller',
          ],
          tlp: 3,
          pap: 1,
          externalLink:
            'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
          observables: [
            {
              dataType: 'ip',
              data: '198.51.100.23',
              tags: [
                'remote-ip',
                'aws-api-call',
                'asn:64496',
                'as-org:Example Transit',
                'country:Netherlands',
              ],
              ioc: true,
            },
            { dataType: 'other', data: 'AKIAIOSFODNN7EXAMPLE', tags: ['access-key'], ioc: false },
            { dataType: 'other', data: 'jdoe', tags: ['user-name'], ioc: false },
          ],
        },
      },
      { method: 'POST', path: '/api/v1/alert/~4096/case', body: { caseTemplate: 'AWS finding' } },
    ]);

    const after = (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    expect(after).toMatchObject({ state: 'escalated', caseId: CASE_ID, caseNumber: 42, caseUrl: CASE_URL });
    const reply = caseOpenedReply({
      caseNumber: 42,
      caseUrl: CASE_URL,
      person: 'U0ALICE',
      observableCount: 3,
    });
    const root = renderAlert(after, harness.config);
    expect(slack.map((call) => call.method)).toEqual(['chat.update', 'chat.postMessage', 'chat.update']);
    expect(slack[1]!.fields).toMatchObject({ channel: 'C0SECOPS', thread_ts: ALERT_TS, text: reply.text });
    expect(slack[1]!.fields.text).toContain(CASE_URL);
    expect(slack[1]!.fields.text).toContain('42');
    expect(slack[2]!.fields).toMatchObject({ channel: 'C0SECOPS', ts: ALERT_TS, text: root.text });
    expect(slack[2]!.fields.blocks).toEqual(root.blocks);
    const rootJson = JSON.stringify(slack[2]!.fields.blocks);
    expect(rootJson).not.toContain(`"action_id":"${CREATE_CASE}"`);
    expect(rootJson).toContain(`"action_id":"${OPEN_CASE}"`);
    expect(rootJson).toContain(`"url":"${CASE_URL}"`);
    expect(after.caseReplyTs).toBe('1764064999.000002');

    expect((await harness.deps.store.listAudit(record.fingerprint)).map((event) => event.action)).toEqual([
      'escalation-requested',
      'case-created',
      'case-linked',
    ]);
    expect(countsOf(harness.metrics)).toEqual({ 'EscalationsRequested/-': 1, 'EscalationsOpened/-': 1 });
    const latencies = harness.metrics.entries().filter((entry) => entry.unit === 'Milliseconds');
    // TheHive: alert, promotion. Slack: the worker's reply and root update (the click's update is Bolt's).
    expect(latencies.map(({ name, count }) => ({ name, count }))).toEqual([
      { name: 'SlackCallLatency', count: 2 },
      { name: 'TheHiveCallLatency', count: 2 },
    ]);
  });

  it('logs the opened case with the finding fingerprint and the case id', async () => {
    const record = await seed();
    mockSlack();
    mockTheHive(healthyTheHive(record.fingerprint));
    harness.deps.logger.setLogLevel('INFO');
    const logs = captureLogs();
    try {
      await harness.click(record.fingerprint, { userId: 'U0ALICE' });
      await harness.work(1);
    } finally {
      logs.restore();
    }
    expect(logs.lines.find((line) => line.message === 'create case clicked')).toMatchObject({
      fingerprint: record.fingerprint,
      action: CREATE_CASE,
      userId: 'U0ALICE',
    });
    expect(logs.lines.find((line) => line.message === 'case opened')).toMatchObject({
      level: 'INFO',
      fingerprint: record.fingerprint,
      caseId: CASE_ID,
      caseNumber: 42,
    });
  });

  it.each([
    [
      'a Security Hub finding',
      {
        fingerprint: 'sh-0a1b2c3d4e5f6a7b',
        source: 'securityhub' as const,
        product: 'Security Hub',
        type: 'Software and Configuration Checks/AWS Security Best Practices',
        securityHub: {
          id: 'arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.2/finding/3f1c2a9e',
          productArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
        },
      },
    ],
    [
      'a GuardDuty finding delivered through Security Hub',
      {
        fingerprint: 'gd-sh-5c60aa00bb11cc22',
        securityHub: {
          id: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
          productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
        },
      },
    ],
  ])('marks %s NOTIFIED in Security Hub with a note linking the case', async (_name, finding) => {
    const record = await seed({ finding });
    mockSlack();
    mockTheHive(healthyTheHive(record.fingerprint));
    const securityHub = mockSecurityHub('eu-west-1');
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });

    await harness.work(1);

    expect(securityHub).toEqual([
      {
        method: 'PATCH',
        path: '/findings/batchupdate',
        body: {
          FindingIdentifiers: [{ Id: finding.securityHub.id, ProductArn: finding.securityHub.productArn }],
          Workflow: { Status: 'NOTIFIED' },
          Note: { Text: `TheHive case #42: ${CASE_URL}`, UpdatedBy: 'hivewire' },
        },
      },
    ]);
    expect((await harness.deps.store.listAudit(record.fingerprint)).map((event) => event.action)).toEqual([
      'escalation-requested',
      'case-created',
      'case-linked',
      'securityhub-notified',
    ]);
  });

  it('leaves Security Hub alone for a native GuardDuty finding', async () => {
    const record = await seed();
    mockSlack();
    mockTheHive(healthyTheHive(record.fingerprint));
    const securityHub = mockSecurityHub('eu-west-1');
    await harness.click(record.fingerprint);

    await harness.work(1);

    expect(securityHub).toEqual([]);
    expect((await harness.deps.store.getAlert(record.fingerprint))?.state).toBe('escalated');
  });
});

describe('a step after the case failing for good', () => {
  it('says the case exists rather than that it could not be created, and keeps its link', async () => {
    const record = await seed({
      finding: {
        fingerprint: 'gd-sh-5c60aa00bb11cc22',
        securityHub: {
          id: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
          productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
        },
      },
    });
    const slack = mockSlack();
    mockTheHive(healthyTheHive(record.fingerprint));
    nock('https://securityhub.eu-west-1.amazonaws.com')
      .persist()
      .patch('/findings/batchupdate')
      .reply(403, { message: 'not authorized' }, { 'x-amzn-ErrorType': 'AccessDeniedException' });
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });

    expect(await harness.work(1)).toEqual([{ job: expect.anything(), attempts: 1 }]);

    const after = (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    expect(after).toMatchObject({ state: 'escalated', caseId: CASE_ID, lastError: 'not authorized' });
    const replies = slack
      .filter((call) => call.method === 'chat.postMessage')
      .map((call) => call.fields.text);
    expect(replies).toEqual([
      caseOpenedReply({ caseNumber: 42, caseUrl: CASE_URL, person: 'U0ALICE', observableCount: 3 }).text,
      '⚠️ <@U0ALICE> Case #42 was opened, but a step after it failed: `not authorized`.',
    ]);
    const root = slack.filter((call) => call.method === 'chat.update').at(-1)!;
    expect(JSON.stringify(root.fields.blocks)).toContain(`"url":"${CASE_URL}"`);
    expect(JSON.stringify(root.fields.blocks)).not.toContain(`"action_id":"${CREATE_CASE}"`);
  });
});

describe('concurrent clicks', () => {
  it('fifty simultaneous clicks open exactly one case; the others are told privately', async () => {
    const record = await seed();
    const slack = mockSlack();
    const theHive = mockTheHive(healthyTheHive(record.fingerprint));
    const users = Array.from({ length: 50 }, (_, i) => `U0CLICK${String(i).padStart(2, '0')}`);

    const responses = await Promise.all(users.map((userId) => harness.click(record.fingerprint, { userId })));

    expect(responses.map((response) => response.status)).toEqual(users.map(() => 200));
    expect(harness.jobs).toHaveLength(1);
    const winner = harness.jobs[0]!.kind === 'create-case' ? harness.jobs[0]!.userId : '';
    const ephemerals = slack.filter((call) => call.method === 'chat.postEphemeral');
    expect(ephemerals.map((call) => call.fields.user).sort()).toEqual(users.filter((u) => u !== winner));
    for (const call of ephemerals)
      expect(call.fields.text).toBe(
        `A case is already being created for this alert (requested by <@${winner}>).`,
      );
    expect(slack.filter((call) => call.method === 'chat.update')).toHaveLength(1);

    await harness.work(1);
    expect(routes(theHive)).toEqual(['POST /api/v1/alert', 'POST /api/v1/alert/~4096/case']);

    slack.length = 0;
    await harness.click(record.fingerprint, { userId: 'U0LATE' });
    const escalated = (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    expect(slack).toEqual([
      {
        method: 'chat.postEphemeral',
        fields: expect.objectContaining({
          channel: 'C0SECOPS',
          user: 'U0LATE',
          text: alreadyEscalatedEphemeral(escalated).text,
        }),
      },
    ]);
    expect(slack[0]!.fields.text).toContain(CASE_URL);
    expect(harness.jobs).toEqual([]);
    // Fifty clicks through Bolt and the store: seconds, and 30 s at a load average of 20 on 2 cores.
  }, 180_000);
});

describe('a worker that crashed after TheHive answered', () => {
  it('finds its alert again on the retry and promotes it once', async () => {
    const record = await seed();
    mockSlack();
    let alertCreates = 0;
    let promotions = 0;
    const theHive = mockTheHive((request) => {
      if (request.path === '/api/v1/alert') {
        alertCreates += 1;
        return alertCreates === 1
          ? [201, theHiveAlert({ sourceRef: record.fingerprint })]
          : [
              400,
              {
                type: 'CreateError',
                message: `Alert hivewire:guardduty:${record.fingerprint} already exists`,
              },
            ];
      }
      if (request.path === '/api/v1/alert/~4096/case') {
        promotions += 1;
        return promotions === 1
          ? [500, { type: 'InternalError', message: 'database unavailable' }]
          : [201, theHiveCase()];
      }
      if (request.path === '/api/v1/alert/~4096')
        return [200, theHiveAlert({ sourceRef: record.fingerprint })];
      if (request.path === '/api/v1/query') return [200, [theHiveAlert({ sourceRef: record.fingerprint })]];
      return [201, theHiveComment()];
    });
    await harness.click(record.fingerprint);

    expect(await harness.work(3)).toEqual([{ job: expect.anything(), attempts: 2 }]);

    expect(routes(theHive)).toEqual([
      'POST /api/v1/alert',
      'POST /api/v1/alert/~4096/case',
      'GET /api/v1/alert/~4096',
      'POST /api/v1/alert',
      'POST /api/v1/query',
      'POST /api/v1/alert/~4096/case',
    ]);
    expect(theHive[4]!.body).toEqual({
      query: [{ _name: 'getAlert', idOrName: `hivewire;guardduty;${record.fingerprint}` }],
    });
    expect(await harness.deps.store.getAlert(record.fingerprint)).toMatchObject({
      state: 'escalated',
      caseId: CASE_ID,
    });
  });
});

describe('TheHive failing', () => {
  it('retries a 500 inside the client and opens one case', async () => {
    const record = await seed();
    mockSlack();
    let creates = 0;
    const healthy = healthyTheHive(record.fingerprint);
    const theHive = mockTheHive((request) => {
      if (request.path === '/api/v1/alert' && ++creates === 1)
        return [500, { type: 'InternalError', message: 'try again' }];
      return healthy(request);
    });
    harness.useTheHive({ retries: 2 });
    await harness.click(record.fingerprint);

    expect(await harness.work(1)).toEqual([{ job: expect.anything(), attempts: 1 }]);

    expect(routes(theHive)).toEqual([
      'POST /api/v1/alert',
      'POST /api/v1/alert',
      'POST /api/v1/alert/~4096/case',
    ]);
    expect((await harness.deps.store.getAlert(record.fingerprint))?.caseId).toBe(CASE_ID);
  });

  it('waits as long as Retry-After says after a 429', async () => {
    const record = await seed();
    mockSlack();
    let creates = 0;
    const healthy = healthyTheHive(record.fingerprint);
    const theHive = mockTheHive((request) => {
      if (request.path === '/api/v1/alert' && ++creates === 1)
        return [429, { type: 'TooManyRequests', message: 'slow down' }, { 'Retry-After': '1' }];
      return healthy(request);
    });
    const waits: number[] = [];
    harness.useTheHive({ retries: 2, sleep: async (ms) => void waits.push(ms) });
    await harness.click(record.fingerprint);

    await harness.work(1);

    expect(waits).toEqual([1000]);
    expect(routes(theHive).slice(0, 2)).toEqual(['POST /api/v1/alert', 'POST /api/v1/alert']);
    expect((await harness.deps.store.getAlert(record.fingerprint))?.caseId).toBe(CASE_ID);
  });

  it('gives up at once on a 401, tells the thread in plain words and gives the button back', async () => {
    const record = await seed();
    const slack = mockSlack();
    const theHive = mockTheHive(() => [
      401,
      { type: 'AuthenticationError', message: 'Authentication failure' },
    ]);
    harness.useTheHive({ retries: 4 });
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });
    const job = harness.jobs[0];

    expect(await harness.work(5)).toEqual([{ job, attempts: 1 }]);

    expect(routes(theHive)).toEqual(['POST /api/v1/alert']);
    const after = (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    expect(after).toMatchObject({ state: 'open', lastError: AUTH_FAILURE });
    expect(after.escalatedBy).toBeUndefined();
    expect(slack.map((call) => call.method)).toEqual(['chat.update', 'chat.postMessage', 'chat.update']);
    expect(slack[1]!.fields).toMatchObject({
      thread_ts: ALERT_TS,
      text: escalationFailedReply({ reason: AUTH_FAILURE, person: 'U0ALICE' }).text,
    });
    expect(slack[1]!.fields.text).toContain("TheHive refused Hivewire's credentials (HTTP 401)");
    expect(slack[2]!.fields.blocks).toEqual(renderAlert(after, harness.config).blocks);
    expect(JSON.stringify(slack[2]!.fields.blocks)).toContain(`"action_id":"${CREATE_CASE}"`);
    expect(await harness.deps.store.listDeadLetters(10)).toEqual([
      expect.objectContaining({ kind: 'job:create-case', payload: job, error: 'Authentication failure' }),
    ]);
    const audit = await harness.deps.store.listAudit(record.fingerprint);
    expect(audit.map((event) => event.action)).toEqual(['escalation-requested', 'error']);
    expect(audit[1]!.details).toEqual({ step: 'create-case', reason: AUTH_FAILURE, requestedBy: 'U0ALICE' });
    // A refused API key is an outage, unlike TheHive's 400 for an alert that exists.
    expect(countsOf(harness.metrics)).toEqual({
      'EscalationsRequested/-': 1,
      'TheHiveCallFailures/-': 1,
      'DeadLettersWritten/-': 1,
      'EscalationsFailed/-': 1,
    });
  });

  it('retries a timeout, reports it after the last attempt, and a new click then opens the case', async () => {
    const record = await seed();
    const slack = mockSlack();
    const slow = mockTheHive(() => [201, theHiveAlert()], { delayMs: 150 });
    harness.useTheHive({ retries: 1, timeoutMs: 20 });
    await harness.click(record.fingerprint, { userId: 'U0ALICE' });

    expect(await harness.work(2)).toEqual([{ job: expect.anything(), attempts: 2 }]);

    expect(routes(slow)).toEqual([
      'POST /api/v1/alert',
      'POST /api/v1/alert',
      'POST /api/v1/alert',
      'POST /api/v1/alert',
    ]);
    const reason = 'TheHive could not be reached (POST /api/v1/alert timed out after 20 ms (2 attempts))';
    expect(await harness.deps.store.getAlert(record.fingerprint)).toMatchObject({
      state: 'open',
      lastError: reason,
    });
    expect(slack.find((call) => call.method === 'chat.postMessage')?.fields.text).toBe(
      escalationFailedReply({ reason, person: 'U0ALICE' }).text,
    );

    nock.cleanAll();
    mockSlack();
    const theHive = mockTheHive(healthyTheHive(record.fingerprint));
    // TheHive is back: the client's usual deadline, so a slow test machine cannot time it out again.
    harness.useTheHive({ retries: 1 });
    const again = await harness.click(record.fingerprint, { userId: 'U0BOB' });
    expect(again.status).toBe(200);
    await harness.work(2);

    expect(routes(theHive)).toEqual(['POST /api/v1/alert', 'POST /api/v1/alert/~4096/case']);
    const escalated = (await harness.deps.store.getAlert(record.fingerprint)) as AlertRecord;
    expect(escalated).toMatchObject({ state: 'escalated', caseId: CASE_ID, escalatedBy: 'U0BOB' });
    expect(escalated.lastError).toBeUndefined();
  });
});

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

describe('TheHive requests per escalation, counted at the HTTP layer', () => {
  it.each([1, 10, 100])('is 2 with %i observables', async (count) => {
    const record = makeAlertRecord({ finding: { observables: observables(count) } });
    await harness.seedAlert(record);
    mockSlack();
    const theHive = mockTheHive(healthyTheHive(record.fingerprint));

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
    const theHive = mockTheHive(healthyTheHive(record.fingerprint));
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
    // The alert's post is Slack's first recorded call: its permalink is SLACK_PERMALINK, built from the
    // workspace's URL that auth.test answers.
    mockSlack();

    const { results } = await ingestEvent(event, harness.deps);
    expect(results.map((result) => result.outcome)).toEqual(['posted']);
    const fingerprint = results[0]!.fingerprint;
    const theHive = mockTheHive(healthyTheHive(fingerprint));
    expect(((await harness.deps.store.getAlert(fingerprint)) as AlertRecord).permalink).toBe(SLACK_PERMALINK);
    await harness.click(fingerprint, { userId: 'U0ALICE' });
    await harness.work(1);

    const printed = await cli(
      ['case-request', '--requested-by', 'U0ALICE', '--permalink', SLACK_PERMALINK, join(ROOT, fixture)],
      { HIVEWIRE_CONFIG: configPath, SLACK_ALERT_CHANNEL: 'C0SECOPS', THEHIVE_URL },
    );
    expect(printed.code).toBe(0);
    const { requests } = JSON.parse(printed.stdout) as { requests: SentRequest[] };
    expect(
      requests.map((request) => ({ ...request, path: request.path.replace('{alertId}', ALERT_ID) })),
    ).toEqual(theHive);
  });
});
