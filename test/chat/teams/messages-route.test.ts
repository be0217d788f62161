/**
 * `POST /teams/messages` as Teams calls it: activities signed with the sandbox tenant's key, checked by
 * the Teams SDK against the tenant's OpenID metadata and keys over HTTP. Forged, expired,
 * wrong-audience, wrong-issuer and wrong-service-URL tokens get 401 and nothing is done; install
 * activities keep the team's conversation reference; a Create Case click goes to Slack's use case.
 */
import { generateKeyPairSync } from 'node:crypto';
import { CREATE_CASE, IGNORE, IGNORE_MODAL } from '../../../blocks/actions';
import { findInstallation } from '../../../src/chat/teams/installations';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, SandboxTeamsTenant } from '../../../src/sandbox/teams-tenant';
import { makeAlertRecord } from '../../helpers/alerts';
import { startTeamsHarness, type TeamsHarness } from '../../helpers/teams';

const alice = SANDBOX_TEAMS_PEOPLE[0]!;
let h: TeamsHarness;

beforeEach(async () => {
  h = await startTeamsHarness();
});
afterEach(async () => {
  await h.close();
});

const install = () => h.installation(alice);

function click(fingerprint: string, action = CREATE_CASE) {
  return h.channelActivity(alice, {
    type: 'invoke',
    name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb: action, data: { action, fingerprint } } },
  });
}

test('an install signed by the Bot Framework keeps the team’s conversation reference', async () => {
  const answer = await h.send(install());
  expect(answer.status).toBe(200);
  expect(await findInstallation(SANDBOX_TEAMS.team.id, h.deps.store)).toMatchObject({
    teamId: SANDBOX_TEAMS.team.id,
    teamName: SANDBOX_TEAMS.team.name,
    tenantId: SANDBOX_TEAMS.tenantId,
    serviceUrl: h.serviceUrl,
    botId: `28:${SANDBOX_TEAMS.appId}`,
    installedBy: alice.aadObjectId,
  });
});

describe('a request whose token is not the Bot Framework’s for this bot gets 401 and changes nothing', () => {
  const other = new SandboxTeamsTenant();
  const cases: [string, () => string][] = [
    ['no token', () => ''],
    ['not a bearer token', () => `Basic ${Buffer.from('a:b').toString('base64')}`],
    [
      'forged: signed by another key',
      () =>
        `Bearer ${other.signToken({ iss: 'https://api.botframework.com', aud: SANDBOX_TEAMS.appId, serviceurl: h.serviceUrl })}`,
    ],
    ['expired', () => `Bearer ${h.token({ exp: Math.floor(Date.now() / 1000) - 600 })}`],
    ['for another app', () => `Bearer ${h.token({ aud: '11111111-2222-4333-8444-555555555555' })}`],
    ['from another issuer', () => `Bearer ${h.token({ iss: 'https://evil.example' })}`],
    ['for another service URL', () => `Bearer ${h.token({ serviceurl: 'https://evil.example/teams/' })}`],
    [
      'signed with "none"',
      () => {
        const [header, payload] = h.token().split('.');
        const none = Buffer.from(
          JSON.stringify({ ...JSON.parse(Buffer.from(header!, 'base64url').toString()), alg: 'none' }),
        ).toString('base64url');
        return `Bearer ${none}.${payload}.`;
      },
    ],
    [
      'signed with HS256 and the public key',
      () => {
        const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
        return `Bearer ${h.token().split('.').slice(0, 2).join('.')}.${publicKey.export({ format: 'jwk' }).n}`;
      },
    ],
  ];
  test.each(cases)('%s', async (_name, authorization) => {
    const answer = await h.send(install(), authorization());
    expect(answer.status).toBe(401);
    expect(await findInstallation(SANDBOX_TEAMS.team.id, h.deps.store)).toBeUndefined();
    expect(await h.deps.store.listDeadLetters(10)).toEqual([]);
  });
});

test('an authenticated body that is not an activity gets 400 naming the field and is kept', async () => {
  const answer = await h.send({ ...install(), from: { name: 'no id' } });
  expect(answer.status).toBe(400);
  expect(answer.body).toEqual({ error: expect.stringContaining('activity.from.id') });
  const [letter] = await h.deps.store.listDeadLetters(10);
  expect(letter).toMatchObject({
    kind: 'rejected-teams-activity',
    error: expect.stringContaining('activity.from.id'),
  });
  expect(await findInstallation(SANDBOX_TEAMS.team.id, h.deps.store)).toBeUndefined();
});

test('a body that is not JSON is authenticated first: 401 without a token, 400 and kept with one', async () => {
  const post = (authorization: string) =>
    fetch(`${h.url}/teams/messages`, {
      method: 'POST',
      headers: { authorization },
      body: '{"type": "message",',
    });
  expect((await post('Bearer forged.token.here')).status).toBe(401);
  expect(await h.deps.store.listDeadLetters(10)).toEqual([]);
  const answer = await post(`Bearer ${h.token()}`);
  expect(answer.status).toBe(400);
  expect(await answer.json()).toEqual({ error: expect.stringMatching(/^body: not JSON/) });
  const [letter] = await h.deps.store.listDeadLetters(10);
  expect(letter).toMatchObject({ kind: 'rejected-teams-activity', payload: '{"type": "message",' });
});

test('Create Case (Action.Execute) escalates through the same use case as Slack, once', async () => {
  const alert = makeAlertRecord({ state: 'open' });
  await h.seedAlert(alert);
  const first = await h.send(click(alert.fingerprint));
  expect(first).toEqual({
    status: 200,
    body: {
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Creating the case…',
    },
  });
  const second = await h.send(click(alert.fingerprint));
  expect(second.body).toMatchObject({ value: 'A case is already being created for this alert.' });
  expect(await h.deps.store.getAlert(alert.fingerprint)).toMatchObject({
    state: 'escalating',
    escalatedBy: alice.aadObjectId,
  });
  expect(h.jobs.filter((job) => job.kind === 'create-case')).toHaveLength(1);
});

test('Ignore answers the clicker with the reason form; submitting it ignores the alert once, as on Slack', async () => {
  const alert = makeAlertRecord({ state: 'open' });
  await h.seedAlert(alert);
  const form = await h.send(click(alert.fingerprint, IGNORE));
  expect(form.body).toMatchObject({
    statusCode: 200,
    type: 'application/vnd.microsoft.card.adaptive',
    value: {
      version: '1.5',
      body: expect.arrayContaining([expect.objectContaining({ type: 'Input.ChoiceSet', id: 'reason' })]),
      actions: [expect.objectContaining({ type: 'Action.Execute', verb: IGNORE_MODAL })],
    },
  });
  expect((await h.deps.store.getAlert(alert.fingerprint))?.state).toBe('open');

  const submit = (reason: string) =>
    h.send(
      h.channelActivity(alice, {
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: {
          action: {
            type: 'Action.Execute',
            verb: IGNORE_MODAL,
            data: {
              action: IGNORE_MODAL,
              fingerprint: alert.fingerprint,
              reason,
              note: 'pentest <at>Bob</at>',
            },
          },
        },
      }),
    );
  expect((await submit('bogus')).body).toMatchObject({ value: 'Choose a reason to ignore the alert.' });
  const done = await submit('expected-activity');
  expect(done.body).toMatchObject({
    type: 'application/vnd.microsoft.card.adaptive',
    value: { version: '1.5' },
  });
  // The card names the person by their Teams name, not their Entra object id.
  expect(JSON.stringify(done.body)).toContain(`Ignored by ${alice.name}`);
  expect(JSON.stringify(done.body)).not.toContain(alice.aadObjectId);
  expect(JSON.stringify(done.body)).not.toMatch(/[^\\]<at>/);
  expect(await h.deps.store.getAlert(alert.fingerprint)).toMatchObject({
    state: 'ignored',
    ignoredBy: alice.aadObjectId,
    ignoreReason: expect.stringContaining('pentest'),
  });
  expect((await submit('expected-activity')).body).toMatchObject({ value: 'This alert is already ignored.' });
  expect(h.jobs.filter((job) => job.kind === 'ignore-followup')).toHaveLength(1);
});
