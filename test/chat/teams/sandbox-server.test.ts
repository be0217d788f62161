/**
 * The Teams route inside the real local server, in sandbox mode: the sandbox's tenant adds the app to
 * its team through `POST /teams/messages` on the same port (signed, validated by the SDK against the
 * sandbox's OpenID metadata over HTTP), and the bot keeps the team's conversation reference; a forged
 * install changes nothing. The console's channel and 1:1 chats send their clicks to the bot signed.
 */
import { CREATE_CASE, TRIAGE_YES } from '../../../blocks/actions';
import { findInstallation } from '../../../src/chat/teams/installations';
import type { TriageRecord } from '../../../src/domain/triage';
import {
  SANDBOX_TEAMS,
  SANDBOX_TEAMS_PEOPLE,
  SandboxTeamsTenant,
  type TeamsPerson,
} from '../../../src/sandbox/teams-tenant';
import { textsOfType } from '../../helpers/adaptive-cards';
import { makeAlertRecord } from '../../helpers/alerts';
import { startInProcessSandbox, type InProcessSandbox } from '../../helpers/sandbox-server';

let product: InProcessSandbox;

beforeAll(async () => {
  product = await startInProcessSandbox();
});
afterAll(async () => {
  await product.close();
});

/** A click on a card in the console's Teams view, as its page sends it. */
function consoleClick(body: Record<string, unknown>): Promise<Response> {
  return fetch(`${product.config.publicUrl}/sandbox/teams/console/click`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

test('a forged install is refused, the sandbox’s own install keeps the reference', async () => {
  const { sandbox, runtime } = product;
  const forger = new SandboxTeamsTenant();
  const forged = forger.signToken({ iss: 'https://api.botframework.com', aud: SANDBOX_TEAMS.appId });
  const refused = await sandbox.teamsSender.send(
    sandbox.teamsSender.installation(SANDBOX_TEAMS_PEOPLE[1]!),
    `Bearer ${forged}`,
  );
  expect(refused.status).toBe(401);
  expect(await findInstallation(SANDBOX_TEAMS.team.id, runtime.deps.store)).toBeUndefined();

  expect(await sandbox.installTeamsApp()).toMatchObject({ status: 200 });
  expect(await findInstallation(SANDBOX_TEAMS.team.id, runtime.deps.store)).toMatchObject({
    teamId: SANDBOX_TEAMS.team.id,
    serviceUrl: `${product.config.publicUrl}/sandbox/teams/`,
    installedBy: SANDBOX_TEAMS_PEOPLE[0]!.aadObjectId,
  });
});

test('the console’s Teams channel is served with the adaptivecards renderer; its clicks reach the bot signed', async () => {
  const { runtime } = product;
  const page = await fetch(`${product.config.publicUrl}/sandbox/teams/console`);
  expect(page.status).toBe(200);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  const html = await page.text();
  for (const script of ['markdown-it.js', 'adaptivecards.js', 'teams.js']) {
    expect(html).toContain(`/sandbox/teams/console/${script}`);
    const served = await fetch(`${product.config.publicUrl}/sandbox/teams/console/${script}`);
    expect(served.status).toBe(200);
    expect((await served.text()).length).toBeGreaterThan(1000);
  }

  const alert = makeAlertRecord({ state: 'open' });
  const { version: _version, ...record } = alert;
  await runtime.deps.store.createAlert(record);
  const click = (person: string) =>
    consoleClick({
      person,
      replyToId: '1',
      verb: CREATE_CASE,
      data: { action: CREATE_CASE, fingerprint: alert.fingerprint },
    });
  const answer = await click(SANDBOX_TEAMS_PEOPLE[1]!.aadObjectId);
  expect(await answer.json()).toEqual({
    status: 200,
    body: {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Creating the case…',
    },
  });
  expect((await runtime.deps.store.getAlert(alert.fingerprint))?.escalatedBy).toBe(
    SANDBOX_TEAMS_PEOPLE[1]!.aadObjectId,
  );
  expect((await click('nobody')).status).toBe(400);
});

test('the console shows the bot’s 1:1 chats; a click there answers "was this you?" as that chat’s person only', async () => {
  const { runtime } = product;
  const [, bob, carol] = SANDBOX_TEAMS_PEOPLE as [TeamsPerson, TeamsPerson, TeamsPerson];
  expect(await product.sandbox.installTeamsApp()).toMatchObject({ status: 200 });
  const record: TriageRecord = {
    id: 'console-question',
    origin: 'siem',
    identifier: 'siem-1',
    alertName: 'Console login from a new country',
    summary: 'carol signed in from an unusual place.',
    email: carol.email,
    identityConfidence: 'high',
    requestedBy: 'siem',
    requestedAt: new Date().toISOString(),
    timeoutMinutes: 60,
    state: 'asked',
    person: { platform: 'teams', id: carol.aadObjectId, name: carol.name, email: carol.email },
    done: {},
  };
  await runtime.deps.store.putSetting(`triage:${record.id}`, record);
  const question = await runtime.deps.chats.teams!.directMessage(record.person!, {
    kind: 'triage-question',
    record,
  });

  const state = (await (await fetch(`${product.config.publicUrl}/sandbox/teams/console/state`)).json()) as {
    chats: { id: string; name: string; member: string; activities: { id: string }[] }[];
  };
  expect(state.chats).toContainEqual({
    id: question.channel,
    name: carol.name,
    member: carol.id,
    activities: [expect.objectContaining({ id: question.messageId })],
  });
  const click = (person: string) =>
    consoleClick({
      person,
      replyToId: question.messageId,
      verb: TRIAGE_YES,
      data: { action: TRIAGE_YES, id: record.id },
      conversation: question.channel,
    });
  const refused = await click(bob.aadObjectId);
  expect(refused.status).toBe(400);
  expect(await refused.json()).toEqual({ error: 'conversation: not a 1:1 chat of this person' });

  const answer = (await (await click(carol.aadObjectId)).json()) as {
    status: number;
    body: { type: string; value: unknown };
  };
  expect(answer).toMatchObject({ status: 200, body: { type: 'application/vnd.microsoft.card.adaptive' } });
  expect(textsOfType(answer.body.value).at(-1)).toBe(
    '✅ Yes, it was me · Thanks, recorded. Nothing else to do.',
  );
  expect(await runtime.deps.store.getSetting<TriageRecord>(`triage:${record.id}`)).toMatchObject({
    state: 'answered',
    response: 'yes',
  });
});
