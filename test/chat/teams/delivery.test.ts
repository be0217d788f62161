/**
 * The Teams delivery through the Teams SDK's connector client against the sandbox's Bot Connector
 * stand-in, over HTTP: the token comes from the stand-in's token endpoint and every connector call
 * carries it; the alert card is posted in the channel, updated in place, replied to in its reply
 * chain; a 1:1 chat is opened for a DM. A stand-in that refuses the token is a failed call.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@microsoft/teams.api';
import { isAxiosError } from 'axios';
import { teamsAlertCard, teamsNoteCard } from '../../../cards/teams';
import { isRetryable } from '../../../src/queue/attempt';
import { TeamsDelivery } from '../../../src/chat/teams/delivery';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, SandboxTeamsTenant } from '../../../src/sandbox/teams-tenant';
import { makeAlertRecord } from '../../helpers/alerts';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams';

let h: TeamsHarness;
let delivery: TeamsDelivery;
const channel = SANDBOX_TEAMS.channel.id;

beforeEach(async () => {
  h = await startTeamsHarness();
  delivery = new TeamsDelivery(h.bot.app, { tenantId: SANDBOX_TEAMS.tenantId });
});
afterEach(async () => {
  await h.close();
});

test('posts the alert card, updates it in place and replies in its reply chain', async () => {
  const alert = makeAlertRecord();
  const messageId = await delivery.post(channel, teamsAlertCard(alert));
  const [posted] = h.tenant.history(channel);
  expect(posted).toMatchObject({
    id: messageId,
    from: { id: `28:${SANDBOX_TEAMS.appId}` },
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: teamsAlertCard(alert) }],
  });

  const escalating = { ...alert, state: 'escalating' as const, escalatedBy: 'Alice' };
  await delivery.update({ channel, messageId }, teamsAlertCard(escalating));
  expect(h.tenant.activity(channel, messageId)).toMatchObject({
    attachments: [{ content: teamsAlertCard(escalating) }],
    updatedAt: expect.any(String),
  });

  const replyId = await delivery.reply(
    { channel, messageId },
    teamsNoteCard(['📁 Case #7 opened in TheHive']),
  );
  expect(h.tenant.history(channel)).toHaveLength(2);
  expect(h.tenant.activity(channel, replyId)).toMatchObject({ replyToId: messageId });
});

test('a message deleted in Teams is gone for good: updating it is refused (404), which no retry heals', async () => {
  const messageId = await delivery.post(channel, teamsAlertCard(makeAlertRecord()));
  // The connector's delete activity, through the SDK's own client with the app's token.
  await new Client(h.serviceUrl.replace(/\/+$/, ''), h.bot.app.api.http).conversations
    .activities(channel)
    .delete(messageId);
  expect(h.tenant.activity(channel, messageId)).toBeUndefined();

  const refused = await delivery.update({ channel, messageId }, teamsAlertCard(makeAlertRecord())).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isAxiosError(refused) && refused.response?.status).toBe(404);
  expect(isRetryable(refused)).toBe(false);
});

test('with a state file, the tenant’s conversations and messages survive a restart', async () => {
  const stateFile = join(mkdtempSync(join(tmpdir(), 'hivewire-teams-state-')), 'teams.json');
  const before = new SandboxTeamsTenant({ stateFile });
  const root = before.add(channel, { from: { id: '28:bot' }, text: 'alert' });
  const reply = before.add(channel, { from: { id: '28:bot' }, text: 'case opened' }, root.id);
  const personal = before.personalConversation(SANDBOX_TEAMS_PEOPLE[1]!);
  before.flush();

  const after = new SandboxTeamsTenant({ stateFile });
  expect(after.history(channel)).toEqual([root, reply]);
  expect(after.conversation(personal.id)).toEqual(personal);
  expect(Number(after.add(channel, { from: { id: '28:bot' }, text: 'later' }).id)).toBeGreaterThan(
    Number(reply.id),
  );
});

test('opens a 1:1 chat with a person and posts there', async () => {
  const bob = SANDBOX_TEAMS_PEOPLE[1]!;
  const ref = await delivery.directMessage(bob, teamsNoteCard(['Was this you?']), h.serviceUrl);
  expect(h.tenant.conversation(ref.channel)).toMatchObject({ kind: 'personal', member: bob.id });
  expect(h.tenant.activity(ref.channel, ref.messageId)).toMatchObject({
    attachments: [{ content: { body: [{ text: 'Was this you?' }] } }],
  });
});

test('the connector refuses a call without the token its token endpoint issued', async () => {
  const response = await fetch(`${h.serviceUrl}v3/conversations/${encodeURIComponent(channel)}/activities`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${h.token()}` },
    body: JSON.stringify({ type: 'message', text: 'hi' }),
  });
  expect(response.status).toBe(401);
  expect(await response.json()).toEqual({ error: { code: 'Unauthorized', message: expect.any(String) } });
  expect(h.tenant.history(channel)).toEqual([]);
});

test('the token endpoint answers client credentials as Entra does, and refuses a wrong secret', async () => {
  const tokenUrl = `${h.serviceUrl}login/${SANDBOX_TEAMS.tenantId}/oauth2/v2.0/token`;
  const ask = (secret: string) =>
    fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SANDBOX_TEAMS.appId,
        client_secret: secret,
        scope: 'https://api.botframework.com/.default',
      }),
    });
  const good = await ask(SANDBOX_TEAMS.appPassword);
  expect(await good.json()).toEqual({
    token_type: 'Bearer',
    expires_in: 3600,
    ext_expires_in: 3600,
    access_token: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
  });
  const bad = await ask('wrong');
  expect(bad.status).toBe(401);
  expect(await bad.json()).toMatchObject({ error: 'invalid_client' });
});
