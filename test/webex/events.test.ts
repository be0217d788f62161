/**
 * Webex clicks, forms and commands through the real route: the sandbox Webex stand-in delivers each
 * card submission and message to `POST /webex/events` signed with the webhook secret, as Webex does;
 * the product reads it back through its Webex client and answers in the alert's thread. Forged or
 * missing signatures get a 401 and nothing is done.
 */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import nock from 'nock';
import { ENRICH } from '../../blocks/actions';
import { responseActionId } from '../../blocks/analyst/actions';
import { lookupTargetsOfAlert } from '../../src/lookups/targets';
import { renderWebexAlert } from '../../src/alerts/render';
import { webexChatOf, webexClientFor } from '../../src/chat/webex/adapter';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { signWebexBody } from '../../src/http/webex-signature';
import {
  SANDBOX_WEBEX_BOT,
  SANDBOX_WEBEX_PEOPLE,
  type WebexMessageRecord,
} from '../../src/sandbox/webex-space';
import type { AlertRecord } from '../../src/domain/alert';
import { eventually } from '../helpers/eventually';
import { rdapOnlyOffline } from '../helpers/offline-intel';
import type { InProcessSandbox } from '../helpers/sandbox-server';
import { ingestForWebex, settleWebex, startWebexProduct, webexSpaceOf } from '../helpers/webex-space';

const [ALICE, BOB] = SANDBOX_WEBEX_PEOPLE as [
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
];
const ROOM = SANDBOX_DEFAULTS.webexRoomId;
const ISOLATE = 'arn:aws:lambda:eu-west-1:111122223333:function:hivewire-isolate';
const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures', path), 'utf8'));

let product: InProcessSandbox;

beforeAll(async () => {
  product = await startWebexProduct(
    [
      'webex:',
      '  admins: [bob@example.com]',
      'responseActions:',
      '  - id: isolate',
      '    label: Isolate instance',
      "    findingTypes: ['UnauthorizedAccess:IAMUser/*']",
      `    lambda: ${ISOLATE}`,
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await product?.close();
});

const space = () => webexSpaceOf(product);
const settle = () => settleWebex(product);

/**
 * Posts a finding through /ingest: the product posts its card in the Webex space. `id` makes it another
 * finding (another alert) of the same kind.
 */
async function alertWithCard(path: string, id?: string): Promise<{ alert: AlertRecord; cardId: string }> {
  const event = fixture(path) as Record<string, unknown>;
  const alert = await ingestForWebex(
    product,
    id === undefined ? event : { ...event, id, arn: String(event.arn).replace(/[^/]+$/, id) },
  );
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

/** Delivers `body` to the route signed with the webhook secret, as Webex does. */
function postSigned(body: string): Promise<Response> {
  return fetch(`${product.server.url}/webex/events`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-spark-signature': signWebexBody(SANDBOX_DEFAULTS.webexWebhookSecret, body),
    },
    body,
  });
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
    const response = await postSigned(body);
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
    // The change reaches the bot as a webhook over HTTP, whenever the machine gets to it: looked for
    // between settles rather than after a fixed sleep.
    const updated = await eventually('the status change threaded under the card', async () => {
      await settle();
      const last = thread(cardId).at(-1)?.markdown;
      return last?.includes('InProgress') ? last : undefined;
    });
    expect(updated).toMatch(
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

  it('opens the case for a clicker Webex will not show the bot: they are named by id elsewhere', async () => {
    const { alert, cardId } = await alertWithCard(
      'aws/guardduty-iamuser-toripcaller.json',
      '0b0bc1c4e2f0d5a6b7c8d9e0f1a2b3c4',
    );
    // Webex answers 404 for a person the bot may not see: only the name is lost, not the click.
    const unseen = nock(product.server.url, { allowUnmocked: true })
      .get(`/sandbox/webex/v1/people/${encodeURIComponent(BOB.id)}`)
      .reply(404, { message: 'The requested resource could not be found.', errors: [] });
    try {
      space().submitCard(BOB, {
        type: 'submit',
        messageId: cardId,
        inputs: { action: 'hivewire.create_case', fingerprint: alert.fingerprint },
      });
      await settle();
      expect(unseen.isDone()).toBe(true);
    } finally {
      nock.cleanAll();
    }
    const escalated = await product.runtime.deps.store.getAlert(alert.fingerprint);
    expect(escalated).toMatchObject({
      state: 'escalated',
      escalatedBy: BOB.id,
      caseNumber: expect.any(Number),
    });
    expect(escalated?.escalatedByName).toBeUndefined();
    expect(thread(cardId).map((message) => message.markdown)).toContainEqual(
      expect.stringContaining(`opened in TheHive by <@personId:${BOB.id}> with`),
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

describe('Analyst actions from Webex', () => {
  rdapOnlyOffline();

  it("Enrich looks the alert's indicators up through the same lookup job and threads the results under the card", async () => {
    const { alert, cardId } = await alertWithCard('aws/guardduty-iamuser-toripcaller.json', 'webex-enrich');
    const targets = lookupTargetsOfAlert(alert);
    expect(targets).toEqual([{ dataType: 'ip', value: '81.2.69.144' }]);
    const rdap = nock('https://rdap.org').get('/ip/81.2.69.144').reply(404, {});

    space().submitCard(ALICE, {
      type: 'submit',
      messageId: cardId,
      inputs: { action: ENRICH, fingerprint: alert.fingerprint },
    });
    await settle();

    expect(rdap.isDone()).toBe(true);
    const replies = thread(cardId).map((message) => message.markdown);
    expect(replies).toContain(
      `🔎 <@personId:${ALICE.id}> Looking up 1 indicator… the results follow in this thread.`,
    );
    expect(replies.at(-1)).toBe(
      [
        '🔎 **Threat-intel lookup** · 1 indicators, 0 flagged',
        '**IP** 81.2.69.144\n- **RDAP**: no registry knows this address',
        'Sources: RDAP · set VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY or URLHAUS_API_KEY to add a service',
      ].join('\n\n'),
    );
    const audit = await product.runtime.deps.store.listAudit(alert.fingerprint);
    expect(audit.filter((event) => event.action === 'lookup')).toEqual([
      expect.objectContaining({
        actor: { kind: 'webex', id: ALICE.id },
        details: expect.objectContaining({ count: 1 }),
      }),
    ]);
  });

  it('@Hivewire lookup answers in the thread of the command, leaving out what is not public', async () => {
    const rdap = nock('https://rdap.org')
      .get('/domain/evil-example.com')
      .reply(200, { ldhName: 'evil-example.com', entities: [], events: [] });
    const message = space().createMessage(ALICE, {
      roomId: ROOM,
      text: 'Hivewire lookup evil-example[.]com 10.1.2.3',
      markdown: `<@personId:${SANDBOX_WEBEX_BOT.id}|Hivewire> lookup evil-example[.]com 10.1.2.3`,
    });
    await settle();

    expect(rdap.isDone()).toBe(true);
    const replies = thread(message.id).map((reply) => reply.markdown);
    expect(replies[0]).toBe(
      `🔎 <@personId:${ALICE.id}> Looking up 1 indicator… the results follow in this thread. Not looked up: 10.1.2.3 (private address).`,
    );
    expect(replies[1]).toContain('**Domain** evil-example[.]com\n- **RDAP**: registered, no details');
  });

  it('a response action runs for a Webex admin only, and its result is threaded under the card', async () => {
    const { alert, cardId } = await alertWithCard('aws/guardduty-iamuser-toripcaller.json', 'webex-isolate');
    const isolate = { action: responseActionId('isolate'), fingerprint: alert.fingerprint };
    // The card offers it, behind a confirmation card, with the same submit data.
    expect(JSON.stringify(space().message(cardId).attachments)).toContain(JSON.stringify(isolate));

    space().submitCard(ALICE, { type: 'submit', messageId: cardId, inputs: isolate });
    await settle();
    expect(thread(cardId).at(-1)?.markdown).toMatch(
      new RegExp(`^⛔ <@personId:${ALICE.id}> You are not allowed to run \\*\\*Isolate instance\\*\\*`),
    );

    let payload: Record<string, unknown> = {};
    const lambda = nock('https://lambda.eu-west-1.amazonaws.com')
      .post(`/2015-03-31/functions/${encodeURIComponent(ISOLATE)}/invocations`, (body) => {
        payload = body;
        return true;
      })
      .reply(200, { isolated: 'i-0abc' });
    space().submitCard(BOB, { type: 'submit', messageId: cardId, inputs: isolate });
    await settle();

    expect(lambda.isDone()).toBe(true);
    expect(payload).toMatchObject({
      source: 'hivewire',
      action: { id: 'isolate', label: 'Isolate instance' },
      requestedBy: BOB.id,
      finding: { fingerprint: alert.fingerprint },
    });
    const replies = thread(cardId).map((message) => message.markdown);
    expect(replies.slice(-2)).toEqual([
      `▶️ <@personId:${BOB.id}> Running **Isolate instance**… the result follows in this thread.`,
      `✅ **Isolate instance** (run by <@personId:${BOB.id}>) succeeded: {"isolated":"i-0abc"}`,
    ]);
    const audit = await product.runtime.deps.store.listAudit(alert.fingerprint);
    expect(audit.map((event) => [event.action, event.actor])).toEqual(
      expect.arrayContaining([
        ['response-action-refused', { kind: 'webex', id: ALICE.id }],
        ['response-action-requested', { kind: 'webex', id: BOB.id }],
        ['response-action-succeeded', { kind: 'webex', id: BOB.id }],
      ]),
    );
  });
});

describe('A delivery Webex sends again', () => {
  it('is claimed before it is queued: one click delivered four times at once, and once more later, makes one job and one case', async () => {
    const { alert, cardId } = await alertWithCard(
      'aws/guardduty-iamuser-toripcaller.json',
      'webex-redelivered',
    );
    const hook = space()
      .webhooks(SANDBOX_WEBEX_BOT)
      .find((webhook) => webhook.resource === 'attachmentActions')!;
    // Held back while the click is made, so the test delivers it itself, as often as Webex's retries do.
    const status = (value: 'active' | 'inactive') =>
      space().updateWebhook(SANDBOX_WEBEX_BOT, hook.id, {
        name: hook.name,
        targetUrl: hook.targetUrl,
        status: value,
      });
    status('inactive');
    const action = (() => {
      try {
        return space().submitCard(ALICE, {
          type: 'submit',
          messageId: cardId,
          inputs: { action: 'hivewire.create_case', fingerprint: alert.fingerprint },
        });
      } finally {
        status('active');
      }
    })();
    const body = JSON.stringify({
      id: hook.id,
      name: hook.name,
      targetUrl: hook.targetUrl,
      resource: 'attachmentActions',
      event: 'created',
      orgId: hook.orgId,
      createdBy: SANDBOX_WEBEX_BOT.id,
      appId: hook.appId,
      ownedBy: 'creator',
      status: 'active',
      created: hook.created,
      actorId: ALICE.id,
      data: {
        id: action.id,
        type: 'submit',
        messageId: cardId,
        personId: ALICE.id,
        roomId: ROOM,
        created: action.created,
      },
    });
    const deliver = async (): Promise<[number, unknown]> => {
      const response = await postSigned(body);
      return [response.status, await response.json()];
    };
    const enqueue = jest.spyOn(product.runtime.deps.queue, 'enqueue');
    const casesBefore = product.sandbox.theHive.listCases().length;
    try {
      const answers = await Promise.all([deliver(), deliver(), deliver(), deliver()]);
      expect(answers.filter(([code]) => code === 202)).toEqual([[202, { queued: true }]]);
      expect(answers.filter(([code]) => code !== 202)).toEqual(
        [1, 2, 3].map(() => [200, { ignored: 'delivered before' }]),
      );
      await settle();
      expect(await deliver()).toEqual([200, { ignored: 'delivered before' }]);
      await settle();
      const clickJobs = enqueue.mock.calls.filter(
        ([job]) => job.kind === 'webex-event' && 'id' in job && job.id === action.id,
      );
      expect(clickJobs).toHaveLength(1);
    } finally {
      enqueue.mockRestore();
    }
    expect(product.sandbox.theHive.listCases()).toHaveLength(casesBefore + 1);
    const replies = thread(cardId).map((message) => message.markdown ?? '');
    expect(replies.filter((reply) => reply.includes('opened in TheHive'))).toHaveLength(1);
    expect(replies.filter((reply) => reply.includes('already exists'))).toEqual([]);
  });

  it('is answered by the runtime’s one Webex adapter, the one its root registered, and its one client', () => {
    const chat = webexChatOf(product.runtime.deps.chats);
    expect(chat).toBe(product.runtime.deps.chats.webex);
    expect(chat.client).toBe(webexClientFor(product.config));
  });
});

describe('The console’s Webex space', () => {
  const submit = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${product.server.url}/sandbox/console/webex/submit`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });

  it('submits a card only as a sandbox person, from the console page, naming what it refuses', async () => {
    const messageId = space().messages(ROOM)[0]!.id;
    const stranger = await submit({ personId: SANDBOX_WEBEX_BOT.id, messageId, inputs: {} });
    expect(stranger.status).toBe(400);
    expect(await stranger.json()).toEqual({ error: 'personId: not a sandbox person' });
    const elsewhere = await submit(
      { personId: ALICE.id, messageId, inputs: {} },
      { origin: 'https://evil.example' },
    );
    expect(elsewhere.status).toBe(403);
    const noCard = await submit({ personId: ALICE.id, messageId: 'nope', inputs: {} });
    expect(noCard.status).toBe(404);
  });

  it('shows the space as Webex does: root messages with their cards, replies under them', async () => {
    const response = await fetch(`${product.server.url}/sandbox/console/webex/state`);
    const state = (await response.json()) as {
      room: string;
      messages: { id: string; card?: unknown; replies: { id: string }[] }[];
    };
    expect(state.room).toBe(ROOM);
    const roots = space()
      .messages(ROOM)
      .filter((message) => !message.parentId);
    expect(state.messages.map((message) => message.id)).toEqual(roots.map((message) => message.id));
    for (const message of state.messages) {
      expect(message.replies.map((reply) => reply.id)).toEqual(thread(message.id).map((reply) => reply.id));
      const root = space().message(message.id);
      expect(message.card).toEqual(root.attachments?.[0]?.content);
    }
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
