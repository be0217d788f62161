/**
 * The Teams adapter behind the chat port, against the sandbox's Bot Connector stand-in over HTTP (the
 * connector token from its token endpoint on every call): the alert card posted in the channel the
 * install made reachable and updated in place, notes in the alert's reply chain, the ignore form there,
 * a private notice in the person's 1:1 chat (never in the channel), people found by email in the team's
 * roster, a proactive 1:1 DM. And where alerts go: the customer's own channel, else the default.
 */
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../../cards/core';
import { teamsAlertCard } from '../../../cards/teams';
import { IGNORE_MODAL } from '../../../blocks/actions';
import { createTeamsChat, type TeamsChat } from '../../../src/chat/teams/adapter';
import { routedPlatforms } from '../../../src/alerts/platforms';
import { teamsSettings } from '../../../src/chat/teams/settings';
import type { ChatMessageRef } from '../../../src/chat/port';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE } from '../../../src/sandbox/teams-tenant';
import { checkConfigFile, defaultConfigFile } from '../../../src/config/config';
import { makeAlertRecord } from '../../helpers/alerts';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams';
import { textsOfType } from '../../helpers/adaptive-cards';

const [alice, bob] = SANDBOX_TEAMS_PEOPLE as [
  (typeof SANDBOX_TEAMS_PEOPLE)[0],
  (typeof SANDBOX_TEAMS_PEOPLE)[0],
];
const channel = SANDBOX_TEAMS.channel.id;
let h: TeamsHarness;
let chat: TeamsChat;

beforeEach(async () => {
  h = await startTeamsHarness();
  expect((await h.send(h.installation(alice))).status).toBe(200);
  chat = createTeamsChat(teamsSettings({}, { sandbox: true, publicUrl: h.url })!, h.deps);
});
afterEach(async () => {
  await h.close();
});

/** Every TextBlock text of a stored activity's card. */
function textsOf(activity: { attachments?: unknown[] } | undefined): string[] {
  return textsOfType(activity?.attachments);
}

test('posts the alert card, updates it in place, and replies in its reply chain', async () => {
  const alert = makeAlertRecord();
  const view = { alert, responseActions: [] };
  const messageId = await chat.postAlert(channel, view);
  expect(h.tenant.history(channel)).toEqual([
    expect.objectContaining({
      id: messageId,
      from: expect.objectContaining({ id: `28:${SANDBOX_TEAMS.appId}` }),
      attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: teamsAlertCard(alert) }],
    }),
  ]);

  const root: ChatMessageRef = { platform: 'teams', channel, messageId };
  const escalated = {
    ...alert,
    state: 'escalated' as const,
    caseNumber: 7,
    caseUrl: 'https://thehive.example.test/cases/~7/details',
  };
  await chat.updateAlert(root, { alert: escalated, responseActions: [] });
  expect(h.tenant.history(channel)).toHaveLength(1);
  expect(h.tenant.activity(channel, messageId)).toMatchObject({
    attachments: [{ content: teamsAlertCard(escalated) }],
    updatedAt: expect.any(String),
  });

  const replyId = await chat.replyInThread(root, {
    kind: 'case-change',
    caseNumber: 7,
    caseUrl: escalated.caseUrl,
    actor: 'bob@thehive',
    changes: [{ field: 'status', from: 'New', to: 'InProgress', stage: 'InProgress', actor: 'bob@thehive' }],
  });
  const reply = h.tenant.activity(channel, replyId);
  expect(reply).toMatchObject({ replyToId: messageId });
  expect(textsOf(reply)).toEqual(['Case #7 updated in TheHive by bob@thehive', '🔄 Status New → InProgress']);
  expect(JSON.stringify(reply)).toContain('"url":"https://thehive.example.test/cases/~7/details"');
});

test('the ignore form goes in the alert’s reply chain; its submit is the form’s action', async () => {
  const alert = makeAlertRecord();
  const messageId = await chat.postAlert(channel, { alert, responseActions: [] });
  const root: ChatMessageRef = { platform: 'teams', channel, messageId };
  await chat.openForm(
    { platform: 'teams', root, person: { platform: 'teams', id: alice.aadObjectId } },
    {
      kind: 'ignore-reason',
      fingerprint: alert.fingerprint,
      severity: alert.severity,
      finding: alert.finding,
    },
  );
  const [, form] = h.tenant.history(channel);
  expect(form).toMatchObject({ replyToId: messageId });
  expect(JSON.stringify(form)).toContain(`"verb":"${IGNORE_MODAL}"`);
});

test('a private notice goes to the person’s 1:1 chat with the bot, never to the channel', async () => {
  const messageId = await chat.postAlert(channel, { alert: makeAlertRecord(), responseActions: [] });
  await chat.tellPrivately(
    { platform: 'teams', channel, messageId },
    { platform: 'teams', id: bob.aadObjectId },
    { kind: 'notice', text: 'Only admins may run response actions. [x](https://evil.example)' },
  );
  expect(h.tenant.history(channel)).toHaveLength(1);
  const personal = h.tenant.listConversations().find((one) => one.kind === 'personal');
  expect(personal).toMatchObject({ member: bob.id });
  const [notice] = h.tenant.history(personal!.id);
  expect(textsOf(notice)).toEqual(['Only admins may run response actions. \\[x\\](hxxps://evil[.]example)']);
});

test('finds a person by email in the team’s roster, and DMs them proactively', async () => {
  expect(await chat.findPerson('carol@example.com')).toEqual({
    platform: 'teams',
    id: SANDBOX_TEAMS_PEOPLE[2]!.aadObjectId,
    name: SANDBOX_TEAMS_PEOPLE[2]!.name,
    email: 'carol@example.com',
  });
  expect(await chat.findPerson('nobody@example.com')).toBeUndefined();

  const carol = (await chat.findPerson('carol@example.com'))!;
  const dm = await chat.directMessage(carol, { kind: 'notice', text: 'Was this you?' });
  expect(h.tenant.conversation(dm.channel)).toMatchObject({ kind: 'personal', member: '29:carol' });
  expect(textsOf(h.tenant.activity(dm.channel, dm.messageId))).toEqual(['Was this you?']);
  expect(await chat.findAlertMessage()).toBeUndefined();
});

test('a connector refusal is the call’s failure (the job retries it), not a silent success', async () => {
  const gone: ChatMessageRef = { platform: 'teams', channel, messageId: '404' };
  await expect(chat.updateAlert(gone, { alert: makeAlertRecord(), responseActions: [] })).rejects.toThrow();
});

test('alerts go to the customer’s own Teams channel, else the default one, else not to Teams', () => {
  const file = checkConfigFile({
    customers: {
      acme: { teams: { team: '19:acme-team@thread.tacv2', channel: '19:acme-alerts@thread.tacv2' } },
      globex: {},
    },
    defaults: { teams: { team: '19:soc@thread.tacv2', channel: '19:soc-alerts@thread.tacv2' } },
  });
  expect(routedPlatforms('acme', { file, webex: undefined })).toEqual([
    { platform: 'teams', channel: '19:acme-alerts@thread.tacv2' },
  ]);
  expect(routedPlatforms('globex', { file, webex: undefined })).toEqual([
    { platform: 'teams', channel: '19:soc-alerts@thread.tacv2' },
  ]);
  expect(routedPlatforms('acme', { file: defaultConfigFile(), webex: undefined })).toEqual([]);
});

test('a Teams target or admin the config cannot use is refused, naming the key', () => {
  expect(() =>
    checkConfigFile({ defaults: { teams: { team: 'General', channel: '19:a@thread.tacv2' } } }),
  ).toThrow(/defaults\.teams\.team: must be a Teams team or channel id/);
  expect(() => checkConfigFile({ teams: { admins: ['U0ALICE'] } })).toThrow(/teams\.admins\.0/);
  expect(checkConfigFile({ teams: { admins: [alice.aadObjectId, 'bob@example.com'] } }).teams).toEqual({
    admins: [alice.aadObjectId, 'bob@example.com'],
  });
});

test('Teams is off when the template leaves its parameters empty, on with an app id and its password', () => {
  const off = { sandbox: false, publicUrl: 'https://hivewire.example.com' };
  expect(
    teamsSettings({ TEAMS_APP_ID: '', TEAMS_TENANT_ID: '', TEAMS_APP_PASSWORD: '' }, off),
  ).toBeUndefined();
  expect(
    teamsSettings(
      { TEAMS_APP_ID: SANDBOX_TEAMS.appId, TEAMS_TENANT_ID: '', TEAMS_APP_PASSWORD: 'secret' },
      off,
    ),
  ).toEqual({ appId: SANDBOX_TEAMS.appId, appPassword: 'secret', tenantId: undefined });
});
