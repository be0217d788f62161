/**
 * Many customers, through the real routes: each customer's alerts, clicks, cases, notifications and
 * threshold stay in its own Slack workspace and TheHive organisation.
 */
import { ASK_USER, CREATE_CASE, IGNORE, TRIAGE_NO } from '../../blocks/actions';
import { admitNewFinding } from '../../src/alerts/admission';
import { reconcile } from '../../src/cases/reconcile';
import { ConfigError, resolveConfig } from '../../src/config/config';
import { parseConfigFile } from '../../src/config/config-file';
import { routeFor } from '../../src/enrich/enrich';
import { workspaceMayActOn } from '../../src/enrich/tenancy';
import { theHiveCase } from '../clients/thehive/fixtures';
import {
  ACME,
  BETA,
  CONFIG_YAML,
  ENV,
  SOC,
  startCustomersHarness,
  type CustomersHarness,
} from '../helpers/customers';
import { caseEvent } from '../helpers/sync';

let h: CustomersHarness;

beforeEach(async () => {
  h = await startCustomersHarness();
  // Acme installed the app through OAuth; its token is in the store, encrypted.
  await h.install(ACME.team, ACME.token);
});

afterEach(async () => {
  await h.close();
});

const acmeAlert = () =>
  h.seedAlert({
    fingerprint: 'fp-acme',
    channel: ACME.channel,
    finding: { fingerprint: 'fp-acme', customer: 'acme' },
  });
const betaAlert = () =>
  h.seedAlert({
    fingerprint: 'fp-beta',
    channel: BETA.channel,
    finding: { fingerprint: 'fp-beta', customer: 'beta' },
  });

describe('config', () => {
  test('a customer names its workspace and channel, its organisation and the name of its key', () => {
    expect(h.config.file.customers.beta).toMatchObject({
      slack: { team: BETA.team, channel: BETA.channel },
      thehive: { organisation: 'beta', apiKeySecret: 'BETA_THEHIVE_KEY' },
    });
    expect(h.config.theHive.customerApiKeys).toEqual({ beta: BETA.key });
    expect(routeFor({ customer: 'acme' }, h.config)).toMatchObject({ channel: ACME.channel, tlp: 3 });
  });

  test('two customers in one workspace are refused, naming the key', () => {
    const yaml = `customers:\n  a: { slack: { team: T0SAME, channel: C0A } }\n  b: { slack: { team: T0SAME, channel: C0B } }\n`;
    expect(() => parseConfigFile(yaml)).toThrow(/customers: two customers name the same slack.team/);
  });

  test('a key secret that is not set stops the start, naming the customer and the variable', () => {
    const { BETA_THEHIVE_KEY: _unset, ...env } = ENV;
    expect(() => resolveConfig(env, parseConfigFile(CONFIG_YAML))).toThrow(
      new ConfigError('customers.beta.thehive.apiKeySecret: BETA_THEHIVE_KEY is not set'),
    );
  });

  test('workspace rule: a customer’s own workspace only; the provider’s alerts from no customer’s workspace', () => {
    expect(workspaceMayActOn(h.config, 'acme', ACME.team)).toBe(true);
    expect(workspaceMayActOn(h.config, 'acme', BETA.team)).toBe(false);
    expect(workspaceMayActOn(h.config, 'acme', SOC.team)).toBe(false);
    expect(workspaceMayActOn(h.config, 'acme', undefined)).toBe(false);
    expect(workspaceMayActOn(h.config, 'internal', SOC.team)).toBe(true);
    expect(workspaceMayActOn(h.config, 'internal', ACME.team)).toBe(false);
  });
});

describe('clicks are checked by workspace, not by fingerprint alone', () => {
  test('a signed Create Case from workspace A on B’s alert is refused: nothing queued, audited, told privately', async () => {
    await betaAlert();
    const response = await h.click(ACME.team, CREATE_CASE, 'fp-beta', ACME.channel);
    expect(response.status).toBe(200);
    await h.drain();
    expect((await h.runtime.deps.store.getAlert('fp-beta'))?.state).toBe('open');
    expect(h.theHiveCalls).toEqual([]);
    const audit = await h.runtime.deps.store.listAudit('fp-beta');
    expect(audit.map((event) => [event.action, event.details])).toContainEqual([
      'refused-other-workspace',
      { team: ACME.team },
    ]);
    // The refusal went to the clicker, in the workspace they clicked in, with that workspace's token.
    const ephemeral = h.slackCalls.filter((call) => call.method === 'chat.postEphemeral');
    expect(ephemeral).toHaveLength(1);
    expect(ephemeral[0]).toMatchObject({ token: ACME.token, args: { channel: ACME.channel } });
    expect(h.slackCalls.filter((call) => call.args.channel === BETA.channel)).toEqual([]);
  });

  test('Ignore from the provider’s workspace on a customer’s alert is refused too (no modal opened)', async () => {
    await acmeAlert();
    await h.click(SOC.team, IGNORE, 'fp-acme', SOC.channel);
    expect(h.slackCalls.map((call) => call.method)).not.toContain('views.open');
    expect((await h.runtime.deps.store.listAudit('fp-acme')).map((event) => event.action)).toContain(
      'refused-other-workspace',
    );
  });

  test('the same click from the customer’s own workspace escalates in its organisation, with its token', async () => {
    await acmeAlert();
    const response = await h.click(ACME.team, CREATE_CASE, 'fp-acme', ACME.channel);
    expect(response.status).toBe(200);
    await h.drain();
    const alert = await h.runtime.deps.store.getAlert('fp-acme');
    expect(alert).toMatchObject({ state: 'escalated', caseId: '~case-acme' });
    // Every TheHive call in Acme's organisation, with the provider's key (Acme has none of its own).
    expect(h.theHiveCalls.length).toBeGreaterThanOrEqual(2);
    expect(new Set(h.theHiveCalls.map((call) => [call.organisation, call.authorization].join(' ')))).toEqual(
      new Set([`acme Bearer ${SOC.key}`]),
    );
    // Every Slack call of the worker about this alert went to Acme's workspace with Acme's token.
    const about = h.slackCalls.filter((call) => call.args.channel === ACME.channel);
    expect(about.length).toBeGreaterThan(0);
    expect(new Set(about.map((call) => call.token))).toEqual(new Set([ACME.token]));
  });
});

describe('"was this you?" in the customer’s workspace', () => {
  test('the person is found and DMed with Acme’s token, and only an answer from Acme’s workspace counts', async () => {
    await h.seedAlert({
      fingerprint: 'fp-acme',
      channel: ACME.channel,
      ts: '1764064800.000100',
      finding: { fingerprint: 'fp-acme', customer: 'acme', actor: { name: 'bob', email: 'bob@acme.test' } },
    });
    expect((await h.click(ACME.team, ASK_USER, 'fp-acme', ACME.channel)).status).toBe(200);
    await h.drain();
    const asking = h.slackCalls.filter((call) =>
      ['users.lookupByEmail', 'conversations.open'].includes(call.method),
    );
    expect(asking.map((call) => [call.method, call.token])).toEqual([
      ['users.lookupByEmail', ACME.token],
      ['conversations.open', ACME.token],
    ]);
    const dm = `D0U0PERSON${ACME.team}`;
    const question = h.slackCalls.find(
      (call) => call.method === 'chat.postMessage' && call.args.channel === dm,
    );
    expect(question?.token).toBe(ACME.token);
    // Nothing but the app's own start-up check used the provider's token.
    expect(h.slackCalls.filter((call) => call.token === SOC.token && call.method !== 'auth.test')).toEqual(
      [],
    );
    const triageId = (await h.runtime.deps.store.listAudit('fp-acme')).find(
      (event) => event.action === 'triage-asked',
    )?.details?.triageId as string;
    expect(triageId).toBeDefined();

    // The same user id clicking from another workspace (Beta's, the provider's) is not the person asked.
    const answerFrom = (team: string) => h.slack(answerPayload(team, triageId, dm));
    await answerFrom(BETA.team);
    await answerFrom(SOC.team);
    expect((await h.runtime.deps.store.getSetting<{ state: string }>(`triage:${triageId}`))?.state).toBe(
      'asked',
    );
    await answerFrom(ACME.team);
    expect(
      await h.runtime.deps.store.getSetting<{ state: string; team: string }>(`triage:${triageId}`),
    ).toMatchObject({ state: 'answered', team: ACME.team });
  });
});

/** The person's "No" in the DM, as Slack sends it from `team` (the user id is the one Acme's lookup gave). */
function answerPayload(team: string, triageId: string, dm: string): string {
  const payload = {
    type: 'block_actions',
    team: { id: team, domain: team.toLowerCase() },
    user: { id: `U0PERSON${ACME.team}`, username: 'bob', name: 'bob', team_id: team },
    api_app_id: 'A0HIVEWIRE',
    token: 'legacy-token',
    trigger_id: '123.456.trigger',
    response_url: `https://hooks.slack.com/actions/${team}/1/response`,
    container: { type: 'message', message_ts: '1764065000.000001', channel_id: dm, is_ephemeral: false },
    channel: { id: dm, name: 'directmessage' },
    actions: [
      { type: 'button', action_id: TRIAGE_NO, block_id: 'triage', value: triageId, action_ts: '1.2' },
    ],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Escalates the seeded alerts as a Create Case click would, and runs the jobs. */
async function openCases(fingerprints: string[]) {
  const store = h.runtime.deps.store;
  for (const fingerprint of fingerprints) {
    await store.putAlert({ ...(await store.getAlert(fingerprint))!, state: 'escalating' });
    await h.runtime.deps.queue.enqueue({
      kind: 'create-case',
      fingerprint,
      userId: 'U0ANALYST',
      requestedAt: h.clock.now.toISOString(),
    });
  }
  await h.drain();
}

describe('TheHive: X-Organisation and key per customer', () => {
  test('Beta’s case is opened in Beta’s organisation with Beta’s own key; the provider’s alerts in its own', async () => {
    await betaAlert();
    await h.seedAlert({ fingerprint: 'fp-soc', finding: { fingerprint: 'fp-soc', customer: 'internal' } });
    await openCases(['fp-beta', 'fp-soc']);
    const byCase = (org: string) => h.theHiveCalls.filter((call) => call.organisation === org);
    expect(byCase('beta').map((call) => [call.method, call.path, call.authorization])).toEqual([
      ['POST', '/api/v1/alert', `Bearer ${BETA.key}`],
      ['POST', '/api/v1/alert/~alert-beta/case', `Bearer ${BETA.key}`],
    ]);
    expect(byCase('soc').map((call) => [call.method, call.path, call.authorization])).toEqual([
      ['POST', '/api/v1/alert', `Bearer ${SOC.key}`],
      ['POST', '/api/v1/alert/~alert-soc/case', `Bearer ${SOC.key}`],
    ]);
    expect(h.theHiveCalls).toHaveLength(4);
  });

  test('`/hivewire case 1` finds each customer’s own case #1, and a case indexed before organisations', async () => {
    await h.install(BETA.team, BETA.token);
    await acmeAlert();
    await betaAlert();
    await openCases(['fp-acme', 'fp-beta']);
    // TheHive gave both customers' cases the number 1, each in its own organisation.
    const caseIn = async (team: string) => JSON.stringify(await (await h.command(team, 'case 1')).json());
    expect(await caseIn(ACME.team)).toContain('~case-acme');
    expect(await caseIn(ACME.team)).not.toContain('~case-beta');
    expect(await caseIn(BETA.team)).toContain('~case-beta');
    // The provider's workspace sees neither.
    expect(await caseIn(SOC.team)).not.toMatch(/~case-(acme|beta)/);
    // A case indexed by its number alone (before organisations were kept) is still found.
    await h.seedAlert({
      fingerprint: 'fp-old',
      state: 'escalated',
      caseId: '~old-7',
      caseNumber: 7,
      finding: { fingerprint: 'fp-old', customer: 'acme' },
    });
    expect(JSON.stringify(await (await h.command(ACME.team, 'case 7')).json())).toContain('*Case #7* ·');
  });

  test('reconcile asks each organisation for its own followed cases only', async () => {
    for (const [fingerprint, customer, caseId] of [
      ['fp-acme', 'acme', '~acme-1'],
      ['fp-beta', 'beta', '~beta-1'],
    ] as const)
      await h.seedAlert({
        fingerprint,
        state: 'escalated',
        caseId,
        caseNumber: 1,
        case: { status: 'New', stage: 'New' },
        finding: { fingerprint, customer },
      });
    await reconcile(h.runtime.deps);
    const queries = h.theHiveCalls.filter((call) => call.path.startsWith('/api/v1/query'));
    expect(queries.map((call) => [call.organisation, call.authorization, JSON.stringify(call.body)])).toEqual(
      expect.arrayContaining([
        ['acme', `Bearer ${SOC.key}`, expect.stringContaining('~acme-1')],
        ['beta', `Bearer ${BETA.key}`, expect.stringContaining('~beta-1')],
      ]),
    );
    // One case listing per organisation; every other query (the case's comments, for the thread) stays in
    // the organisation of the case it names.
    expect(queries.filter((call) => JSON.stringify(call.body).includes('"listCase"'))).toHaveLength(2);
    for (const query of queries)
      expect(JSON.stringify(query.body)).not.toContain(query.organisation === 'acme' ? '~beta-1' : '~acme-1');
  });
});

describe('TheHive notifications are routed by organisation', () => {
  const followed = (fingerprint: string, customer: string, channel: string, caseId: string) =>
    h.seedAlert({
      fingerprint,
      channel,
      state: 'escalated',
      caseId,
      caseNumber: 1,
      case: { status: 'New', stage: 'New', severity: 2 },
      caseUpdatedAt: 1,
      finding: { fingerprint, customer },
    });

  /** TheHive's notification that `caseId` went InProgress, from `organisation` (v1 object or v0 name). */
  const inProgress = (caseId: string, organisation: unknown) =>
    caseEvent({
      objectId: caseId,
      object: theHiveCase({
        _id: caseId,
        number: 1,
        status: 'InProgress',
        stage: 'InProgress',
        _updatedAt: 5,
      }),
      extra: { organisation },
    });

  test('a notification from organisation A about B’s case never reaches B’s channel', async () => {
    await followed('fp-beta', 'beta', BETA.channel, '~beta-1');
    const forged = inProgress('~beta-1', { organisationId: '~1', organisation: 'acme' });
    expect((await h.webhook(forged)).status).toBe(202);
    await h.drain();
    expect(h.slackCalls.filter((call) => call.args.channel === BETA.channel)).toEqual([]);
    expect((await h.runtime.deps.store.getAlert('fp-beta'))?.case?.status).toBe('New');
    const audit = await h.runtime.deps.store.listAudit('fp-beta');
    expect(audit.map((event) => [event.action, event.details])).toContainEqual([
      'refused-other-organisation',
      { organisation: 'acme' },
    ]);
  });

  test('the same change from B’s own organisation is threaded in B’s channel with B’s workspace token', async () => {
    // Beta installs the app: from then on its channel is reached with its own token.
    await h.install(BETA.team, BETA.token);
    await followed('fp-beta', 'beta', BETA.channel, '~beta-1');
    const genuine = inProgress('~beta-1', { organisationId: '~2', organisation: 'beta' });
    expect((await h.webhook(genuine)).status).toBe(202);
    await h.drain();
    const replies = h.slackCalls.filter((call) => call.method === 'chat.postMessage');
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ token: BETA.token, args: { channel: BETA.channel } });
    expect((await h.runtime.deps.store.getAlert('fp-beta'))?.case?.status).toBe('InProgress');
  });

  /** TheHive's notification that someone commented on `caseId`, from `organisation`. */
  const commented = (caseId: string, organisation: unknown) =>
    caseEvent({
      action: 'create',
      objectType: 'Comment',
      objectId: '~comment-1',
      object: {
        _id: '~comment-1',
        _type: 'Comment',
        createdBy: 'mallory@acme.test',
        createdAt: 1795583100000,
        message: 'Posted from another organisation',
        isEdited: false,
        extraData: {},
      },
      extra: { rootId: caseId, organisation },
    });

  test('a comment notification from organisation A on B’s case is never threaded in B’s channel', async () => {
    await h.seedAlert({
      fingerprint: 'fp-beta',
      channel: BETA.channel,
      ts: '1764064800.000100',
      state: 'escalated',
      caseId: '~beta-1',
      caseNumber: 1,
      finding: { fingerprint: 'fp-beta', customer: 'beta' },
    });
    expect((await h.webhook(commented('~beta-1', { organisation: 'acme' }))).status).toBe(202);
    await h.drain();
    expect(h.slackCalls.filter((call) => call.args.channel === BETA.channel)).toEqual([]);
    const audit = await h.runtime.deps.store.listAudit('fp-beta');
    expect(audit.map((event) => [event.action, event.details])).toContainEqual([
      'refused-other-organisation',
      { organisation: 'acme' },
    ]);
    // The same comment from Beta's own organisation is threaded there.
    await h.install(BETA.team, BETA.token);
    expect((await h.webhook(commented('~beta-1', { organisation: 'beta' }))).status).toBe(202);
    await h.drain();
    const replies = h.slackCalls.filter(
      (call) => call.method === 'chat.postMessage' && call.args.channel === BETA.channel,
    );
    expect(replies.map((call) => [call.token, call.args.thread_ts])).toEqual([
      [BETA.token, '1764064800.000100'],
    ]);
  });

  test('a notification from a customer’s organisation cannot change the provider’s own alert', async () => {
    await followed('fp-soc', 'internal', SOC.channel, '~soc-1');
    const fromBeta = inProgress('~soc-1', 'beta');
    await h.webhook(fromBeta);
    await h.drain();
    expect(h.slackCalls.filter((call) => call.method === 'chat.postMessage')).toEqual([]);
  });
});

describe('thresholds per customer', () => {
  test('`/hivewire threshold high` in Acme’s workspace changes Acme’s threshold only', async () => {
    const response = await h.command(ACME.team, 'threshold high', 'U0ACMEADMIN');
    expect(response.status).toBe(200);
    expect(JSON.stringify(await response.json())).toContain('HIGH');
    const medium = { severity: 'MEDIUM' as const };
    expect((await admitNewFinding({ ...medium, customer: 'acme' }, h.runtime.deps)).posted).toBe(false);
    expect((await admitNewFinding({ ...medium, customer: 'beta' }, h.runtime.deps)).posted).toBe(true);
    expect((await admitNewFinding({ ...medium, customer: 'internal' }, h.runtime.deps)).posted).toBe(true);
    await h.install(BETA.team, BETA.token);
    const shownInBeta = await (await h.command(BETA.team, 'threshold')).json();
    expect(JSON.stringify(shownInBeta)).toContain('Findings below *MEDIUM* are not posted for `beta`');
    const audit = await h.runtime.deps.store.listAudit('settings');
    expect(audit.map((event) => event.details)).toEqual([{ from: 'MEDIUM', to: 'HIGH', customer: 'acme' }]);
  });

  test('in the provider’s workspace the command changes the provider’s threshold, not a customer’s set one', async () => {
    await h.command(ACME.team, 'threshold low', 'U0ACMEADMIN');
    await h.command(SOC.team, 'threshold critical');
    const high = { severity: 'HIGH' as const };
    expect((await admitNewFinding({ ...high, customer: 'internal' }, h.runtime.deps)).posted).toBe(false);
    expect((await admitNewFinding({ ...high, customer: 'acme' }, h.runtime.deps)).posted).toBe(true);
    expect((await admitNewFinding({ severity: 'LOW', customer: 'acme' }, h.runtime.deps)).posted).toBe(true);
  });
});
