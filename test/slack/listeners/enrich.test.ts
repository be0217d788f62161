import nock from 'nock';
import { ENRICH } from '../../../blocks/actions';
import { makeAlertRecord } from '../../helpers/alerts';
import {
  buttonClick,
  mockAuthTest,
  slackForm,
  startAnalystHarness,
  type AnalystHarness,
} from '../../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

let harness: AnalystHarness;
beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  // No intel keys: only RDAP answers, whatever the machine's environment holds.
  for (const key of ['VIRUSTOTAL_API_KEY', 'ABUSEIPDB_API_KEY', 'URLHAUS_API_KEY']) delete process.env[key];
  harness = await startAnalystHarness();
  mockAuthTest();
});
afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

describe('Enrich button', () => {
  it("looks the alert's indicators up (no keys: RDAP only) and threads the results", async () => {
    const alert = makeAlertRecord({
      finding: {
        observables: [
          { dataType: 'ip', data: '185.220.101.1', ioc: true },
          { dataType: 'ip', data: '10.1.2.3', ioc: false },
          { dataType: 'domain', data: 'evil-example.com', ioc: true },
        ],
      },
    });
    await harness.seedAlert(alert);
    let ephemeral: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (body) => {
        ephemeral = slackForm(body);
        return true;
      })
      .reply(200, { ok: true });

    const response = await harness.interact(buttonClick({ actionId: ENRICH, value: alert.fingerprint }));

    expect(response.status).toBe(200);
    expect(ephemeral.text).toBe('🔎 Looking up 2 indicators… the results will be threaded under the alert.');
    expect(harness.jobs).toEqual([
      {
        kind: 'lookup',
        targets: [
          { dataType: 'ip', value: '185.220.101.1' },
          { dataType: 'domain', value: 'evil-example.com' },
        ],
        userId: 'U0ANALYST',
        reply: { to: 'thread', fingerprint: alert.fingerprint },
        requestedAt: harness.clock.now.toISOString(),
      },
    ]);

    nock('https://rdap.org')
      .get('/ip/185.220.101.1')
      .reply(404, {})
      .get('/domain/evil-example.com')
      .reply(200, {
        ldhName: 'evil-example.com',
        entities: [
          { roles: ['registrar'], vcardArray: ['vcard', [['fn', {}, 'text', '<!channel> Registrar']]] },
        ],
        events: [
          {
            eventAction: 'registration',
            eventDate: new Date(harness.clock.now.getTime() - 3 * 86_400_000).toISOString(),
          },
        ],
      });
    let reply: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postMessage', (body) => {
        reply = slackForm(body);
        return true;
      })
      .reply(200, { ok: true, ts: '1764064999.000900' });

    await harness.runJobs();

    expect(reply.channel).toBe('C0SECOPS');
    expect(reply.thread_ts).toBe(alert.ts);
    const blocks = JSON.parse(reply.blocks ?? '[]') as { text?: { text: string } }[];
    expect(blocks[1]?.text?.text).toBe('*IP* `185.220.101.1`\n*RDAP*: no registry knows this address');
    const registered = new Date(harness.clock.now.getTime() - 3 * 86_400_000).toISOString().slice(0, 10);
    expect(blocks[2]?.text?.text).toBe(
      `*Domain* \`evil-example.com\`\n*RDAP*: 🆕 registered ${registered} (3 days ago) · registrar \`&lt;!channel&gt; Registrar\``,
    );
    const audit = await harness.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((e) => [e.action, e.details?.count, e.details?.sources])).toEqual([
      ['lookup', 2, ['RDAP']],
    ]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('says privately when the alert has no indicators, and queues nothing', async () => {
    const alert = makeAlertRecord({
      finding: { observables: [{ dataType: 'other', data: 'jdoe', ioc: false }] },
    });
    await harness.seedAlert(alert);
    let ephemeral: Record<string, string> = {};
    nock('https://slack.com')
      .post('/api/chat.postEphemeral', (body) => {
        ephemeral = slackForm(body);
        return true;
      })
      .reply(200, { ok: true });
    await harness.interact(buttonClick({ actionId: ENRICH, value: alert.fingerprint }));
    expect(ephemeral.text).toBe(
      'This alert has no indicators to look up (public IPs, domains, URLs or hashes).',
    );
    expect(harness.jobs).toEqual([]);
  });
});
