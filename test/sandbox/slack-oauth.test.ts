/**
 * The sandbox's "Add to Slack": the install runs end to end against the sandbox's own authorize page and
 * `oauth.v2.access` (no Slack, no nock), installs Hivewire in the sandbox's second workspace, and a
 * customer of that workspace then gets its alerts there and escalates from there — while a click from
 * the first workspace on that customer's alert is refused. The stand-in's `oauth.v2.access` answers as
 * Slack's documented method does, read through `@slack/web-api`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { WebClient } from '@slack/web-api';
import { CREATE_CASE, IGNORE } from '../../blocks/actions';
import { IGNORE_REASON_BLOCK, IGNORE_REASON_INPUT } from '../../blocks/analyst/actions';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { INSTALLATIONS_AUDIT_KEY } from '../../src/slack/oauth';
import { InstallationVault } from '../../src/slack/installations';
import { INSTALLABLE_WORKSPACES } from '../../src/sandbox/slack-oauth';
import { eventually } from '../helpers/eventually';
import {
  sandboxSlackHeaders,
  startInProcessSandbox,
  temporaryDataDir,
  type InProcessSandbox,
} from '../helpers/sandbox-server';

const SECOND = INSTALLABLE_WORKSPACES[0];
const CHANNEL = 'C0GLOBEX';

let s: InProcessSandbox;

beforeAll(async () => {
  const configFile = join(temporaryDataDir(), 'hivewire.yml');
  writeFileSync(
    configFile,
    `accounts:\n  '973743533182': { name: globex-prod, customer: globex }\n` +
      `customers:\n  globex:\n    slack: { team: ${SECOND.id}, channel: ${CHANNEL} }\n    thehive: { organisation: GLOBEX }\n`,
  );
  s = await startInProcessSandbox({ HIVEWIRE_CONFIG: configFile });
});

afterAll(async () => {
  await s.close();
});

/** Follows the install as a browser would, keeping the state cookie; resolves to the last page. */
async function installInSecondWorkspace(): Promise<Response> {
  const installPage = await fetch(`${s.server.url}/slack/install`);
  const cookie = installPage.headers.get('set-cookie')!.split(';')[0]!;
  const authorizeUrl = /id="add-to-slack" href="([^"]+)"/
    .exec(await installPage.text())![1]!
    .replace(/&#38;/g, '&');
  expect(authorizeUrl.startsWith(`${s.config.publicUrl}/sandbox/slack/oauth/v2/authorize?`)).toBe(true);
  const consent = await fetch(authorizeUrl);
  const form = await consent.text();
  const fields = new URLSearchParams();
  for (const [, name, value] of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g))
    fields.set(
      name!,
      value!.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    );
  fields.set('team', SECOND.id);
  const allowed = await fetch(`${s.server.url}/sandbox/slack/oauth/v2/authorize`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  expect(allowed.status).toBe(302);
  return fetch(allowed.headers.get('location')!, { headers: { cookie } });
}

function click(team: string, fingerprint: string): Promise<Response> {
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: 'sandbox' },
    user: { id: 'U0ALICE', username: 'alice', name: 'alice', team_id: team },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '1.2.trigger',
    response_url: `${s.server.url}/sandbox/slack/response/none`,
    container: { type: 'message', message_ts: '1.000001', channel_id: CHANNEL, is_ephemeral: false },
    channel: { id: CHANNEL, name: 'globex-alerts' },
    message: { type: 'message', ts: '1.000001', text: 'alert', blocks: [] },
    actions: [
      { type: 'button', action_id: CREATE_CASE, block_id: 'a', value: fingerprint, action_ts: '1.000002' },
    ],
  };
  const body = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return fetch(`${s.server.url}/slack/events`, {
    method: 'POST',
    headers: sandboxSlackHeaders(body, 'application/x-www-form-urlencoded'),
    body,
  });
}

/** Ingests a fixture of Globex's account; resolves to its alert once posted in Globex's channel. */
async function postedGlobexAlert(fixture: string) {
  const ingested = await fetch(`${s.server.url}/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`, 'content-type': 'application/json' },
    body: readFileSync(join(__dirname, '../../fixtures/aws', fixture), 'utf8'),
  });
  expect(ingested.status).toBe(202);
  const { fingerprints } = (await ingested.json()) as { fingerprints: string[] };
  const posted = await eventually('the alert posted', async () => {
    const alert = await s.runtime.deps.store.getAlert(fingerprints[0]!);
    return alert?.ts ? alert : undefined;
  });
  expect(posted.channel).toBe(CHANNEL);
  expect(s.sandbox.workspace.getMessage(CHANNEL, posted.ts!)).toBeDefined();
  return posted;
}

/** The console's click on button `actionId` of the alert message `ts` in Globex's channel, as Alice. */
function consoleClick(ts: string, actionId: string): Promise<Response> {
  const message = s.sandbox.workspace.getMessage(CHANNEL, ts)!;
  const actions = (
    message.blocks as { type: string; block_id?: string; elements?: { action_id?: string }[] }[]
  ).find(
    (block) => block.type === 'actions' && block.elements?.some((element) => element.action_id === actionId),
  )!;
  return fetch(`${s.server.url}/sandbox/console/click`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel: CHANNEL, ts, actionId, blockId: actions.block_id, userId: 'U0ALICE' }),
  });
}

test('Add to Slack installs Hivewire in the second workspace; its alerts go there and the console escalates them from there', async () => {
  const installed = await installInSecondWorkspace();
  expect(installed.status).toBe(200);
  expect(await installed.text()).toContain(`Hivewire now posts alerts in ${SECOND.name}`);
  const vault = new InstallationVault(s.runtime.deps.store, s.config.slack.oauth!.installationKey);
  const token = await vault.botTokenOf(SECOND.id);
  expect(token).toMatch(new RegExp(`^xoxb-${SECOND.id}-`));
  const audit = await s.runtime.deps.store.listAudit(INSTALLATIONS_AUDIT_KEY);
  expect(audit.map((event) => [event.action, event.details?.team])).toEqual([['slack-installed', SECOND.id]]);

  // A finding of Globex's account is posted in Globex's channel, in the second workspace.
  const posted = await postedGlobexAlert('guardduty-iamuser-toripcaller.json');
  const { fingerprint } = posted;

  // From the first workspace: refused. From the second: the case opens and is threaded there.
  expect((await click('T0SANDBOX', fingerprint)).status).toBe(200);
  await s.runtime.queue.drain();
  expect((await s.runtime.deps.store.getAlert(fingerprint))?.state).toBe('open');
  // The console's click on the alert's button is sent from the workspace the channel is in.
  expect((await consoleClick(posted.ts!, CREATE_CASE)).status).toBe(200);
  const escalated = await eventually('the case linked', async () => {
    const alert = await s.runtime.deps.store.getAlert(fingerprint);
    return alert?.caseReplyTs ? alert : undefined;
  });
  expect(escalated.state).toBe('escalated');
  expect(s.sandbox.workspace.getMessage(CHANNEL, escalated.caseReplyTs!)?.threadTs).toBe(posted.ts);

  // The case lives in Globex's organisation: its notification names it, and the change is threaded there.
  s.sandbox.theHive.updateCase(escalated.caseId!, { status: 'InProgress' }, 'bob@example.com');
  await eventually('the status change applied', async () => {
    const alert = await s.runtime.deps.store.getAlert(fingerprint);
    return alert?.case?.status === 'InProgress' ? alert : undefined;
  });
  const trail = await s.runtime.deps.store.listAudit(fingerprint);
  expect(trail.map((event) => event.action)).not.toContain('refused-other-organisation');
});

test('the console’s Ignore on the second workspace’s alert: its modal is that workspace’s, and so is its submission', async () => {
  // The second workspace was installed by the first test.
  const posted = await postedGlobexAlert('guardduty-trojan-droppoint-dns.json');
  expect((await consoleClick(posted.ts!, IGNORE)).status).toBe(200);
  const modal = await eventually('the ignore modal open', async () =>
    s.sandbox.workspace.modalFor('U0ALICE'),
  );
  expect(modal.team.id).toBe(SECOND.id);
  const submitted = await fetch(`${s.server.url}/sandbox/console/view/submit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      viewId: modal.id,
      userId: 'U0ALICE',
      values: { [IGNORE_REASON_BLOCK]: { [IGNORE_REASON_INPUT]: { selected: ['false-positive'] } } },
    }),
  });
  expect(submitted.status).toBe(200);
  const ignored = await eventually('the alert ignored', async () => {
    const alert = await s.runtime.deps.store.getAlert(posted.fingerprint);
    return alert?.state === 'ignored' ? alert : undefined;
  });
  expect(ignored.ignoredBy).toBe('U0ALICE');
  const trail = await s.runtime.deps.store.listAudit(posted.fingerprint);
  expect(trail.map((event) => event.action)).not.toContain('refused-other-workspace');
});

test('the stand-in’s oauth.v2.access answers as Slack’s: a code it did not issue, or another client’s secret, is refused', async () => {
  const api = new WebClient(undefined, {
    slackApiUrl: `${s.server.url}/sandbox/slack/api/`,
    retryConfig: { retries: 0 },
  });
  const { clientId, clientSecret } = s.config.slack.oauth!;
  await expect(
    api.oauth.v2.access({ client_id: clientId, client_secret: clientSecret, code: 'never-issued' }),
  ).rejects.toMatchObject({ data: { ok: false, error: 'invalid_code' } });
  await expect(
    api.oauth.v2.access({ client_id: clientId, client_secret: 'wrong', code: 'never-issued' }),
  ).rejects.toMatchObject({ data: { ok: false, error: 'invalid_client_id' } });
});
