/**
 * The Slack OAuth v2 install through the real routes (`GET /slack/install`, `GET /slack/oauth_redirect`
 * on the local server), Slack's `oauth.v2.access` and `auth.test` answered at the HTTP layer: the
 * signed state refused when forged, altered, expired, replayed or from another browser; the
 * installation kept encrypted; requests and jobs of the new workspace using its token; uninstall.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClearStateStore } from '@slack/oauth';
import { parse as parseYaml } from 'yaml';
import { CREATE_CASE } from '../../blocks/actions';
import { BOT_SCOPES, INSTALLATIONS_AUDIT_KEY, STATE_MAX_AGE_SECONDS } from '../../src/slack/oauth';
import { installationKey, InstallationVault, unseal } from '../../src/slack/installations';
import {
  CLIENT_ID,
  PUBLIC_URL,
  SOC,
  startCustomersHarness,
  type CustomersHarness,
} from '../helpers/customers';

const NEW_TEAM = { id: 'T0GAMMA', name: 'Gamma Corp' };
const NEW_TOKEN = 'xoxb-gamma-installed';

let h: CustomersHarness;

beforeEach(async () => {
  h = await startCustomersHarness();
});

afterEach(async () => {
  await h.close();
});

/** Slack's answer to `oauth.v2.access` for a workspace install (the shape of its documentation). */
function accessAnswer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ok: true,
    app_id: 'A0HIVEWIRE',
    authed_user: { id: 'U0INSTALLER' },
    scope: BOT_SCOPES.join(','),
    token_type: 'bot',
    access_token: NEW_TOKEN,
    bot_user_id: 'U0BOTGAMMA',
    team: NEW_TEAM,
    enterprise: null,
    is_enterprise_install: false,
    ...overrides,
  };
}

/** Opens the install page; gives the authorize URL it links and the state cookie it set. */
async function openInstallPage(): Promise<{ authorize: URL; cookie: string; state: string; html: string }> {
  const response = await fetch(`${h.server.url}/slack/install`);
  expect(response.status).toBe(200);
  const html = await response.text();
  const href = /id="add-to-slack" href="([^"]+)"/.exec(html)?.[1]?.replace(/&#38;/g, '&');
  const authorize = new URL(href!);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  return { authorize, cookie, state: authorize.searchParams.get('state')!, html };
}

function redirect(query: Record<string, string>, cookie?: string): Promise<Response> {
  return fetch(`${h.server.url}/slack/oauth_redirect?${new URLSearchParams(query)}`, {
    headers: cookie ? { cookie } : {},
  });
}

const exchanges = () => h.slackCalls.filter((call) => call.method === 'oauth.v2.access');
/** The harness's own installation key (SLACK_INSTALLATION_KEY). */
function localKey(): Buffer {
  const key = h.config.slack.oauth!.installationKey;
  if (key.kind !== 'local') throw new Error('the harness encrypts installations under its own key');
  return key.key;
}
const vault = () => new InstallationVault(h.runtime.deps.store, h.config.slack.oauth!.installationKey);

test('the install page links Slack’s authorize URL with exactly the manifest’s bot scopes and a signed state', async () => {
  const { authorize, cookie, state } = await openInstallPage();
  expect(`${authorize.origin}${authorize.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
  expect(authorize.searchParams.get('client_id')).toBe(CLIENT_ID);
  expect(authorize.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/slack/oauth_redirect`);
  const manifest = parseYaml(readFileSync(join(__dirname, '../../manifest.yml'), 'utf8')) as {
    oauth_config: { scopes: { bot: string[] } };
  };
  expect(authorize.searchParams.get('scope')!.split(',')).toEqual(manifest.oauth_config.scopes.bot);
  expect([...BOT_SCOPES]).toEqual(manifest.oauth_config.scopes.bot);
  // The state is a JWT signed with SLACK_STATE_SECRET, and the same value is this browser's cookie.
  expect(state.split('.')).toHaveLength(3);
  expect(cookie).toBe(`slack-app-oauth-state=${state}`);
});

test('a complete install: the code is exchanged once, the installation kept encrypted, and audited without the token', async () => {
  const { state, cookie } = await openInstallPage();
  h.codes.set('code-1', accessAnswer());
  const response = await redirect({ code: 'code-1', state }, cookie);
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Hivewire now posts alerts in Gamma Corp');

  expect(exchanges()).toHaveLength(1);
  expect(exchanges()[0]!.args).toMatchObject({
    client_id: CLIENT_ID,
    code: 'code-1',
    redirect_uri: `${PUBLIC_URL}/slack/oauth_redirect`,
  });
  // At rest: no token in the item, only AES-GCM ciphertext bound to the workspace's name.
  const name = installationKey({ teamId: NEW_TEAM.id });
  const sealed = await h.runtime.deps.store.getSetting<Record<string, unknown>>(name);
  expect(JSON.stringify(sealed)).not.toContain('xoxb');
  expect(() => unseal(localKey(), installationKey({ teamId: 'T0OTHER' }), sealed)).toThrow();
  const installation = await vault().fetchInstallation({
    teamId: NEW_TEAM.id,
    enterpriseId: undefined,
    isEnterpriseInstall: false,
  });
  expect(installation).toMatchObject({
    team: NEW_TEAM,
    user: { id: 'U0INSTALLER' },
    bot: { token: NEW_TOKEN, userId: 'U0BOTGAMMA', id: `B0BOT${NEW_TEAM.id}`, scopes: [...BOT_SCOPES] },
  });
  const audit = await h.runtime.deps.store.listAudit(INSTALLATIONS_AUDIT_KEY);
  expect(audit.map((event) => event.action)).toEqual(['slack-installed']);
  expect(audit[0]!.details).toMatchObject({
    team: NEW_TEAM.id,
    installer: 'U0INSTALLER',
    botUser: 'U0BOTGAMMA',
  });
  expect(JSON.stringify(audit)).not.toContain(NEW_TOKEN);

  // A signed request from the new workspace is served with its own token.
  await h.click(NEW_TEAM.id, CREATE_CASE, 'fp-unknown', 'C0GAMMA');
  const ephemeral = h.slackCalls.filter((call) => call.method === 'chat.postEphemeral');
  expect(ephemeral.map((call) => call.token)).toEqual([NEW_TOKEN]);
});

test('a replayed redirect (same state, same cookie) is refused and exchanges nothing', async () => {
  const { state, cookie } = await openInstallPage();
  h.codes.set('code-1', accessAnswer());
  expect((await redirect({ code: 'code-1', state }, cookie)).status).toBe(200);
  h.codes.set('code-2', accessAnswer({ access_token: 'xoxb-replayed' }));
  const replay = await redirect({ code: 'code-2', state }, cookie);
  expect(replay.status).toBe(400);
  expect(await replay.text()).toContain('was not installed');
  expect(exchanges()).toHaveLength(1);
  expect((await vault().botTokenOf(NEW_TEAM.id)) ?? '').toBe(NEW_TOKEN);
});

test.each([
  [
    'forged (signed with another secret)',
    async () =>
      new ClearStateStore('another-secret-another-secret-xx').generateStateParam({ scopes: [] }, new Date()),
  ],
  [
    'altered (one character changed)',
    // The second-to-last character changes (the last may carry unused base64 bits): to B if it was A.
    async (state: string) => `${state.slice(0, -2)}${state.at(-2) === 'A' ? 'B' : 'A'}${state.slice(-1)}`,
  ],
])('a %s state is refused and exchanges nothing', async (_name, make) => {
  const { state } = await openInstallPage();
  const bad = await make(state);
  h.codes.set('code-1', accessAnswer());
  const response = await redirect({ code: 'code-1', state: bad }, `slack-app-oauth-state=${bad}`);
  expect(response.status).toBe(400);
  expect(exchanges()).toEqual([]);
  expect(await vault().botTokenOf(NEW_TEAM.id)).toBeUndefined();
  const audit = await h.runtime.deps.store.listAudit(INSTALLATIONS_AUDIT_KEY);
  expect(audit.map((event) => [event.action, event.details?.code])).toEqual([
    ['slack-install-refused', 'slack_oauth_invalid_state'],
  ]);
});

test('an expired state (older than ten minutes) is refused', async () => {
  const { state, cookie } = await openInstallPage();
  h.clock.now = new Date(h.clock.now.getTime() + (STATE_MAX_AGE_SECONDS + 1) * 1000);
  h.codes.set('code-1', accessAnswer());
  expect((await redirect({ code: 'code-1', state }, cookie)).status).toBe(400);
  expect(exchanges()).toEqual([]);
});

test('a valid state from another browser (no state cookie) is refused', async () => {
  const { state } = await openInstallPage();
  h.codes.set('code-1', accessAnswer());
  expect((await redirect({ code: 'code-1', state })).status).toBe(400);
  expect(exchanges()).toEqual([]);
});

test('a code Slack refuses installs nothing', async () => {
  const { state, cookie } = await openInstallPage();
  const response = await redirect({ code: 'not-a-code', state }, cookie);
  expect(response.status).toBe(400);
  expect(exchanges()).toHaveLength(1);
  expect(await vault().botTokenOf(NEW_TEAM.id)).toBeUndefined();
});

test('an org-wide (Enterprise Grid) install is kept for the org and serves its workspaces', async () => {
  const { state, cookie } = await openInstallPage();
  h.codes.set(
    'code-org',
    accessAnswer({ team: null, enterprise: { id: 'E0ORG', name: 'Org' }, is_enterprise_install: true }),
  );
  expect((await redirect({ code: 'code-org', state }, cookie)).status).toBe(200);
  expect(
    await h.runtime.deps.store.getSetting(
      installationKey({ enterpriseId: 'E0ORG', isEnterpriseInstall: true }),
    ),
  ).toBeDefined();
  const installation = await vault().fetchInstallation({
    teamId: 'T0ORGWS',
    enterpriseId: 'E0ORG',
    isEnterpriseInstall: false,
  });
  expect(installation.bot?.token).toBe(NEW_TOKEN);
});

describe('uninstall', () => {
  const envelope = (event: Record<string, unknown>) => ({
    token: 'legacy-token',
    team_id: NEW_TEAM.id,
    api_app_id: 'A0HIVEWIRE',
    event: { event_ts: '1764064800.000100', ...event },
    type: 'event_callback',
    event_id: `Ev${String(event.type).toUpperCase().replace(/_/g, '')}`,
    event_time: Math.floor(h.clock.now.getTime() / 1000),
  });

  beforeEach(async () => {
    await h.install(NEW_TEAM.id, NEW_TOKEN);
  });

  test.each([
    ['app_uninstalled', { type: 'app_uninstalled' }],
    ['tokens_revoked', { type: 'tokens_revoked', tokens: { bot: ['U0BOTGAMMA'] } }],
  ])('%s deletes the workspace’s installation at once, audited', async (name, event) => {
    const response = await h.slack(JSON.stringify(envelope(event)), 'application/json');
    expect(response.status).toBe(200);
    expect(await vault().botTokenOf(NEW_TEAM.id)).toBeUndefined();
    const audit = await h.runtime.deps.store.listAudit(INSTALLATIONS_AUDIT_KEY);
    expect(audit.map((entry) => [entry.action, entry.details?.reason])).toEqual([
      ['slack-uninstalled', name],
    ]);
  });

  test('tokens_revoked for user tokens only keeps the bot’s installation', async () => {
    await h.slack(
      JSON.stringify(envelope({ type: 'tokens_revoked', tokens: { oauth: ['U0SOMEONE'] } })),
      'application/json',
    );
    expect(await vault().botTokenOf(NEW_TEAM.id)).toBe(NEW_TOKEN);
  });
});

test('the single SLACK_BOT_TOKEN still serves its own workspace, with no installation in the store', async () => {
  await h.click(SOC.team, CREATE_CASE, 'fp-unknown', SOC.channel);
  const ephemeral = h.slackCalls.filter((call) => call.method === 'chat.postEphemeral');
  expect(ephemeral.map((call) => call.token)).toEqual([SOC.token]);
});
