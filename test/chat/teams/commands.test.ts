/**
 * `@Hivewire …` in a Teams channel and the alert card's other buttons, as Teams sends them: activities
 * signed with the sandbox tenant's key into the real `POST /teams/messages`, validated by the Teams SDK.
 * Answers are asserted where Teams would show them: in the mention's reply chain at the Bot Connector
 * stand-in, or as the click's private answer. Admins are `teams.admins`, by Entra object id or by
 * email (the email read from the team's roster through the connector); refusals are audited.
 */
import nock from 'nock';
import { ASK_USER, CREATE_CASE, ENRICH, IGNORE_MODAL } from '../../../blocks/actions';
import { responseActionId } from '../../../blocks/analyst/actions';
import { SETTINGS_AUDIT_KEY } from '../../../src/alerts/threshold';
import { alertView } from '../../../src/alerts/render';
import { LOOKUPS_AUDIT_KEY } from '../../../src/lookups/lookup';
import { createTeamsChat } from '../../../src/chat/teams/adapter';
import { teamsSettings } from '../../../src/chat/teams/settings';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, type TeamsPerson } from '../../../src/sandbox/teams-tenant';
import { makeAlertRecord } from '../../helpers/alerts';
import { THEHIVE_URL } from '../../helpers/analyst';
import { rdapOnlyOffline } from '../../helpers/offline-intel';
import { mockSlack, mockTheHive } from '../../helpers/escalation';
import { theHiveAlert, theHiveCase } from '../../clients/thehive/fixtures';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams';

const [alice, bob, carol] = SANDBOX_TEAMS_PEOPLE as [TeamsPerson, TeamsPerson, TeamsPerson];
const ISOLATE = 'arn:aws:lambda:eu-west-1:111122223333:function:hivewire-isolate';
const CONFIG = `
teams:
  admins: ['${alice.aadObjectId}', 'BOB@example.com']
responseActions:
  - id: isolate
    label: Isolate instance
    findingTypes: ['UnauthorizedAccess:IAMUser/*']
    lambda: ${ISOLATE}
`;
const channel = SANDBOX_TEAMS.channel.id;
/** The Teams SDK's default service URL (Teams' global one), where no answer should go in these tests. */
const ELSEWHERE = 'https://smba.trafficmanager.net';
let h: TeamsHarness;

beforeEach(async () => {
  h = await startTeamsHarness(CONFIG);
});
afterEach(async () => {
  await h.close();
});

/** `person` @mentions the bot in the alerts channel with `words`; resolves to the bot's reply's texts. */
/** `person`'s channel message `@Hivewire <words>`, as Teams sends it (the mention and its entity). */
function mentionActivity(person: TeamsPerson, words: string): Record<string, unknown> {
  const tag = `<at>${SANDBOX_TEAMS.botName}</at>`;
  return h.channelActivity(person, {
    type: 'message',
    text: `${tag} ${words}`,
    entities: [
      {
        type: 'mention',
        text: tag,
        mentioned: { id: `28:${SANDBOX_TEAMS.appId}`, name: SANDBOX_TEAMS.botName },
      },
    ],
  });
}

async function mention(
  person: TeamsPerson,
  words: string,
): Promise<{ texts: string[]; json: string; id: string }> {
  const activity = mentionActivity(person, words);
  const before = h.tenant.history(channel).length;
  expect((await h.send(activity)).status).toBe(200);
  const replies = h.tenant.history(channel).slice(before);
  expect(replies).toEqual([expect.objectContaining({ replyToId: activity.id })]);
  return { ...textsOf(replies[0]!), id: activity.id as string };
}

/** The TextBlock texts of a card Hivewire sent, and the card's JSON. */
function textsOf(activity: { attachments?: unknown }): { texts: string[]; json: string } {
  const json = JSON.stringify(activity.attachments);
  const texts = [...json.matchAll(/"type":"TextBlock","text":"((?:[^"\\]|\\.)*)"/g)].map(
    (match) => JSON.parse(`"${match[1]}"`) as string,
  );
  return { texts, json };
}

/** `person` clicks `action` on the alert card; resolves to Teams' private answer text. */
async function click(person: TeamsPerson, action: string, fingerprint: string): Promise<unknown> {
  const answer = await h.send(
    h.channelActivity(person, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      value: { action: { type: 'Action.Execute', verb: action, data: { action, fingerprint } } },
    }),
  );
  expect(answer.status).toBe(200);
  return (answer.body as { value: unknown }).value;
}

test('@Hivewire help answers in the mention’s reply chain', async () => {
  const { texts } = await mention(carol, 'help');
  expect(texts[0]).toMatch(/^Hivewire turns security findings into alerts/);
  expect(texts.join('\n')).toContain('@Hivewire threshold LEVEL sets it (admins only)');
});

test('a message Teams sends again (the bot took over 15 s) is answered once: one lookup, one reply', async () => {
  const activity = mentionActivity(carol, 'lookup evil-example[.]com');
  const before = h.tenant.history(channel).length;

  expect((await h.send(activity)).status).toBe(200);
  expect((await h.send(activity)).status).toBe(200);

  expect(h.tenant.history(channel).slice(before)).toEqual([
    expect.objectContaining({ replyToId: activity.id }),
  ]);
  expect(h.jobs.filter((job) => job.kind === 'lookup')).toHaveLength(1);
});

test('@Hivewire threshold: shown to anyone, set by an admin by object id or email, refused and audited otherwise', async () => {
  expect((await mention(carol, 'threshold')).texts).toEqual([
    'Findings below MEDIUM are not posted (the configured default).',
  ]);
  expect((await mention(carol, 'threshold high')).texts).toEqual([
    '⛔ Only Hivewire admins may change the severity threshold (teams.admins in the config file).',
  ]);
  expect((await mention(alice, 'threshold high')).texts).toEqual([
    '✅ Severity threshold set: MEDIUM → HIGH.',
  ]);
  // Bob is an admin by email: the connector's roster gives it (case aside).
  expect((await mention(bob, 'threshold critical')).texts).toEqual([
    '✅ Severity threshold set: HIGH → CRITICAL.',
  ]);
  expect((await mention(carol, 'threshold')).texts).toEqual([
    'Findings below CRITICAL are not posted (set with the threshold command).',
  ]);
  const audit = await h.deps.store.listAudit(SETTINGS_AUDIT_KEY);
  expect(audit.map((event) => [event.action, event.actor])).toEqual([
    ['threshold-refused', { kind: 'teams', id: carol.aadObjectId }],
    ['threshold-changed', { kind: 'teams', id: alice.aadObjectId }],
    ['threshold-changed', { kind: 'teams', id: bob.aadObjectId }],
  ]);
  expect((await mention(carol, 'threshold loud')).texts).toEqual([
    'That is not a severity level.',
    'Try @Hivewire help.',
  ]);
});

test('@Hivewire case 42 shows the case with its link; an unknown number says so', async () => {
  await h.seedAlert(
    makeAlertRecord({
      state: 'escalated',
      caseId: '~41',
      caseNumber: 42,
      caseUrl: `${THEHIVE_URL}/cases/~41/details`,
      case: { status: 'InProgress', stage: 'InProgress' },
      finding: { title: 'Tor **exit** [x](https://evil.example)' },
    }),
  );
  const found = await mention(carol, 'case 42');
  expect(found.texts).toEqual([
    'Case #42: Tor \\*\\*exit\\*\\* \\[x\\](hxxps://evil[.]example)',
    'HIGH · InProgress',
  ]);
  expect(found.json).toContain(`"url":"${THEHIVE_URL}/cases/~41/details"`);
  expect((await mention(carol, 'case 43')).texts).toEqual(['No case #43 is known to Hivewire.']);
});

test('Enrich and Ask the user queue the same jobs as Slack’s buttons, answering the clicker privately', async () => {
  const alert = makeAlertRecord({ state: 'open' });
  await h.seedAlert(alert);
  expect(await click(carol, ENRICH, alert.fingerprint)).toBe('Looking up 1 indicator…');
  expect(h.jobs).toContainEqual(
    expect.objectContaining({
      kind: 'lookup',
      targets: [{ dataType: 'ip', value: '198.51.100.23' }],
      userId: carol.aadObjectId,
      reply: { to: 'thread', fingerprint: alert.fingerprint, platform: 'teams' },
    }),
  );
  expect(await click(carol, ASK_USER, alert.fingerprint)).toBe(
    'Asking the person this finding is about "was this you?"… the answer will be threaded here.',
  );
  expect(await click(bob, ASK_USER, alert.fingerprint)).toBe(
    'A "was this you?" question is already waiting for an answer.',
  );
  expect(h.jobs.filter((job) => job.kind === 'triage-ask')).toEqual([
    expect.objectContaining({
      request: {
        origin: 'alert',
        fingerprint: alert.fingerprint,
        requestedBy: carol.aadObjectId,
        platform: 'teams',
        requestedByName: carol.name,
      },
    }),
  ]);
});

test('a response action runs for a Teams admin only; both clicks are audited', async () => {
  const alert = makeAlertRecord({ state: 'open' });
  await h.seedAlert(alert);
  const isolate = responseActionId('isolate');
  expect(await click(carol, isolate, alert.fingerprint)).toBe(
    'Only Hivewire admins may run Isolate instance.',
  );
  expect(h.jobs.filter((job) => job.kind === 'response-action')).toEqual([]);
  expect(await click(bob, isolate, alert.fingerprint)).toBe(
    "Running Isolate instance… the result goes in the alert's thread.",
  );
  expect(h.jobs.filter((job) => job.kind === 'response-action')).toEqual([
    expect.objectContaining({ fingerprint: alert.fingerprint, actionId: 'isolate', userId: bob.aadObjectId }),
  ]);
  const audit = await h.deps.store.listAudit(alert.fingerprint);
  expect(audit.map((event) => [event.action, event.actor])).toEqual([
    ['response-action-refused', { kind: 'teams', id: carol.aadObjectId }],
    ['response-action-requested', { kind: 'teams', id: bob.aadObjectId }],
  ]);
});

describe('what the worker answers goes in the Teams reply chain it was asked in', () => {
  rdapOnlyOffline();

  /** The alert, posted as a card in the channel by the Teams adapter, and stored with that post. */
  async function postedAlert() {
    expect((await h.send(h.installation(alice))).status).toBe(200);
    const alert = makeAlertRecord({ state: 'open' });
    const messageId = await h.deps.chats.teams!.postAlert(channel, alertView(alert, h.config));
    await h.seedAlert({ ...alert, posts: { teams: { channel, messageId } } });
    return { alert, messageId };
  }

  /** What Hivewire replied under `root` in the channel, oldest first. */
  const repliesTo = (root: string) =>
    h.tenant
      .history(channel)
      .filter((activity) => activity.replyToId === root)
      .map((activity) => textsOf(activity));

  test('@Hivewire lookup: started in the reply chain, results there from the worker, private addresses left out', async () => {
    const asked = await mention(carol, 'lookup evil-example[.]com 10.1.2.3');
    expect(asked.texts).toEqual([
      '🔎 Looking up 1 indicator… the results follow in this reply chain. Not looked up: 10.1.2.3 (private address).',
    ]);
    expect(h.jobs).toEqual([
      expect.objectContaining({
        kind: 'lookup',
        targets: [{ dataType: 'domain', value: 'evil-example.com' }],
        userId: carol.aadObjectId,
        reply: { to: 'chat', platform: 'teams', channel, messageId: asked.id, serviceUrl: h.serviceUrl },
      }),
    ]);
    const rdap = nock('https://rdap.org')
      .get('/domain/evil-example.com')
      .reply(200, { ldhName: 'evil-example.com', entities: [], events: [] });

    await h.runJobs();

    expect(rdap.isDone()).toBe(true);
    const replies = repliesTo(asked.id);
    expect(replies).toHaveLength(2);
    expect(replies[1]!.texts).toEqual([
      '🔎 **Threat-intel lookup** · 1 indicators, 0 flagged',
      '**Domain** evil-example[.]com\n- **RDAP**: registered, no details',
      'Sources: RDAP · set VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY or URLHAUS_API_KEY to add a service',
    ]);
    const audit = await h.deps.store.listAudit(LOOKUPS_AUDIT_KEY);
    expect(audit.map((event) => [event.action, event.actor])).toEqual([
      ['lookup', { kind: 'teams', id: carol.aadObjectId }],
    ]);
    expect((await mention(carol, 'lookup 10.0.0.1')).texts).toEqual([
      'Nothing to look up: give public IPs, domains, URLs or hashes, e.g. @Hivewire lookup 203.0.113.7 evil.example. Not looked up: 10.0.0.1 (private address).',
    ]);
  });

  test('@Hivewire lookup from a conversation no configured team routes: the results go to the service URL the activity came from', async () => {
    // The SDK's own service URL is elsewhere (as Teams' global one is for a tenant served in a region).
    const settings = teamsSettings({}, { sandbox: true, publicUrl: h.url })!;
    h.deps.chats = {
      ...h.deps.chats,
      teams: createTeamsChat(
        { ...settings, sandbox: { ...settings.sandbox!, serviceUrl: `${ELSEWHERE}/teams/` } },
        h.deps,
      ),
    };
    const elsewhere: string[] = [];
    nock(ELSEWHERE)
      .persist()
      .post(/.*/)
      .reply((uri) => {
        elsewhere.push(uri);
        return [500, {}];
      });
    // Carol's 1:1 chat with the bot: no team, so nothing in the config routes it.
    const chat = h.tenant.personalConversation(carol).id;
    const activity = h.channelActivity(carol, {
      type: 'message',
      text: 'lookup evil-example[.]com',
      conversation: { id: chat, conversationType: 'personal', tenantId: SANDBOX_TEAMS.tenantId },
      channelData: { tenant: { id: SANDBOX_TEAMS.tenantId } },
    });
    expect(activity.serviceUrl).toBe(h.serviceUrl);
    expect((await h.send(activity)).status).toBe(200);
    expect(h.jobs).toEqual([
      expect.objectContaining({
        kind: 'lookup',
        reply: {
          to: 'chat',
          platform: 'teams',
          channel: chat,
          messageId: activity.id,
          serviceUrl: h.serviceUrl,
        },
      }),
    ]);
    nock('https://rdap.org')
      .get('/domain/evil-example.com')
      .reply(200, { ldhName: 'evil-example.com', entities: [], events: [] });

    await h.runJobs();

    expect(elsewhere).toEqual([]);
    const replies = h.tenant.history(chat).filter((reply) => reply.replyToId === activity.id);
    expect(replies.map((reply) => textsOf(reply).texts[0])).toEqual([
      '🔎 Looking up 1 indicator… the results follow in this reply chain.',
      '🔎 **Threat-intel lookup** · 1 indicators, 0 flagged',
    ]);
  });

  test('Enrich: the results go in the alert’s Teams reply chain, not to its Slack thread', async () => {
    const { alert, messageId } = await postedAlert();
    const slack = nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, ts: '1.2' });
    const rdap = nock('https://rdap.org').get('/ip/198.51.100.23').reply(404, {});
    expect(await click(carol, ENRICH, alert.fingerprint)).toBe('Looking up 1 indicator…');

    await h.runJobs();

    expect(rdap.isDone()).toBe(true);
    expect(slack.isDone()).toBe(false);
    expect(repliesTo(messageId).map((reply) => reply.texts)).toEqual([
      [
        '🔎 **Threat-intel lookup** · 1 indicators, 0 flagged',
        '**IP** 198.51.100.23\n- **RDAP**: no registry knows this address',
        'Sources: RDAP · set VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY or URLHAUS_API_KEY to add a service',
      ],
    ]);
  });

  test('a response action’s result goes in the alert’s Teams reply chain', async () => {
    const { alert, messageId } = await postedAlert();
    const lambda = nock('https://lambda.eu-west-1.amazonaws.com')
      .post(`/2015-03-31/functions/${encodeURIComponent(ISOLATE)}/invocations`)
      .reply(200, { isolated: 'i-0abc' });
    expect(await click(bob, responseActionId('isolate'), alert.fingerprint)).toBe(
      "Running Isolate instance… the result goes in the alert's thread.",
    );

    await h.runJobs();

    expect(lambda.isDone()).toBe(true);
    expect(repliesTo(messageId).map((reply) => reply.texts)).toEqual([
      [`✅ **Isolate instance** (run by ${bob.name}) succeeded: {"isolated":"i-0abc"}`],
    ]);
  });

  test('replies name Teams people by their display name, not their object id: case opened by …, ignored by …', async () => {
    const { alert, messageId } = await postedAlert();
    mockSlack();
    mockTheHive((request) =>
      request.path === '/api/v1/alert'
        ? [201, theHiveAlert({ sourceRef: alert.fingerprint })]
        : request.path === '/api/v1/alert/~4096/case'
          ? [201, theHiveCase()]
          : [404, { type: 'NotFoundError', message: `${request.path} not found` }],
    );
    expect(await click(alice, CREATE_CASE, alert.fingerprint)).toBe('Creating the case…');
    expect(h.jobs).toEqual([expect.objectContaining({ kind: 'create-case', userName: alice.name })]);
    await h.runJobs();
    expect(repliesTo(messageId).map((reply) => reply.texts)).toEqual([
      [
        `📁 Case #42 opened in TheHive by Alice (SOC analyst) with ${alert.finding.observables.length} observables`,
      ],
    ]);
    // The audit trail names the Teams person on both steps, as an auditor reads it back.
    const trail = await h.deps.store.listAudit(alert.fingerprint);
    expect(
      trail
        .filter((event) => ['escalation-requested', 'case-created'].includes(event.action))
        .map((event) => event.actor),
    ).toEqual([
      { kind: 'teams', id: alice.aadObjectId },
      { kind: 'teams', id: alice.aadObjectId },
    ]);

    const other = makeAlertRecord({ state: 'open', fingerprint: 'gd-teams-ignored' });
    const otherId = await h.deps.chats.teams!.postAlert(channel, alertView(other, h.config));
    await h.seedAlert({ ...other, posts: { teams: { channel, messageId: otherId } } });
    const data = { action: IGNORE_MODAL, fingerprint: other.fingerprint, reason: 'expected-activity' };
    const submitted = await h.send(
      h.channelActivity(bob, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', verb: IGNORE_MODAL, data } },
      }),
    );
    expect(submitted.status).toBe(200);
    await h.runJobs();
    expect(repliesTo(otherId).map((reply) => reply.texts)).toEqual([
      ['🙈 Ignored by Bob (SOC lead): Expected activity'],
    ]);
  });
});
