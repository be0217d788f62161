/**
 * Ingest as a use case: findings become one Slack alert each, edited as the same finding comes back.
 * The store is dynalite in memory; Slack is mocked with nock at the HTTP layer, so every Web API call
 * (method and form body) is asserted as Slack would receive it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { ingestEvent, ingestFinding } from '../../src/alerts/ingest';
import { THRESHOLD_SETTING } from '../../src/alerts/threshold';
import type { NormalisedFinding } from '../../src/domain/finding';
import { parseEvent } from '../../src/findings/parse';
import { SlackDeliveryError } from '../../src/slack/delivery';
import { updateAlert } from '../../src/store/store';
import { makeFinding } from '../helpers/alerts';
import { countsOf } from '../helpers/metrics';
import { slackForm, startAnalystHarness, type AnalystHarness } from '../helpers/analyst';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

const CONFIG = `
accounts:
  "111122223333": { name: payments-prod, customer: acme }
customers:
  acme: { channel: C0ACME }
users:
  jdoe: jdoe@corp.example
triage:
  autoAsk: ['UnauthorizedAccess:IAMUser/*']
responseActions:
  - id: disable-key
    label: Disable access key
    findingTypes: ['UnauthorizedAccess:IAMUser/*']
    ssmDocument: AWSConfigRemediation-RevokeUnusedIAMUserCredentials
`;

const ROOT_TS = '1795582800.000100';
const BOT_ID = 'B0HIVEWIRE';
const REPLY_TS = '1795582900.000200';
/** The workspace's URL, as `auth.test` answers it; the permalink is built from it as Slack builds its own. */
const WORKSPACE_URL = 'https://example.slack.com/';
const PERMALINK = 'https://example.slack.com/archives/C0ACME/p1795582800000100';

interface SlackCall {
  method: string;
  body: Record<string, string>;
}

/** How the mocked Slack answers `chat.postMessage`: fine, an HTTP 500, or a Slack error. */
let postMode: 'ok' | 'http-500' | 'channel_not_found' = 'ok';
let calls: SlackCall[] = [];
/** What the mocked channel's `conversations.history` holds. */
let history: unknown[] = [];
let harness: AnalystHarness;

function mockSlack(): void {
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.*/)
    .reply((uri, body) => {
      const method = uri.replace('/api/', '');
      const form = slackForm(body);
      calls.push({ method, body: form });
      if (method === 'chat.postMessage' && !form.thread_ts) {
        if (postMode === 'http-500') return [500, 'upstream error'];
        if (postMode === 'channel_not_found') return [200, { ok: false, error: 'channel_not_found' }];
        return [200, { ok: true, channel: form.channel, ts: ROOT_TS }];
      }
      if (method === 'chat.postMessage') return [200, { ok: true, channel: form.channel, ts: REPLY_TS }];
      if (method === 'conversations.history') return [200, { ok: true, messages: history, has_more: false }];
      if (method === 'auth.test')
        return [200, { ok: true, url: WORKSPACE_URL, user_id: 'U0HIVEWIRE', bot_id: BOT_ID }];
      return [200, { ok: true, channel: form.channel, ts: form.ts }];
    });
}

function fixture(path: string): unknown {
  return JSON.parse(readFileSync(join(__dirname, '../../fixtures', path), 'utf8'));
}

/** The finding as the parser hands it to ingest (no customer yet: ingest enriches). */
function normalised(overrides: Partial<NormalisedFinding> = {}): NormalisedFinding {
  const { customer: _customer, accountName: _accountName, ...finding } = makeFinding();
  return { ...finding, ...overrides };
}

/** "seen N times" as the alert message's context line says it. */
function seenIn(call: SlackCall): string | undefined {
  return /seen (once|\d+ times)/.exec(call.body.blocks ?? '')?.[0];
}

/** Marks the alert ignored, as the Ignore button does. */
async function ignore(fingerprint: string): Promise<void> {
  await updateAlert(harness.deps.store, fingerprint, (alert) => ({
    ...alert,
    state: 'ignored',
    ignoredBy: 'U0ANALYST',
  }));
}

/**
 * The calls of a post that first looks for an earlier unconfirmed one (this bot's id, the channel's
 * history), in a process that has not yet asked Slack who the bot is (`auth.test`, asked once).
 */
const LOOKED_UP_THEN_POSTED = ['auth.test', 'conversations.history', 'chat.postMessage'];
/** The same in a process that already knows the bot (and its workspace's URL). */
const LOOKED_UP_THEN_POSTED_KNOWN = ['conversations.history', 'chat.postMessage'];

const methods = () => calls.map(({ method, body }) => (body.thread_ts ? `${method} (thread)` : method));

beforeEach(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  mockSlack();
  postMode = 'ok';
  calls = [];
  history = [];
  harness = await startAnalystHarness(CONFIG);
});

afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

describe('a new finding', () => {
  it("posts once to its customer's channel, without unfurls, with the alert metadata, and builds its permalink from the workspace's URL", async () => {
    const finding = normalised();
    await expect(ingestFinding(finding, harness.deps)).resolves.toEqual({
      fingerprint: finding.fingerprint,
      outcome: 'posted',
    });
    expect(methods()).toEqual(['chat.postMessage', 'auth.test']);
    const post = calls[0]!.body;
    expect(post.channel).toBe('C0ACME');
    expect(post.unfurl_links).toBe('false');
    expect(JSON.parse(post.metadata!)).toEqual({
      event_type: 'hivewire_alert',
      event_payload: { fingerprint: finding.fingerprint, state: 'open' },
    });
    expect(seenIn(calls[0]!)).toBe('seen 12 times');
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({
      channel: 'C0ACME',
      ts: ROOT_TS,
      permalink: PERMALINK,
      count: 12,
      state: 'open',
    });
  });

  it('costs one Slack call each once the workspace is known: no chat.getPermalink round trip per finding', async () => {
    const first = normalised();
    await ingestFinding(first, harness.deps);
    calls = [];
    const others = ['gd-0a1b2c3d4e5f6a7b', 'gd-1a1b2c3d4e5f6a7b', 'gd-2a1b2c3d4e5f6a7b'];
    for (const fingerprint of others) await ingestFinding(normalised({ fingerprint }), harness.deps);
    expect(methods()).toEqual(others.map(() => 'chat.postMessage'));
    for (const fingerprint of others)
      expect((await harness.deps.store.getAlert(fingerprint))?.permalink).toBe(PERMALINK);
  });

  it('carries the response actions configured for its type, and none for other types', async () => {
    await ingestFinding(normalised(), harness.deps);
    await ingestFinding(
      normalised({ fingerprint: 'gd-0a1b2c3d4e5f6a7b', type: 'Recon:EC2/PortProbeUnprotectedPort' }),
      harness.deps,
    );
    const posts = calls.filter(({ method }) => method === 'chat.postMessage');
    const responseButtons = posts.map(({ body }) =>
      (JSON.parse(body.blocks!) as { block_id?: string; elements?: { action_id: string }[] }[])
        .filter((block) => block.block_id === 'hivewire.response_actions')
        .flatMap((block) => block.elements!.map((element) => element.action_id)),
    );
    expect(responseButtons).toEqual([['hivewire.response_action.disable-key'], []]);
  });

  it('goes to the default channel when its account belongs to no configured customer', async () => {
    await ingestFinding(normalised({ accountId: '444455556666' }), harness.deps);
    expect(methods()).toEqual(['chat.postMessage', 'auth.test']);
    expect(calls[0]!.body.channel).toBe('C0SECOPS');
  });

  it('below the severity threshold is not posted', async () => {
    const finding = normalised({ severity: 'LOW' });
    await expect(ingestFinding(finding, harness.deps)).resolves.toEqual({
      fingerprint: finding.fingerprint,
      outcome: 'below-threshold',
    });
    expect(calls).toEqual([]);
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toBeUndefined();
  });

  it('follows the threshold set at runtime in the store', async () => {
    await harness.deps.store.putSetting(THRESHOLD_SETTING, 'LOW');
    const result = await ingestFinding(normalised({ severity: 'LOW' }), harness.deps);
    expect(result.outcome).toBe('posted');
    expect(methods()).toEqual(['chat.postMessage', 'auth.test']);
  });
});

describe('the same finding again', () => {
  it('with a higher count edits the message in place', async () => {
    await ingestFinding(normalised(), harness.deps);
    calls = [];
    const result = await ingestFinding(
      normalised({ count: 13, lastSeen: '2026-11-25T11:00:00.000Z', updatedAt: '2026-11-25T11:00:00.000Z' }),
      harness.deps,
    );
    expect(result.outcome).toBe('updated');
    expect(methods()).toEqual(['chat.update']);
    expect(calls[0]!.body).toMatchObject({ channel: 'C0ACME', ts: ROOT_TS });
    expect(seenIn(calls[0]!)).toBe('seen 13 times');
  });

  it('with nothing newer (a redelivery) calls Slack not at all', async () => {
    await ingestFinding(normalised(), harness.deps);
    calls = [];
    await expect(ingestFinding(normalised(), harness.deps)).resolves.toMatchObject({ outcome: 'unchanged' });
    expect(calls).toEqual([]);
  });

  it('with a higher severity edits the message and says so in the thread', async () => {
    await ingestFinding(normalised(), harness.deps);
    calls = [];
    await ingestFinding(normalised({ severity: 'CRITICAL', count: 13 }), harness.deps);
    expect(methods()).toEqual(['chat.update', 'chat.postMessage (thread)']);
    expect(calls[1]!.body).toMatchObject({ channel: 'C0ACME', thread_ts: ROOT_TS });
    expect(calls[1]!.body.text).toBe('⬆️ Severity rose HIGH → CRITICAL.');
  });

  it('after it was ignored edits the message quietly and keeps it ignored', async () => {
    const finding = normalised();
    await ingestFinding(finding, harness.deps);
    await ignore(finding.fingerprint);
    calls = [];
    await ingestFinding({ ...finding, count: 13 }, harness.deps);
    expect(methods()).toEqual(['chat.update']);
    expect(calls[0]!.body.blocks).toContain('Ignored');
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({ state: 'ignored' });
  });

  it('after it was ignored, with a higher severity, reopens it with a thread reply', async () => {
    const finding = normalised();
    await ingestFinding(finding, harness.deps);
    await ignore(finding.fingerprint);
    calls = [];
    await ingestFinding({ ...finding, severity: 'CRITICAL' }, harness.deps);
    expect(methods()).toEqual(['chat.update', 'chat.postMessage (thread)']);
    expect(calls[0]!.body.blocks).not.toContain('Ignored');
    expect(calls[1]!.body.text).toBe('⬆️ Severity rose HIGH → CRITICAL. It was ignored and is open again.');
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({
      state: 'open',
      severity: 'CRITICAL',
    });
  });
});

describe('deliveries at the same time', () => {
  it('of the same finding post one message', async () => {
    const finding = normalised();
    await Promise.all([ingestFinding(finding, harness.deps), ingestFinding(finding, harness.deps)]);
    expect(methods().filter((method) => method === 'chat.postMessage')).toEqual(['chat.postMessage']);
  });

  it('with counts 1 and 2 post one message that ends showing count 2', async () => {
    await Promise.all([
      ingestFinding(normalised({ count: 1 }), harness.deps),
      ingestFinding(normalised({ count: 2 }), harness.deps),
    ]);
    expect(methods().filter((method) => method === 'chat.postMessage')).toEqual(['chat.postMessage']);
    const shown = calls.filter(({ method }) => method === 'chat.postMessage' || method === 'chat.update');
    expect(seenIn(shown[shown.length - 1]!)).toBe('seen 2 times');
    expect(await harness.deps.store.getAlert(normalised().fingerprint)).toMatchObject({ count: 2 });
  });
});

describe('one finding on two paths', () => {
  it('a GuardDuty finding and its Security Hub copy make one alert', async () => {
    const fromSecurityHub = await ingestEvent(fixture('aws/asff-guardduty-sshbruteforce.json'), harness.deps);
    const fromGuardDuty = await ingestEvent(
      fixture('derived/guardduty-event-sshbruteforce-from-asff.json'),
      harness.deps,
    );
    expect(fromSecurityHub.results).toHaveLength(1);
    expect(fromGuardDuty.results.map(({ fingerprint }) => fingerprint)).toEqual(
      fromSecurityHub.results.map(({ fingerprint }) => fingerprint),
    );
    expect(methods().filter((method) => method === 'chat.postMessage')).toEqual(['chat.postMessage']);
  });
});

describe('when Slack refuses the post', () => {
  it.each([
    ['an HTTP 500', 'http-500' as const],
    ['channel_not_found', 'channel_not_found' as const],
  ])('after %s the error propagates, no ts is kept, and a later delivery posts it', async (_name, mode) => {
    const finding = normalised();
    postMode = mode;
    const failure = await ingestFinding(finding, harness.deps).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(SlackDeliveryError);
    expect(failure).toMatchObject({ method: 'chat.postMessage' });
    if (mode === 'channel_not_found') expect(failure).toMatchObject({ code: 'channel_not_found' });
    const kept = await harness.deps.store.getAlert(finding.fingerprint);
    expect(kept?.ts).toBeUndefined();

    postMode = 'ok';
    calls = [];
    // The failed delivery gave its claim back: the retry posts at once, after looking in the channel
    // for a message the failed call may have left (Slack can store a post whose answer is lost).
    await ingestFinding(finding, harness.deps);
    expect(methods()).toEqual(LOOKED_UP_THEN_POSTED);
    expect(calls[1]?.body).toMatchObject({ channel: 'C0ACME', include_all_metadata: 'true' });
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({ ts: ROOT_TS });
    expect((await harness.deps.store.getAlert(finding.fingerprint))?.postAttemptedAt).toBeUndefined();
  });

  it('after a post whose answer was lost, the retry finds the message in the channel and does not post again', async () => {
    const finding = normalised();
    postMode = 'http-500';
    await expect(ingestFinding(finding, harness.deps)).rejects.toBeInstanceOf(SlackDeliveryError);
    // Slack stored it anyway. The channel also holds another alert, and another app's message copying
    // this alert's metadata: neither must be taken for it.
    const metadataOf = (fingerprint: string) => ({
      event_type: 'hivewire_alert',
      event_payload: { fingerprint },
    });
    history = [
      { ts: '1795582800.000400', bot_id: 'B0OTHERAPP', metadata: metadataOf(finding.fingerprint) },
      { ts: '1795582800.000300', bot_id: BOT_ID, metadata: metadataOf('other') },
      { ts: ROOT_TS, bot_id: BOT_ID, metadata: metadataOf(finding.fingerprint) },
    ];
    postMode = 'ok';
    calls = [];
    await ingestFinding(finding, harness.deps);
    expect(methods()).toEqual(['auth.test', 'conversations.history']);
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({
      ts: ROOT_TS,
      permalink: PERMALINK,
    });
  });
});

describe('a claim to post left by a process that stopped', () => {
  /** The record as a process killed after claiming the post leaves it. */
  async function leftClaimed(finding: NormalisedFinding): Promise<void> {
    await ingestFinding(finding, harness.deps);
    await updateAlert(harness.deps.store, finding.fingerprint, (alert) => ({
      ...alert,
      ts: undefined,
      permalink: undefined,
      postingSince: harness.clock.now.toISOString(),
      postingBy: 'process-that-stopped',
      postAttemptedAt: harness.clock.now.toISOString(),
    }));
    calls = [];
  }

  it('is taken over at once by the process that holds the store alone', async () => {
    const finding = normalised();
    await leftClaimed(finding);
    await ingestFinding(finding, { ...harness.deps, leases: { holder: 'this-process', alone: true } });
    expect(methods()).toEqual(LOOKED_UP_THEN_POSTED_KNOWN);
    expect(await harness.deps.store.getAlert(finding.fingerprint)).toMatchObject({ ts: ROOT_TS });
  });

  it('holds until it lapses where other processes may be posting (AWS)', async () => {
    const finding = normalised();
    await leftClaimed(finding);
    await ingestFinding(finding, { ...harness.deps, leases: { holder: 'this-process', alone: false } });
    expect(calls).toEqual([]);
    harness.clock.now = new Date(harness.clock.now.getTime() + 61_000);
    await ingestFinding(finding, harness.deps);
    expect(methods()).toEqual(LOOKED_UP_THEN_POSTED_KNOWN);
  });

  it('of this same process holds: another of its jobs is posting', async () => {
    const finding = normalised();
    await leftClaimed(finding);
    await ingestFinding(finding, {
      ...harness.deps,
      leases: { holder: 'process-that-stopped', alone: true },
    });
    expect(calls).toEqual([]);
  });
});

describe('malformed events', () => {
  it('are rejected naming the bad field and kept as dead letters, without a Slack call', async () => {
    const event = fixture('derived/guardduty-event-impact-s3-maliciousipcaller.json') as {
      detail: Record<string, unknown>;
    };
    const { severity: _severity, ...withoutSeverity } = event.detail;
    const broken = { ...event, detail: withoutSeverity };
    const expected = parseEvent(broken).rejected;

    const result = await ingestEvent(broken, harness.deps);
    expect(result.results).toEqual([]);
    expect(result.rejected).toEqual(expected);
    expect(result.rejected[0]!.error).toMatch(/severity/i);
    expect(calls).toEqual([]);
    const letters = await harness.deps.store.listDeadLetters(10);
    expect(letters.map(({ kind, error, payload }) => ({ kind, error, payload }))).toEqual([
      { kind: 'rejected-finding', error: result.rejected[0]!.error, payload: broken },
    ]);
  });

  it.each([
    ['a number', 42, 'input: expected a JSON object, got a number'],
    ['null', null, 'input: expected a JSON object, got null'],
    [
      'an ASFF array with a finding missing its ids',
      [{ SchemaVersion: '2018-10-08' }],
      '[0].Id: required; [0].ProductArn: required; [0].AwsAccountId: required',
    ],
    [
      'a GuardDuty event without type and severity',
      { 'detail-type': 'GuardDuty Finding', source: 'aws.guardduty', detail: { id: 'abc' } },
      'detail.type: required; detail.severity: required',
    ],
  ])(
    '%s is rejected naming the field, kept as a dead letter, and never crashes ingest',
    async (_name, event, error) => {
      const result = await ingestEvent(event, harness.deps);
      expect(result).toEqual({ results: [], skipped: [], rejected: [{ index: 0, error }] });
      expect(calls).toEqual([]);
      const letters = await harness.deps.store.listDeadLetters(10);
      expect(letters.map(({ kind, error: kept, payload }) => ({ kind, error: kept, payload }))).toEqual([
        { kind: 'rejected-finding', error, payload: event },
      ]);
    },
  );
});

describe('metrics', () => {
  const counts = () => countsOf(harness.metrics);

  it('counts every finding received and its outcome, by source', async () => {
    await ingestFinding(normalised(), harness.deps);
    await ingestFinding(
      normalised({ count: 13, lastSeen: '2026-11-25T11:00:00.000Z', updatedAt: '2026-11-25T11:00:00.000Z' }),
      harness.deps,
    );
    await ingestFinding(
      normalised({ count: 13, lastSeen: '2026-11-25T11:00:00.000Z', updatedAt: '2026-11-25T11:00:00.000Z' }),
      harness.deps,
    );
    await ingestFinding(
      normalised({ fingerprint: 'siem-low', source: 'siem', severity: 'LOW' }),
      harness.deps,
    );
    expect(counts()).toEqual({
      'FindingsReceived/guardduty': 3,
      'FindingsPosted/guardduty': 1,
      'FindingsUpdated/guardduty': 1,
      'FindingsSkipped/guardduty': 1,
      'FindingsReceived/siem': 1,
      'FindingsSkipped/siem': 1,
    });
  });

  it('counts rejected entries, with an unknown source, and the dead letter each is kept as', async () => {
    await ingestEvent([{ SchemaVersion: '2018-10-08' }], harness.deps);
    expect(counts()).toEqual({ 'FindingsRejected/unknown': 1, 'DeadLettersWritten/-': 1 });
  });

  it('times every Slack call and counts the ones that failed', async () => {
    postMode = 'channel_not_found';
    await ingestFinding(normalised(), harness.deps).catch(() => undefined);
    expect(counts()).toEqual({ 'FindingsReceived/guardduty': 1, 'SlackCallFailures/-': 1 });
    expect(harness.metrics.entries().find((entry) => entry.name === 'SlackCallLatency')).toMatchObject({
      unit: 'Milliseconds',
      count: 1,
    });
  });
});

describe('asking "was this you?" automatically', () => {
  it('queues the question for a new alert of a configured type', async () => {
    const finding = normalised();
    await ingestFinding(finding, harness.deps);
    expect(harness.jobs).toEqual([
      expect.objectContaining({
        kind: 'triage-ask',
        request: { origin: 'alert', fingerprint: finding.fingerprint, requestedBy: 'auto' },
      }),
    ]);
  });

  it('does not ask for other types, nor again when the alert is updated', async () => {
    await ingestFinding(normalised({ type: 'Recon:EC2/PortProbeUnprotectedPort' }), harness.deps);
    expect(harness.jobs).toEqual([]);
    const other = normalised({ fingerprint: 'gd-0a1b2c3d4e5f6a7b' });
    await ingestFinding(other, harness.deps);
    harness.jobs.length = 0;
    await ingestFinding({ ...other, count: 13 }, harness.deps);
    expect(harness.jobs).toEqual([]);
  });

  it('a failure to queue is logged, not thrown: the alert stays posted', async () => {
    harness.deps.queue = {
      enqueue: async () => {
        throw new Error('queue unavailable');
      },
    };
    await expect(ingestFinding(normalised(), harness.deps)).resolves.toMatchObject({ outcome: 'posted' });
  });
});
