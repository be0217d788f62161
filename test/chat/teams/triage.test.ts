/**
 * "Was this you?" from a Teams alert card, as Teams sends it: JWT-signed activities into the real
 * `POST /teams/messages`, validated by the Teams SDK, against the sandbox's Bot Connector stand-in.
 * The person is found in the team's roster by e-mail and asked in their 1:1 chat with the bot, with a
 * card whose answers are `Action.Execute` with `{"action", "id"}`; the answer is an invoke from that
 * chat into the same answer use case as Slack's buttons, and the question card is replaced with the
 * answer. The alert's threads (its Teams reply chain and its Slack thread) hear the question and the
 * answer; an unanswered question is replaced with "expired" in place.
 */
import nock from 'nock';
import { ASK_USER, TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../../../blocks/actions';
import type { AdaptiveCard } from '../../../cards/core';
import { createTeamsChat, type TeamsChat } from '../../../src/chat/teams/adapter';
import { teamsSettings } from '../../../src/chat/teams/settings';
import type { AlertRecord } from '../../../src/domain/alert';
import type { TriageRecord } from '../../../src/domain/triage';
import type { Job } from '../../../src/queue/jobs';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, type TeamsPerson } from '../../../src/sandbox/teams-tenant';
import { checkCard, textsOfType } from '../../helpers/adaptive-cards';
import { makeAlertRecord } from '../../helpers/alerts';
import { slackForm } from '../../helpers/analyst';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams';

const [alice, bob, carol] = SANDBOX_TEAMS_PEOPLE as [TeamsPerson, TeamsPerson, TeamsPerson];
const channel = SANDBOX_TEAMS.channel.id;
let h: TeamsHarness;
let chat: TeamsChat;
/** Jobs the worker held back until due (the timeout). */
let scheduled: Job[];
/** What the Slack thread was sent (Slack mocked at the HTTP layer). */
let slackReplies: Record<string, string>[];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(async () => {
  h = await startTeamsHarness();
  expect((await h.send(h.installation(alice))).status).toBe(200);
  chat = createTeamsChat(teamsSettings({}, { sandbox: true, publicUrl: h.url })!, h.deps);
  h.deps.chats = { ...h.deps.chats, teams: chat };
  scheduled = [];
  // The local queue's way of holding a job until due (LocalDelayedJobs).
  Object.assign(h.deps.queue, { enqueueAt: async (job: Job) => void scheduled.push(job) });
  slackReplies = [];
  nock('https://slack.com')
    .persist()
    .post('/api/chat.postMessage', (body) => {
      slackReplies.push(slackForm(body));
      return true;
    })
    .reply(200, { ok: true, ts: '1764065000.000300' });
});
afterEach(async () => {
  nock.cleanAll();
  await h.close();
});

/** An alert about Carol, posted in the Teams channel (and in Slack): resolves to it as stored. */
async function alertAboutCarol(): Promise<AlertRecord> {
  const alert = makeAlertRecord({ finding: { actor: { name: 'carol', email: carol.email } } });
  const messageId = await chat.postAlert(channel, { alert, responseActions: [] });
  await h.seedAlert({ ...alert, posts: { teams: { channel, messageId } } });
  return (await h.deps.store.getAlert(alert.fingerprint))!;
}

/** `person` clicks Action.Execute with `data` in `conversation`; resolves to the invoke's answer. */
async function execute(
  person: TeamsPerson,
  data: Record<string, string>,
  conversation?: string,
): Promise<{ type: string; value: unknown }> {
  const answer = await h.send(
    h.channelActivity(person, {
      type: 'invoke',
      name: 'adaptiveCard/action',
      ...(conversation
        ? {
            conversation: {
              id: conversation,
              conversationType: 'personal',
              tenantId: SANDBOX_TEAMS.tenantId,
            },
            channelData: { tenant: { id: SANDBOX_TEAMS.tenantId } },
          }
        : {}),
      value: { action: { type: 'Action.Execute', verb: data.action, data } },
    }),
  );
  expect(answer.status).toBe(200);
  return answer.body as { type: string; value: unknown };
}

/** The texts of the alert's Teams reply chain, one line per reply. */
function replyChain(alert: AlertRecord): string[] {
  return h.tenant
    .history(channel)
    .filter((activity) => activity.replyToId === alert.posts!.teams!.messageId)
    .map((activity) => textsOfType(activity.attachments).join(' '));
}

async function askCarol(alert: AlertRecord): Promise<TriageRecord> {
  expect((await execute(alice, { action: ASK_USER, fingerprint: alert.fingerprint })).value).toBe(
    'Asking the person this finding is about "was this you?"… the answer will be threaded here.',
  );
  await h.runJobs();
  const latest = await h.deps.store.getSetting<{ id: string }>(`triage-for:${alert.fingerprint}`);
  return (await h.deps.store.getSetting<TriageRecord>(`triage:${latest!.id}`))!;
}

test('asks the person in their 1:1 chat with Execute answers, takes the answer from them only, and threads both', async () => {
  const alert = await alertAboutCarol();
  const record = await askCarol(alert);

  expect(record).toMatchObject({
    state: 'asked',
    requestedOn: 'teams',
    requestedBy: alice.aadObjectId,
    person: { platform: 'teams', id: carol.aadObjectId, name: carol.name, email: carol.email },
  });
  expect(h.tenant.conversation(record.channel!)).toMatchObject({ kind: 'personal', member: carol.id });
  const question = h.tenant.activity(record.channel!, record.ts!)!;
  const card = (question.attachments as { content: AdaptiveCard }[])[0]!.content;
  expect(card.version).toBe('1.5');
  expect(checkCard(card, '1.5')).toMatchObject({ events: [], failures: [] });
  expect(card.actions).toEqual([
    expect.objectContaining({
      type: 'Action.Execute',
      verb: TRIAGE_YES,
      data: { action: TRIAGE_YES, id: record.id },
    }),
    expect.objectContaining({
      type: 'Action.Execute',
      verb: TRIAGE_NO,
      data: { action: TRIAGE_NO, id: record.id },
    }),
    expect.objectContaining({
      type: 'Action.Execute',
      verb: TRIAGE_UNSURE,
      data: { action: TRIAGE_UNSURE, id: record.id },
    }),
  ]);
  expect(replyChain(alert)).toEqual([
    '❓ Asked Carol (cloud engineer) "was this you?" (by Alice (SOC analyst)). Waiting up to 60 minutes.',
  ]);
  expect(slackReplies.map((reply) => [reply.thread_ts, reply.text])).toEqual([
    [
      alert.ts,
      `❓ Asked \`carol@example.com (Teams)\` "was this you?" (by \`Alice (SOC analyst) (Teams)\`). Waiting up to 60 minutes.`,
    ],
  ]);
  expect(scheduled).toEqual([{ kind: 'triage-timeout', triageId: record.id, dueAt: record.dueAt }]);

  // Bob, with the same card data, is told it is not his to answer; nothing is recorded.
  expect(await execute(bob, { action: TRIAGE_NO, id: record.id }, record.channel)).toMatchObject({
    value: 'This question was sent to someone else.',
  });
  const answered = await execute(carol, { action: TRIAGE_NO, id: record.id }, record.channel);
  expect(answered.type).toBe('application/vnd.microsoft.card.adaptive');
  expect(textsOfType(answered.value).at(-1)).toBe(
    "✅ No, it wasn't me · Thanks, recorded. The security team has been alerted and will contact you.",
  );
  expect((answered.value as AdaptiveCard).actions ?? []).toEqual([]);
  expect(await execute(carol, { action: TRIAGE_YES, id: record.id }, record.channel)).toMatchObject({
    value: 'This question was already answered or has expired. Thanks all the same.',
  });

  await h.runJobs();
  expect(replyChain(alert).at(-1)).toBe(
    "🚨 Carol (cloud engineer) answered: No, it wasn't me. This activity needs attention.",
  );
  expect(slackReplies.at(-1)?.text).toBe(
    "🚨 `carol@example.com (Teams)` answered: *No, it wasn't me*. This activity needs attention.",
  );
  const audit = await h.deps.store.listAudit(alert.fingerprint);
  expect(
    audit.filter((event) => event.action.startsWith('triage-')).map((event) => [event.action, event.actor]),
  ).toEqual([
    ['triage-asked', { kind: 'teams', id: alice.aadObjectId }],
    ['triage-answered', { kind: 'teams', id: carol.aadObjectId }],
  ]);
});

test('an unanswered question is replaced in place with "expired", and the threads hear "no answer"', async () => {
  const alert = await alertAboutCarol();
  const record = await askCarol(alert);

  h.jobs.push({
    kind: 'triage-timeout',
    triageId: record.id,
    dueAt: new Date(h.clock.now.getTime() - 1000).toISOString(),
  });
  await h.runJobs();

  expect(await h.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    state: 'expired',
    response: 'noanswer',
  });
  const question = h.tenant.activity(record.channel!, record.ts!)!;
  expect(question.updatedAt).toBeDefined();
  expect(textsOfType(question.attachments).at(-1)).toBe(
    '⌛ This question has expired. If you have concerns, please contact the security team.',
  );
  expect(JSON.stringify(question.attachments)).not.toContain('Action.Execute');
  expect(replyChain(alert).at(-1)).toBe('⌛ No answer from Carol (cloud engineer) within 60 minutes.');
  expect(slackReplies.at(-1)?.text).toBe('⌛ No answer from `carol@example.com (Teams)` within 60 minutes.');
});

test('an answer typed in the 1:1 chat replaces the question card, from the person asked only', async () => {
  const alert = await alertAboutCarol();
  const record = await askCarol(alert);
  /** `person` writes `text` in the 1:1 chat `conversation` (the bot gets every message there). */
  const typeIn = async (person: TeamsPerson, text: string, conversation = record.channel!) => {
    const sent = await h.send(
      h.channelActivity(person, {
        type: 'message',
        text,
        conversation: { id: conversation, conversationType: 'personal', tenantId: SANDBOX_TEAMS.tenantId },
        channelData: { tenant: { id: SANDBOX_TEAMS.tenantId } },
      }),
    );
    expect(sent.status).toBe(200);
  };
  const lastText = (conversation = record.channel!) =>
    textsOfType(h.tenant.history(conversation).at(-1)!.attachments).join(' ');

  // Bob was asked nothing: his "yes" in his own 1:1 chat answers no one's question, and he is told so.
  const bobs = h.tenant.personalConversation(bob).id;
  await typeIn(bob, 'yes', bobs);
  expect(lastText(bobs)).toBe('You have no "was this you?" question waiting for an answer.');
  expect(await h.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    state: 'asked',
  });

  await typeIn(carol, 'Not sure.');

  expect(await h.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    state: 'answered',
    response: 'notsure',
  });
  const question = h.tenant.activity(record.channel!, record.ts!)!;
  expect(question.updatedAt).toBeDefined();
  expect(textsOfType(question.attachments).at(-1)).toBe(
    '✅ Not sure · Thanks, recorded. Someone from the security team will follow up with you.',
  );
  expect(JSON.stringify(question.attachments)).not.toContain('Action.Execute');

  // Typing again changes nothing: she is told the question is closed.
  await typeIn(carol, 'no');
  expect(lastText()).toBe('This question was already answered or has expired. Thanks all the same.');
  expect(await h.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    response: 'notsure',
  });

  await h.runJobs();
  expect(replyChain(alert).at(-1)).toContain('Carol (cloud engineer) answered: Not sure');
  const audit = await h.deps.store.listAudit(alert.fingerprint);
  expect(audit.filter((event) => event.action === 'triage-answered').map((event) => event.actor)).toEqual([
    { kind: 'teams', id: carol.aadObjectId },
  ]);
});

test('a typed answer still finds the question when the ask job was retried after the card went out', async () => {
  const alert = await alertAboutCarol();
  expect((await execute(alice, { action: ASK_USER, fingerprint: alert.fingerprint })).value).toBe(
    'Asking the person this finding is about "was this you?"… the answer will be threaded here.',
  );
  const [ask] = h.jobs;
  // The store fails once, on the first write after the card went out (here: where typed answers look).
  const putSetting = h.deps.store.putSetting.bind(h.deps.store);
  let failed = false;
  jest.spyOn(h.deps.store, 'putSetting').mockImplementation(async (key, value, ...rest) => {
    if (!failed && key.startsWith('triage-asked:')) {
      failed = true;
      throw new Error('store unavailable');
    }
    return putSetting(key, value, ...rest);
  });
  await h.runJobs();
  const letters = await h.deps.store.listDeadLetters(5);
  expect(letters.map((letter) => [letter.kind, letter.error])).toEqual([
    ['job:triage-ask', 'store unavailable'],
  ]);
  // The job is delivered again (as the queue would, or redriven from its dead letter).
  h.jobs.push(ask!);
  await h.runJobs();
  const latest = await h.deps.store.getSetting<{ id: string }>(`triage-for:${alert.fingerprint}`);
  const record = (await h.deps.store.getSetting<TriageRecord>(`triage:${latest!.id}`))!;
  expect(record).toMatchObject({ state: 'asked' });

  const sent = await h.send(
    h.channelActivity(carol, {
      type: 'message',
      text: 'yes',
      conversation: { id: record.channel!, conversationType: 'personal', tenantId: SANDBOX_TEAMS.tenantId },
      channelData: { tenant: { id: SANDBOX_TEAMS.tenantId } },
    }),
  );
  expect(sent.status).toBe(200);

  expect(await h.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    state: 'answered',
    response: 'yes',
  });
});
