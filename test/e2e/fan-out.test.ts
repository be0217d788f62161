/**
 * One finding on every platform its customer routes to, end to end through the real routes: the
 * product in this process with the sandbox's Slack, Webex and TheHive stand-ins (Slack and Webex
 * answer over HTTP as their APIs do; clicks come back as signed webhooks; TheHive notifies the real
 * webhook route). The sandbox routes the default customer to Slack and to a Webex space, and the
 * config file routes it to the sandbox's Teams channel, where the registered Teams adapter posts it.
 * Re-deliveries (the same finding twice at once and again, a second click, TheHive's notification sent
 * again) add nothing anywhere. A person who clicks on one platform is named on the others by the name
 * their platform gave (a Slack user name, a Webex display name), mentioned only on their own.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CREATE_CASE } from '../../blocks/actions';
import { literal } from '../../blocks/escape';
import { webexClientFor } from '../../src/chat/webex/adapter';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import type { AlertRecord } from '../../src/domain/alert';
import { SANDBOX_TEAMS } from '../../src/sandbox/teams-tenant';
import { SANDBOX_USERS } from '../../src/sandbox/slack-workspace';
import { SANDBOX_WEBEX_PEOPLE } from '../../src/sandbox/webex-space';
import { textsOfType } from '../helpers/adaptive-cards';
import { eventually } from '../helpers/eventually';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';
import { settleWebex, webexSpaceOf } from '../helpers/webex-space';

const [ALICE, BOB] = SANDBOX_WEBEX_PEOPLE as [
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
];
const ROOM = SANDBOX_DEFAULTS.webexRoomId;
const TEAMS_CHANNEL = SANDBOX_TEAMS.channel.id;
const FINDING = readFileSync(
  join(__dirname, '../../fixtures/aws/guardduty-iamuser-toripcaller.json'),
  'utf8',
);

let product: InProcessSandbox;
/** TheHive's webhook deliveries to the product, as sent (to send one again). */
const theHiveDeliveries: { url: string; init: RequestInit }[] = [];
const realFetch = globalThis.fetch;
/** Generous: the CI runs this on 2 cores shared with the rest of the suite; alone it takes seconds. */
const FLOW_TIMEOUT_MS = 180_000;

beforeAll(async () => {
  const configDir = mkdtempSync(join(tmpdir(), 'hivewire-fan-out-config-'));
  const configFile = join(configDir, 'hivewire.yml');
  writeFileSync(
    configFile,
    `defaults:\n  teams: { team: '${SANDBOX_TEAMS.team.id}', channel: '${TEAMS_CHANNEL}' }\n`,
  );
  product = await startInProcessSandbox({ HIVEWIRE_CONFIG: configFile });
  await registerWebexWebhooks(webexClientFor(product.config), {
    targetUrl: `${product.server.url}/webex/events`,
    secret: SANDBOX_DEFAULTS.webexWebhookSecret,
  });
  jest.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
    const url = String(input instanceof Request ? input.url : input);
    if (url.endsWith('/thehive/webhook') && init) theHiveDeliveries.push({ url, init });
    return realFetch(input, init);
  });
}, FLOW_TIMEOUT_MS);

afterAll(async () => {
  jest.restoreAllMocks();
  await product?.close();
});

const space = () => webexSpaceOf(product);
const settle = () => settleWebex(product);

async function ingest(finding = FINDING): Promise<string> {
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}` },
    body: finding,
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { fingerprints: string[] }).fingerprints[0]!;
}

const alertOf = async (fingerprint: string): Promise<AlertRecord> =>
  (await product.runtime.deps.store.getAlert(fingerprint))!;

/** The Slack thread's replies under the alert (its root excluded), as text. */
function slackThread(alert: AlertRecord): string[] {
  return product.sandbox.workspace
    .replies(alert.channel, alert.ts!)
    .messages.slice(1)
    .map((message) => message.text ?? '');
}

function webexThread(alert: AlertRecord): string[] {
  const root = alert.posts!.webex!.messageId!;
  return space()
    .messages(ROOM)
    .filter((message) => message.parentId === root)
    .map((message) => message.markdown ?? '');
}

/** The texts of the cards in the alert's Teams reply chain. */
function teamsThread(alert: AlertRecord): string[] {
  const root = alert.posts!.teams!.messageId!;
  return product.sandbox.teams
    .history(TEAMS_CHANNEL)
    .filter((activity) => activity.replyToId === root && activity.id !== root)
    .flatMap((activity) => textsOfType(activity.attachments));
}

const slackRoots = (alert: AlertRecord) =>
  product.sandbox.workspace.history(alert.channel).messages.filter((message) => message.ts === alert.ts);
const webexRoots = () =>
  space()
    .messages(ROOM)
    .filter((message) => message.attachments && !message.parentId);

describe('one finding routed to Slack and Webex', () => {
  it(
    'gets a root message on each, the case and its changes threaded on both, and nothing twice',
    async () => {
      const [first, second] = await Promise.all([ingest(), ingest()]);
      expect(second).toBe(first);
      await settle();
      await ingest();
      await settle();
      let alert = await alertOf(first);
      expect(alert.ts).toBeDefined();
      expect(alert.posts?.webex).toEqual({ channel: ROOM, messageId: expect.any(String) });
      expect(slackRoots(alert)).toHaveLength(1);
      expect(webexRoots()).toHaveLength(1);
      expect(slackThread(alert)).toEqual([]);
      expect(webexThread(alert)).toEqual([]);

      // Create Case from the Webex card: the case link is threaded on both platforms, once.
      const click = {
        type: 'submit',
        messageId: alert.posts!.webex!.messageId!,
        inputs: { action: 'hivewire.create_case', fingerprint: first },
      };
      space().submitCard(ALICE, click);
      await settle();
      alert = await alertOf(first);
      expect(alert).toMatchObject({ state: 'escalated', caseNumber: expect.any(Number) });
      const opened = new RegExp(`^📁 .*Case #${alert.caseNumber}.* opened in TheHive by `);
      expect(slackThread(alert)).toEqual([expect.stringMatching(opened)]);
      expect(webexThread(alert)).toEqual([expect.stringMatching(opened)]);
      // Slack and Teams, where her Webex id means nothing, name her by her Webex display name.
      expect(slackThread(alert)[0]).toContain(`by ${literal(ALICE.displayName)} with`);
      expect(teamsThread(alert)).toEqual([expect.stringContaining(`by ${ALICE.displayName} with`)]);
      expect(webexThread(alert)[0]).toContain(`by <@personId:${ALICE.id}> with`);

      // A second click: the same case, a notice to the clicker, no second case-opened reply.
      space().submitCard(BOB, click);
      await settle();
      expect(product.sandbox.theHive.listCases()).toHaveLength(1);
      expect(slackThread(alert).filter((text) => opened.test(text))).toHaveLength(1);
      expect(webexThread(alert).filter((text) => opened.test(text))).toHaveLength(1);
      expect(webexThread(alert).at(-1)).toMatch(
        new RegExp(`^<@personId:${BOB.id}> Case #\\d+ already exists`),
      );

      // A status change in TheHive is threaded on both.
      const delivered = theHiveDeliveries.length;
      product.sandbox.theHive.updateCase(
        String(alert.caseNumber),
        { status: 'InProgress' },
        'analyst@example.com',
      );
      await product.sandbox.theHive.flush();
      const status = /Status `?New`? → `?InProgress/;
      await eventually(
        'the status change threaded on both platforms',
        async () => {
          await settle();
          const current = await alertOf(first);
          return slackThread(current).some((text) => status.test(text)) &&
            webexThread(current).some((text) => status.test(text))
            ? current
            : undefined;
        },
        120_000,
      );

      // TheHive's notification delivered again (the webhook route, as TheHive sent it): nothing new.
      const resent = theHiveDeliveries.slice(delivered);
      expect(resent.length).toBeGreaterThan(0);
      for (const { url, init } of resent) expect((await realFetch(url, init)).status).toBeLessThan(300);
      await settle();
      alert = await alertOf(first);
      expect(slackThread(alert).filter((text) => status.test(text))).toHaveLength(1);
      expect(webexThread(alert).filter((text) => status.test(text))).toHaveLength(1);
      expect(alert.pendingReplies ?? []).toEqual([]);
      expect(slackRoots(alert)).toHaveLength(1);
      expect(webexRoots()).toHaveLength(1);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'names a Slack analyst who clicks Create Case by their Slack name in the Webex and Teams threads',
    async () => {
      // Another finding than the first test's (its own fingerprint), posted on all three platforms.
      const event = JSON.parse(FINDING) as { id: string; arn: string };
      const id = 'f4ce0ffee0ddba11f4ce0ffee0ddba11';
      const fingerprint = await ingest(
        JSON.stringify({ ...event, id, arn: event.arn.replace(event.id, id) }),
      );
      await settle();
      let alert = await alertOf(fingerprint);
      expect(alert.posts?.webex?.messageId).toEqual(expect.any(String));
      expect(alert.posts?.teams?.messageId).toEqual(expect.any(String));

      // Alice clicks Create Case in Slack: a signed block_actions into the real /slack/events route.
      const root = slackRoots(alert)[0]!;
      const actions = (root.blocks ?? []).find(
        (block) =>
          Array.isArray(block.elements) &&
          (block.elements as { action_id?: string }[]).some((element) => element.action_id === CREATE_CASE),
      );
      const alice = SANDBOX_USERS.find((user) => user.id === 'U0ALICE')!;
      const click = await fetch(`${product.server.url}/sandbox/console/click`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          channel: alert.channel,
          ts: alert.ts,
          actionId: CREATE_CASE,
          blockId: actions?.block_id,
          userId: alice.id,
        }),
      });
      expect(await click.json()).toMatchObject({ status: 200, result: 'ok' });
      alert = await eventually(
        'the case opened and its link threaded on every platform',
        async () => {
          await settle();
          const current = await alertOf(fingerprint);
          return current.caseNumber !== undefined &&
            current.posts?.webex?.caseReplyId &&
            current.posts.teams?.caseReplyId
            ? current
            : undefined;
        },
        120_000,
      );

      // Slack mentions her; Webex and Teams, where her Slack id means nothing, name her.
      const opened = `Case #${alert.caseNumber}`;
      expect(slackThread(alert)).toEqual([
        expect.stringMatching(new RegExp(`${opened}.* opened in TheHive by <@${alice.id}> with `)),
      ]);
      expect(webexThread(alert)).toEqual([
        expect.stringMatching(new RegExp(`${opened}.* opened in TheHive by ${alice.name} with `)),
      ]);
      expect(teamsThread(alert)).toEqual([
        expect.stringMatching(new RegExp(`^📁 ${opened} opened in TheHive by ${alice.name} with `)),
      ]);
      expect([...webexThread(alert), ...teamsThread(alert)].join('\n')).not.toContain(alice.id);
    },
    FLOW_TIMEOUT_MS,
  );

  it(
    'posts the alert in the routed Teams channel through the registered Teams adapter',
    async () => {
      const fingerprint = await ingest();
      await settle();
      const alert = await alertOf(fingerprint);
      expect(product.runtime.deps.chats.teams?.platform).toBe('teams');
      expect(alert.posts?.teams).toMatchObject({ channel: TEAMS_CHANNEL, messageId: expect.any(String) });
      const skipped = (await product.runtime.deps.store.listAudit(fingerprint)).filter(
        (event) => event.action === 'not-posted',
      );
      expect(skipped).toEqual([]);
    },
    FLOW_TIMEOUT_MS,
  );
});
