import nock from 'nock';
import { THRESHOLD_SETTING } from '../../../src/alerts/threshold';
import { parseCommand } from '../../../src/slack/listeners/command';
import { makeAlertRecord } from '../../helpers/alerts';
import {
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  THEHIVE_URL,
  type AnalystHarness,
} from '../../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const CONFIG = `
slack:
  admins: [U0ALICE]
  adminGroups: [S0SECLEADS]
customers:
  acme: { severityThreshold: LOW }
`;
const RESPONSE_URL = 'https://hooks.slack.com/commands/T0TEST/1/abc';

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

async function run(text: string, userId = 'U0ALICE') {
  const response = await harness.command({
    command: '/hivewire',
    text,
    user_id: userId,
    user_name: 'someone',
    channel_id: 'C0SECOPS',
    channel_name: 'secops',
    response_url: RESPONSE_URL,
    trigger_id: '1.2.3',
    api_app_id: 'A0HIVEWIRE',
  });
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as {
    response_type: string;
    text: string;
    blocks: { text?: { text: string } }[];
  };
}

describe('parseCommand', () => {
  it('reads each subcommand and names what is wrong with bad arguments', () => {
    expect(parseCommand('')).toEqual({ kind: 'help' });
    expect(parseCommand('  threshold  high ')).toEqual({ kind: 'threshold', level: 'HIGH' });
    expect(parseCommand('threshold info')).toEqual({ kind: 'threshold', level: 'INFORMATIONAL' });
    expect(parseCommand('threshold severe')).toEqual({
      kind: 'usage',
      problem: 'That is not a severity level.',
      topic: 'threshold',
    });
    expect(parseCommand('case #42')).toEqual({ kind: 'case', caseNumber: 42 });
    expect(parseCommand('case 42 43')).toEqual({
      kind: 'usage',
      problem: 'Give one case number.',
      topic: 'case',
    });
    expect(parseCommand('lookup 8.8.8.8 evil[.]com')).toEqual({ kind: 'lookup', text: '8.8.8.8 evil[.]com' });
    expect(parseCommand('lookup')).toEqual({
      kind: 'usage',
      problem: 'Give something to look up.',
      topic: 'lookup',
    });
    expect(parseCommand('<!channel>')).toEqual({
      kind: 'usage',
      problem: '`&lt;!channel&gt;` is not a /hivewire command.',
    });
  });
});

describe('/hivewire help and usage', () => {
  it('answers help privately in the acknowledgement', async () => {
    const answer = await run('help');
    expect(answer.response_type).toBe('ephemeral');
    expect(answer.text).toBe('Hivewire help: /hivewire threshold | case | lookup | sla | help');
    expect(answer.blocks[0]?.text?.text).toContain(
      '`/hivewire lookup VALUES…` looks up IPs, domains, URLs and hashes',
    );
  });

  it('answers an unknown subcommand with the usage of every subcommand', async () => {
    const answer = await run('escalate everything');
    expect(answer.text).toBe('⚠️ `escalate` is not a /hivewire command.');
    expect(answer.blocks[0]?.text?.text).toContain('`/hivewire case 42` shows case #42');
  });
});

describe('/hivewire threshold', () => {
  it('shows the configured threshold and the customers that have their own to anyone', async () => {
    const answer = await run('threshold', 'U0NOBODY');
    expect(answer.text).toBe(
      'Findings below *MEDIUM* are not posted: the configured default.\nCustomers with their own threshold: `acme` LOW',
    );
  });

  it('lets an admin set it: stored for ingest, audited with before and after', async () => {
    const answer = await run('threshold high', 'U0ALICE');
    expect(answer.text).toBe(
      '✅ <@U0ALICE> set the severity threshold: *MEDIUM* → *HIGH*. New findings below HIGH are not posted.',
    );
    await expect(harness.deps.store.getSetting(THRESHOLD_SETTING)).resolves.toBe('HIGH');
    const audit = await harness.deps.store.listAudit('settings');
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['threshold-changed', { kind: 'slack', id: 'U0ALICE' }, { from: 'MEDIUM', to: 'HIGH' }],
    ]);
    const shown = await run('threshold', 'U0NOBODY');
    expect(shown.text).toContain(
      'Findings below *HIGH* are not posted: set with `/hivewire threshold` (the configured default is MEDIUM).',
    );
  });

  it('lets a member of an admin user group set it, asking Slack for the group members', async () => {
    let asked: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/usergroups.users.list', (body) => {
        asked = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, users: ['U0BOB', 'U0CAROL'] });
    const answer = await run('threshold critical', 'U0BOB');
    expect(asked.usergroup).toBe('S0SECLEADS');
    expect(answer.text).toContain('*MEDIUM* → *CRITICAL*');
    await expect(harness.deps.store.getSetting(THRESHOLD_SETTING)).resolves.toBe('CRITICAL');
  });

  it('refuses anyone else with a clear message, changes nothing and audits the attempt', async () => {
    nock('https://slack.com')
      .post('/api/usergroups.users.list')
      .reply(200, { ok: true, users: ['U0BOB'] });
    const answer = await run('threshold low', 'U0MALLORY');
    expect(answer.text).toBe(
      '⛔ Only Hivewire admins may change the severity threshold (the users and user groups under `slack.admins` and `slack.adminGroups` in the config file). Anyone may read it with `/hivewire threshold`.',
    );
    await expect(harness.deps.store.getSetting(THRESHOLD_SETTING)).resolves.toBeUndefined();
    const audit = await harness.deps.store.listAudit('settings');
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      ['threshold-refused', { kind: 'slack', id: 'U0MALLORY' }, { requested: 'LOW' }],
    ]);
  });

  it('answers a level that is not a severity with the usage', async () => {
    const answer = await run('threshold 7');
    expect(answer.blocks[0]?.text?.text).toBe(
      '⚠️ That is not a severity level.\n• `/hivewire threshold` shows the severity threshold · `/hivewire threshold LEVEL` sets it (admins only), LEVEL one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL',
    );
  });
});

describe('/hivewire case', () => {
  it("shows the case's state, links to the thread and to TheHive, and the timeline", async () => {
    const alert = makeAlertRecord({
      state: 'escalated',
      caseId: '~41',
      caseNumber: 42,
      caseUrl: `${THEHIVE_URL}/cases/~41/details`,
      case: { status: 'InProgress', stage: 'InProgress', assignee: 'bob@example.com' },
      escalatedBy: 'U0ALICE',
    });
    await harness.seedAlert(alert);
    const { store } = harness.deps;
    await store.appendAudit({
      fingerprint: alert.fingerprint,
      actor: { kind: 'system' },
      action: 'received',
      details: { source: 'guardduty' },
      at: '2026-11-25T10:00:00.000Z',
    });
    await store.appendAudit({
      fingerprint: alert.fingerprint,
      actor: { kind: 'slack', id: 'U0ALICE' },
      action: 'escalation-requested',
      at: '2026-11-25T10:05:00.000Z',
    });
    await store.appendAudit({
      fingerprint: alert.fingerprint,
      actor: { kind: 'thehive', id: 'bob@example.com' },
      action: 'status-changed',
      details: { before: { status: 'New' }, after: { status: 'InProgress' } },
      at: '2026-11-25T10:30:00.000Z',
    });

    const answer = await run('case 42', 'U0NOBODY');

    expect(answer.text).toBe('Case #42: `InProgress`');
    expect(answer.blocks[0]?.text?.text).toBe(
      '*Case #42* · `InProgress` (`InProgress`) · assigned to `bob@example.com`\n' +
        'HIGH · `API ListBuckets was invoked from a Tor exit node`\n' +
        `<https://example.slack.com/archives/C0SECOPS/p1764064800000100|Slack thread> · <${THEHIVE_URL}/cases/~41/details|Open in TheHive>`,
    );
    expect(answer.blocks[1]?.text?.text).toBe(
      '*Timeline*\n' +
        '• 2026-11-25 10:00 UTC · Hivewire · finding received from `guardduty`\n' +
        '• 2026-11-25 10:05 UTC · <@U0ALICE> · Create Case clicked\n' +
        '• 2026-11-25 10:30 UTC · TheHive `bob@example.com` · case status `New` → `InProgress`',
    );
  });

  it('says when no alert is linked to the case', async () => {
    const answer = await run('case 7');
    expect(answer.text).toBe('No Hivewire alert is linked to case #7.');
  });

  it('answers a case that is not a number with the usage', async () => {
    const answer = await run('case abc');
    expect(answer.text).toBe('⚠️ Give one case number.');
  });
});

describe('/hivewire lookup', () => {
  const KEYS = { VIRUSTOTAL_API_KEY: 'vt-key', ABUSEIPDB_API_KEY: 'abuse-key', URLHAUS_API_KEY: 'uh-key' };
  // The keys are the environment the composition root hands the analyst clients.
  beforeEach(async () => {
    await harness.close();
    harness = await startAnalystHarness(CONFIG, { ...process.env, ...KEYS });
  });

  it('acknowledges at once, then answers on the response URL with every service, one failing not hiding the others', async () => {
    const answer = await run(
      'lookup seen hxxps://login-micr0soft[.]com/owa and 185.220.101[.]1, also 10.0.0.5',
    );
    expect(answer.text).toBe(
      '🔎 Looking up 2 indicators… results follow here.\nNot looked up: `10.0.0.5` (private address)',
    );
    expect(harness.jobs).toEqual([
      {
        kind: 'lookup',
        targets: [
          { dataType: 'url', value: 'https://login-micr0soft.com/owa' },
          { dataType: 'ip', value: '185.220.101.1' },
        ],
        userId: 'U0ALICE',
        reply: { to: 'response-url', url: RESPONSE_URL },
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);

    nock('https://rdap.org')
      .get('/ip/185.220.101.1')
      .reply(200, {
        name: 'TOR-EXIT',
        startAddress: '185.220.101.0',
        endAddress: '185.220.101.255',
        country: 'DE',
        entities: [
          { roles: ['registrant'], vcardArray: ['vcard', [['fn', {}, 'text', 'Example Relays e.V.']]] },
        ],
        events: [{ eventAction: 'registration', eventDate: '2019-05-01T00:00:00Z' }],
      });
    nock('https://www.virustotal.com', { reqheaders: { 'x-apikey': 'vt-key' } })
      .get('/api/v3/ip_addresses/185.220.101.1')
      .reply(200, {
        data: {
          id: '185.220.101.1',
          attributes: {
            last_analysis_stats: { malicious: 12, suspicious: 2, harmless: 50, undetected: 30 },
            reputation: -40,
          },
        },
      })
      .get(/^\/api\/v3\/urls\//)
      .reply(500, 'boom');
    nock('https://api.abuseipdb.com', { reqheaders: { Key: 'abuse-key' } })
      .get('/api/v2/check')
      .query({ ipAddress: '185.220.101.1', maxAgeInDays: '90' })
      .reply(200, {
        data: {
          ipAddress: '185.220.101.1',
          abuseConfidenceScore: 100,
          totalReports: 2000,
          numDistinctUsers: 300,
          isTor: true,
          countryCode: 'DE',
        },
      });
    nock('https://urlhaus-api.abuse.ch', { reqheaders: { 'Auth-Key': 'uh-key' } })
      .post('/v1/url/', 'url=https%3A%2F%2Flogin-micr0soft.com%2Fowa')
      .reply(200, {
        query_status: 'ok',
        threat: 'malware_download',
        url_status: 'online',
        tags: ['phishing'],
        urlhaus_reference: 'https://urlhaus.abuse.ch/url/99/',
      })
      .post('/v1/host/', 'host=185.220.101.1')
      .reply(200, { query_status: 'no_results' });
    let posted: {
      response_type?: string;
      replace_original?: boolean;
      text?: string;
      blocks?: { text?: { text: string } }[];
    } = {};
    nock('https://hooks.slack.com')
      .post('/commands/T0TEST/1/abc', (body) => {
        posted = body;
        return true;
      })
      .reply(200, 'ok');

    await harness.runJobs();

    expect(posted.response_type).toBe('ephemeral');
    expect(posted.replace_original).toBe(false);
    expect(posted.text).toBe('Threat-intel lookup: 2 indicators, 2 flagged');
    expect(posted.blocks?.[1]?.text?.text).toBe(
      '*URL* `https://login-micr0soft.com/owa`\n' +
        '⚠️ `VirusTotal: answered HTTP 500`\n' +
        '*URLhaus*: 🔴 listed · `malware_download` · `online` · tags `phishing` · <https://urlhaus.abuse.ch/url/99/|entry>',
    );
    expect(posted.blocks?.[2]?.text?.text).toBe(
      '*IP* `185.220.101.1`\n' +
        '*RDAP*: network `TOR-EXIT` · `185.220.101.0 - 185.220.101.255` · owner `Example Relays e.V.` · `DE` · registered 2019-05-01\n' +
        '*VirusTotal*: 🔴 12 malicious, 2 suspicious of 94 engines · reputation -40 · <https://www.virustotal.com/gui/ip-address/185.220.101.1|report>\n' +
        '*AbuseIPDB*: 🔴 confidence 100% · 2000 reports from 300 users · Tor exit node · <https://www.abuseipdb.com/check/185.220.101.1|report>\n' +
        '*URLhaus*: not listed',
    );
    const audit = await harness.deps.store.listAudit('lookups');
    expect(audit.map((e) => [e.action, e.actor, e.details])).toEqual([
      [
        'lookup',
        { kind: 'slack', id: 'U0ALICE' },
        {
          count: 2,
          targets: ['url:https://login-micr0soft.com/owa', 'ip:185.220.101.1'],
          sources: ['RDAP', 'VirusTotal', 'AbuseIPDB', 'URLhaus'],
          failed: ['VirusTotal'],
        },
      ],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('answers text with nothing to look up with the usage', async () => {
    const answer = await run('lookup just some words');
    expect(answer.blocks[0]?.text?.text).toContain(
      '⚠️ No IP address, domain, URL or hash found in that text.',
    );
    expect(harness.jobs).toEqual([]);
  });
});
