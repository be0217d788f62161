/**
 * Webex clicks, forms and commands through the real route: the sandbox Webex stand-in delivers each
 * card submission and message to `POST /webex/events` signed with the webhook secret, as Webex does;
 * the product reads it back through its Webex client and answers in the alert's thread. Forged or
 * missing signatures get a 401 and nothing is done.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { renderWebexAlert } from '../../src/alerts/render';
import { webexClientFor } from '../../src/chat/webex/adapter';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { SANDBOX_DEFAULTS } from '../../src/config';
import { signWebexBody } from '../../src/http/webex-signature';
import {
  SANDBOX_WEBEX_BOT,
  SANDBOX_WEBEX_PEOPLE,
  type WebexMessageRecord,
} from '../../src/sandbox/webex-space';
import type { AlertRecord } from '../../src/domain/alert';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';
import { settleWebex, webexSpaceOf } from '../helpers/webex-space';

const [ALICE, BOB] = SANDBOX_WEBEX_PEOPLE as [
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
];
const ROOM = SANDBOX_DEFAULTS.webexRoomId;
const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures', path), 'utf8'));

let product: InProcessSandbox;

beforeAll(async () => {
  const configDir = mkdtempSync(join(tmpdir(), 'hivewire-webex-config-'));
  const configFile = join(configDir, 'hivewire.yml');
  writeFileSync(configFile, 'webex:\n  admins: [bob@example.com]\n');
  product = await startInProcessSandbox({ HIVEWIRE_CONFIG: configFile });
  await registerWebexWebhooks(webexClientFor(product.config), {
    targetUrl: `${product.server.url}/webex/events`,
    secret: SANDBOX_DEFAULTS.webexWebhookSecret,
  });
});

afterAll(async () => {
  await product?.close();
});

const space = () => webexSpaceOf(product);
const settle = () => settleWebex(product);

/** Posts a finding through /ingest: the product posts its card in the Webex space. */
async function alertWithCard(path: string): Promise<{ alert: AlertRecord; cardId: string }> {
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}` },
    body: JSON.stringify(fixture(path)),
  });
  const { fingerprints } = (await response.json()) as { fingerprints: string[] };
  await settle();
  const alert = (await product.runtime.deps.store.getAlert(fingerprints[0]!))!;
  const cardId = alert.posts?.webex?.messageId;
  if (!cardId) throw new Error('no Webex card posted');
  const card = space().message(cardId);
  expect(card).toMatchObject({
    roomId: ROOM,
    personId: SANDBOX_WEBEX_BOT.id,
    attachments: [renderWebexAlert(alert, product.config).attachments![0]],
  });
  return { alert, cardId };
}

function thread(rootId: string): WebexMessageRecord[] {
  return space()
    .messages(ROOM)
    .filter((message) => message.parentId === rootId);
}

describe('Webex webhooks', () => {
  it('are registered once, whatever how often the start-up step runs', async () => {
    const client = webexClientFor(product.config);
    const again = await registerWebexWebhooks(client, {
      targetUrl: `${product.server.url}/webex/events`,
      secret: SANDBOX_DEFAULTS.webexWebhookSecret,
    });
    expect(again.map((webhook) => webhook.outcome)).toEqual(['updated', 'updated']);
    expect((await client.listWebhooks()).map((webhook) => [webhook.resource, webhook.targetUrl])).toEqual([
      ['messages', `${product.server.url}/webex/events`],
      ['attachmentActions', `${product.server.url}/webex/events`],
    ]);
  });

  it('refuse a forged or missing signature with 401 and do nothing', async () => {
    const body = JSON.stringify({
      id: 'w',
      resource: 'attachmentActions',
      event: 'created',
      data: { id: 'a', roomId: ROOM, personId: ALICE.id },
    });
    const post = (headers: Record<string, string>) =>
      fetch(`${product.server.url}/webex/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const before = await product.runtime.deps.store.listDeadLetters(100);
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-spark-signature': signWebexBody('not the secret', body) })).status).toBe(401);
    expect(
      (await post({ 'x-spark-signature': signWebexBody(SANDBOX_DEFAULTS.webexWebhookSecret, `${body} `) }))
        .status,
    ).toBe(401);
    await settle();
    expect(await product.runtime.deps.store.listDeadLetters(100)).toEqual(before);
  });

  it('keep a signed body that is not a Webex delivery as a dead letter, naming the field', async () => {
    const body = JSON.stringify({ id: 'w', resource: 'rooms', event: 'created', data: {} });
    const response = await fetch(`${product.server.url}/webex/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-spark-signature': signWebexBody(SANDBOX_DEFAULTS.webexWebhookSecret, body),
      },
      body,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/^resource: /);
    const [letter] = await product.runtime.deps.store.listDeadLetters(1);
    expect(letter).toMatchObject({ kind: 'rejected-webex-event', payload: JSON.parse(body) });
  });
});

describe('Create Case from a Webex card', () => {
  it('escalates through the same use case, and tells a second clicker in the thread that the case exists', async () => {
    const { alert, cardId } = await alertWithCard('aws/guardduty-iamuser-toripcaller.json');
    space().submitCard(ALICE, {
      type: 'submit',
      messageId: cardId,
      inputs: { action: 'hivewire.create_case', fingerprint: alert.fingerprint },
    });
    await settle();
    const escalated = await product.runtime.deps.store.getAlert(alert.fingerprint);
    expect(escalated).toMatchObject({
      state: 'escalated',
      escalatedBy: ALICE.id,
      caseNumber: expect.any(Number),
    });
    expect(product.sandbox.theHive.listCases()).toHaveLength(1);
    const caseNumber = escalated!.caseNumber!;
    expect(thread(cardId).map((message) => message.markdown)).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^📁 \\[Case #${caseNumber}\\]\\(http://127\\.0\\.0\\.1:\\d+/sandbox/thehive/.+\\) opened in TheHive by <@personId:${ALICE.id}> with 1 observable$`,
        ),
      ),
    );

    // A status change in TheHive is threaded back under the Webex card too.
    product.sandbox.theHive.updateCase(String(caseNumber), { status: 'InProgress' }, 'analyst@example.com');
    await product.sandbox.theHive.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await settle();
    expect(thread(cardId).at(-1)?.markdown).toMatch(
      new RegExp(
        `^\\[Case #${caseNumber}\\]\\(.+\\) updated in TheHive by analyst@example\\[\\.\\]com  \\n🔄 Status New → InProgress$`,
      ),
    );

    space().submitCard(BOB, {
      type: 'submit',
      messageId: cardId,
      inputs: { action: 'hivewire.create_case', fingerprint: alert.fingerprint },
    });
    await settle();
    expect(product.sandbox.theHive.listCases()).toHaveLength(1);
    const notice = thread(cardId).at(-1)!;
    expect(notice.personId).toBe(SANDBOX_WEBEX_BOT.id);
    expect(notice.markdown).toContain(`<@personId:${BOB.id}>`);
    expect(notice.markdown).toMatch(
      /Case #\d+ already exists: \[Open in TheHive\]\(http:\/\/127\.0\.0\.1:\d+\/sandbox\/thehive\//,
    );
  });
});

describe('Ignore from a Webex card', () => {
  it('asks the reason with a form in the thread, and ignores the alert when the form is sent', async () => {
    const { alert, cardId } = await alertWithCard('aws/guardduty-backdoor-denialofservice-tcp.json');
    space().submitCard(ALICE, {
      type: 'submit',
      messageId: cardId,
      inputs: { action: 'hivewire.ignore', fingerprint: alert.fingerprint },
    });
    await settle();
    const form = thread(cardId).at(-1)!;
    expect(form.attachments?.[0]?.content).toMatchObject({
      version: '1.3',
      actions: [{ data: { action: 'hivewire.ignore_modal', fingerprint: alert.fingerprint } }],
    });
    expect((await product.runtime.deps.store.getAlert(alert.fingerprint))?.state).toBe('open');

    space().submitCard(ALICE, {
      type: 'submit',
      messageId: form.id,
      inputs: {
        action: 'hivewire.ignore_modal',
        fingerprint: alert.fingerprint,
        reason: 'false-positive',
        note: 'scanner **x**',
      },
    });
    await settle();
    expect(await product.runtime.deps.store.getAlert(alert.fingerprint)).toMatchObject({
      state: 'ignored',
      ignoredBy: ALICE.id,
      ignoreReason: 'False positive — scanner **x**',
    });
    expect(thread(cardId).at(-1)?.markdown).toBe(
      `🙈 Ignored by <@personId:${ALICE.id}>: False positive — scanner \\*\\*x\\*\\*`,
    );
  });
});

describe('@Hivewire commands in a Webex space', () => {
  async function say(person: typeof ALICE, text: string): Promise<string> {
    const message = space().createMessage(person, {
      roomId: ROOM,
      text: `Hivewire ${text}`,
      markdown: `<@personId:${SANDBOX_WEBEX_BOT.id}|Hivewire> ${text}`,
    });
    await settle();
    return thread(message.id).at(-1)?.markdown ?? '';
  }

  it('answers help in the thread, and ignores its own messages', async () => {
    const before = space().messages(ROOM).length;
    expect(await say(ALICE, 'help')).toMatch(/^\*\*Hivewire\*\* turns security findings/);
    expect(space().messages(ROOM).length).toBe(before + 2);
  });

  it('changes the threshold for an admin by email, and refuses anyone else', async () => {
    expect(await say(ALICE, 'threshold high')).toMatch(/^⛔ <@personId:[^>]+> Only Hivewire admins/);
    expect(await say(BOB, 'threshold high')).toMatch(
      /set the severity threshold: \*\*MEDIUM\*\* → \*\*HIGH\*\*/,
    );
    expect(await say(ALICE, 'threshold')).toBe(
      'Findings below **HIGH** are not posted (set with the threshold command).',
    );
    const audit = await product.runtime.deps.store.listAudit('settings');
    expect(audit.map((event) => event.action)).toEqual(['threshold-refused', 'threshold-changed']);
  });
});

describe('A finding republished', () => {
  it('keeps one card in the space and says "seen again" in its thread (Webex cannot edit a card)', async () => {
    const { alert, cardId } = await alertWithCard('derived/guardduty-event-impact-s3-maliciousipcaller.json');
    const cards = () =>
      space()
        .messages(ROOM)
        .filter((message) => message.attachments && !message.parentId);
    const before = cards().length;
    await fetch(`${product.server.url}/ingest`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`,
      },
      body: JSON.stringify(fixture('derived/guardduty-event-impact-s3-maliciousipcaller-republished.json')),
    });
    await settle();
    expect(cards().length).toBe(before);
    const updated = await product.runtime.deps.store.getAlert(alert.fingerprint);
    expect(updated?.count).toBeGreaterThan(alert.count);
    expect(thread(cardId).at(-1)?.markdown).toMatch(
      new RegExp(
        `^🔁 Seen again: ${updated?.count} times in all, last \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC`,
      ),
    );
  });
});
