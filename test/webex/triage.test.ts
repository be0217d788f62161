/**
 * "Was this you?" from a Webex card, through the real route: the sandbox Webex stand-in delivers each
 * card submission to `POST /webex/events` signed with the webhook secret, as Webex does. The person is
 * asked in their direct room with the bot (Webex's 1:1 space, made by a message to `toPersonId`), with
 * an Adaptive Card 1.3 whose answers submit `{"action", "id"}`; the answer comes back as a signed
 * attachmentActions delivery into the same answer use case as Slack's buttons. The thread under the
 * alert hears it on every platform the alert is posted to (here Webex and the sandbox Slack).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ASK_USER, TRIAGE_NO, TRIAGE_YES } from '../../blocks/actions';
import { webexClientFor } from '../../src/chat/webex/adapter';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import type { AlertRecord } from '../../src/domain/alert';
import type { TriageRecord } from '../../src/domain/triage';
import {
  SANDBOX_WEBEX_BOT,
  SANDBOX_WEBEX_PEOPLE,
  type WebexMessageRecord,
} from '../../src/sandbox/webex-space';
import type { InProcessSandbox } from '../helpers/sandbox-server';
import { ingestForWebex, settleWebex, startWebexProduct, webexSpaceOf } from '../helpers/webex-space';
import { checkCard } from '../helpers/adaptive-cards';
import type { AdaptiveCard } from '../../cards/core';

const [ALICE, BOB, CAROL] = SANDBOX_WEBEX_PEOPLE as [
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
  (typeof SANDBOX_WEBEX_PEOPLE)[number],
];
const ROOM = SANDBOX_DEFAULTS.webexRoomId;
const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '../../fixtures', path), 'utf8'));

let product: InProcessSandbox;

beforeAll(async () => {
  // The IAM user the findings name (below) is Carol.
  product = await startWebexProduct('users:\n  carol.ops: carol@example.com\n');
});

afterAll(async () => {
  await product?.close();
});

const space = () => webexSpaceOf(product);
const settle = () => settleWebex(product);

/** A finding about IAM user carol.ops through /ingest, posted to Slack and to the Webex space. */
async function alertOnWebex(id: string): Promise<{ alert: AlertRecord; cardId: string }> {
  const event = fixture('aws/guardduty-iamuser-toripcaller.json') as {
    arn: string;
    resource: { accessKeyDetails: Record<string, unknown> };
  };
  event.resource.accessKeyDetails.userName = 'carol.ops';
  const alert = await ingestForWebex(product, {
    ...event,
    id,
    arn: String(event.arn).replace(/[^/]+$/, id),
  });
  expect(alert.ts).toBeDefined();
  return { alert, cardId: alert.posts!.webex!.messageId! };
}

/** Alice clicks Ask the user on the alert's card; the deliveries and jobs it starts run to the end. */
async function askUserOn(alert: AlertRecord, cardId: string): Promise<void> {
  space().submitCard(ALICE, {
    type: 'submit',
    messageId: cardId,
    inputs: { action: ASK_USER, fingerprint: alert.fingerprint },
  });
  await settle();
}

function webexThread(cardId: string): string[] {
  return space()
    .messages(ROOM)
    .filter((message) => message.parentId === cardId)
    .map((message) => message.markdown ?? '');
}

function slackThread(alert: AlertRecord): string[] {
  return product.sandbox.workspace
    .replies(alert.channel, alert.ts!)
    .messages.slice(1)
    .map((message) => message.text ?? '');
}

/** The bot's direct room with `person`, and its messages. */
function directRoomWith(person: { id: string; displayName: string }) {
  const room = space()
    .rooms()
    .find((one) => one.type === 'direct' && one.members?.includes(person.id));
  return { room, messages: room ? space().messages(room.id) : [] };
}

const questionOf = async (alert: AlertRecord): Promise<TriageRecord> => {
  const latest = await product.runtime.deps.store.getSetting<{ id: string }>(
    `triage-for:${alert.fingerprint}`,
  );
  return (await product.runtime.deps.store.getSetting<TriageRecord>(`triage:${latest!.id}`))!;
};

/** The question's card in a direct room, with its answer buttons' data. */
function answersOf(message: WebexMessageRecord): { title: string; data: Record<string, string> }[] {
  const card = message.attachments?.[0]?.content as {
    actions?: { title: string; data: Record<string, string> }[];
  };
  return (card.actions ?? []).map(({ title, data }) => ({ title, data }));
}

describe('Ask the user from a Webex card', () => {
  it('DMs the person a 1.3 card in their direct room, threads the question and the answer on every platform', async () => {
    const { alert, cardId } = await alertOnWebex('webex-triage-yes');

    await askUserOn(alert, cardId);

    expect(webexThread(cardId)).toContain(
      `<@personId:${ALICE.id}> Asking the person this finding is about "was this you?"… the answer will be threaded here.`,
    );
    const record = await questionOf(alert);
    expect(record).toMatchObject({
      state: 'asked',
      requestedOn: 'webex',
      requestedBy: ALICE.id,
      person: { platform: 'webex', id: CAROL.id, email: 'carol@example.com' },
    });
    expect(record).not.toHaveProperty('slackUserId');

    const { room, messages } = directRoomWith(CAROL);
    expect(room).toMatchObject({ type: 'direct', title: CAROL.displayName });
    expect(record.channel).toBe(room!.id);
    const [question] = messages;
    expect(question).toMatchObject({
      id: record.ts,
      personId: SANDBOX_WEBEX_BOT.id,
      roomType: 'direct',
      toPersonId: CAROL.id,
    });
    const card = question!.attachments![0]!.content as AdaptiveCard;
    expect(card.version).toBe('1.3');
    expect(checkCard(card, '1.3')).toMatchObject({ events: [], failures: [] });
    expect(answersOf(question!)).toEqual([
      { title: 'Yes, it was me', data: { action: TRIAGE_YES, id: record.id } },
      { title: "No, it wasn't me", data: { action: TRIAGE_NO, id: record.id } },
      { title: 'Not sure', data: { action: 'hivewire.triage.unsure', id: record.id } },
    ]);
    const asked = `"was this you?" (by <@personId:${ALICE.id}|Alice (SOC analyst)>). Waiting up to 60 minutes.`;
    expect(webexThread(cardId)).toContain(`❓ Asked <@personId:${CAROL.id}|Carol (cloud engineer)> ${asked}`);
    // Slack names people of another platform by e-mail, mentioning nobody.
    expect(slackThread(alert)).toContain(
      '❓ Asked `carol@example.com (Webex)` "was this you?" (by `Alice (SOC analyst) (Webex)`). Waiting up to 60 minutes.',
    );

    // Carol answers in her direct room: a signed attachmentActions delivery.
    space().submitCard(CAROL, {
      type: 'submit',
      messageId: question!.id,
      inputs: { action: TRIAGE_YES, id: record.id },
    });
    await settle();

    expect(await questionOf(alert)).toMatchObject({ state: 'answered', response: 'yes' });
    const after = directRoomWith(CAROL).messages;
    expect(after.slice(1).map((message) => [message.parentId, message.markdown])).toEqual([
      [question!.id, '✅ Yes, it was me · Thanks, recorded. Nothing else to do.'],
    ]);
    expect(webexThread(cardId)).toContain(
      `💬 <@personId:${CAROL.id}|Carol (cloud engineer)> answered: Yes, it was me`,
    );
    expect(slackThread(alert)).toContain('💬 `carol@example.com (Webex)` answered: *Yes, it was me*');
    const audit = await product.runtime.deps.store.listAudit(alert.fingerprint);
    expect(
      audit.filter((event) => event.action.startsWith('triage-')).map((event) => [event.action, event.actor]),
    ).toEqual([
      ['triage-asked', { kind: 'webex', id: ALICE.id }],
      ['triage-answered', { kind: 'webex', id: CAROL.id }],
    ]);

    // A second click is told, in the room, that the question is closed; nothing else changes.
    space().submitCard(CAROL, {
      type: 'submit',
      messageId: question!.id,
      inputs: { action: TRIAGE_NO, id: record.id },
    });
    await settle();
    expect(directRoomWith(CAROL).messages.at(-1)?.markdown).toBe(
      `<@personId:${CAROL.id}> This question was already answered or has expired. Thanks all the same.`,
    );
    expect(await questionOf(alert)).toMatchObject({ state: 'answered', response: 'yes' });

    // The console lists the direct room beside the space, and shows the question and its answer there.
    const shown = (await (
      await fetch(
        `${product.server.url}/sandbox/console/webex/state?${new URLSearchParams({ room: room!.id })}`,
      )
    ).json()) as {
      rooms: { id: string; title: string; type: string }[];
      room: string;
      messages: { id: string; card?: unknown; replies: { markdown: string }[] }[];
    };
    expect(shown.rooms).toContainEqual({ id: room!.id, title: CAROL.displayName, type: 'direct' });
    expect(shown.room).toBe(room!.id);
    expect(shown.messages[0]).toMatchObject({ id: question!.id, card: question!.attachments![0]!.content });
    expect(shown.messages[0]!.replies[0]!.markdown).toBe(
      '✅ Yes, it was me · Thanks, recorded. Nothing else to do.',
    );
  });

  it('refuses an answer from anyone but the person asked, telling them', async () => {
    const { alert, cardId } = await alertOnWebex('webex-triage-stranger');
    await askUserOn(alert, cardId);
    const record = await questionOf(alert);
    // Bob holds a card carrying Carol's question (as a copy of it would): the bot posts it in his room.
    const copy = await webexClientFor(product.config).createMessage({
      toPersonId: BOB.id,
      ...{ markdown: 'copy', attachments: directRoomWith(CAROL).messages.at(-1)!.attachments },
    });
    space().submitCard(BOB, {
      type: 'submit',
      messageId: copy.id,
      inputs: { action: TRIAGE_NO, id: record.id },
    });
    await settle();

    expect(directRoomWith(BOB).messages.at(-1)).toMatchObject({
      parentId: copy.id,
      markdown: `<@personId:${BOB.id}> This question was sent to someone else.`,
    });
    expect(await questionOf(alert)).toMatchObject({ state: 'asked' });
    expect(webexThread(cardId).some((line) => line.includes('answered'))).toBe(false);

    // Carol's question expires, so that the next tests' typed answers find only their own waiting.
    await product.runtime.queue.enqueue({
      kind: 'triage-timeout',
      triageId: record.id,
      dueAt: new Date(Date.now() - 1000).toISOString(),
    });
    await settle();
    expect(await questionOf(alert)).toMatchObject({ state: 'expired' });
  });

  it('takes an answer typed in the direct room as a click on the card, from the person asked only', async () => {
    const { alert, cardId } = await alertOnWebex('webex-triage-typed');
    await askUserOn(alert, cardId);
    const record = await questionOf(alert);
    const typeIn = async (person: typeof CAROL, text: string) => {
      const typed = space().createMessage(person, { toPersonId: SANDBOX_WEBEX_BOT.id, text });
      await settle();
      return typed;
    };
    // Bob was asked nothing: his "yes" answers no one's question, and says so.
    const bobs = await typeIn(BOB, 'yes');
    expect(directRoomWith(BOB).messages.at(-1)).toMatchObject({
      parentId: bobs.id,
      markdown: `<@personId:${BOB.id}> You have no "was this you?" question waiting for an answer.`,
    });
    expect(await questionOf(alert)).toMatchObject({ state: 'asked' });

    await typeIn(CAROL, 'No, it wasn’t me.');

    expect(await questionOf(alert)).toMatchObject({ state: 'answered', response: 'no' });
    const recorded =
      "✅ No, it wasn't me · Thanks, recorded. The security team has been alerted and will contact you.";
    const underQuestion = () =>
      directRoomWith(CAROL)
        .messages.filter((message) => message.parentId === record.ts)
        .map((message) => message.markdown);
    expect(underQuestion()).toEqual([recorded]);
    // "No" is raised in the alert's threads, as a click on "No" is.
    expect(webexThread(cardId)).toContain(
      `🚨 <@personId:${CAROL.id}|Carol (cloud engineer)> answered: No, it wasn't me. This activity needs attention.`,
    );
    expect(slackThread(alert)).toContainEqual(
      expect.stringMatching(/^🚨 `carol@example\.com \(Webex\)` answered: \*No, it wasn't me\*/),
    );
    const audit = await product.runtime.deps.store.listAudit(alert.fingerprint);
    expect(
      audit
        .filter((event) => event.action === 'triage-answered')
        .map((event) => [event.actor, event.details]),
    ).toEqual([
      [{ kind: 'webex', id: CAROL.id }, expect.objectContaining({ triageId: record.id, response: 'no' })],
    ]);

    // The same answer again (as a retry after the reply failed would give it) is shown again, recorded once.
    await typeIn(CAROL, 'nope');
    expect(underQuestion()).toEqual([recorded, recorded]);
    expect(
      (await product.runtime.deps.store.listAudit(alert.fingerprint)).filter(
        (event) => event.action === 'triage-answered',
      ),
    ).toHaveLength(1);

    // Another answer changes nothing: she is told the question is closed.
    const again = await typeIn(CAROL, 'yes');
    expect(directRoomWith(CAROL).messages.at(-1)).toMatchObject({
      parentId: again.id,
      markdown: `<@personId:${CAROL.id}> This question was already answered or has expired. Thanks all the same.`,
    });
    expect(await questionOf(alert)).toMatchObject({ state: 'answered', response: 'no' });

    // Anything else typed there is still a command.
    const other = await typeIn(CAROL, 'hello');
    expect(directRoomWith(CAROL).messages.at(-1)).toMatchObject({
      parentId: other.id,
      markdown: expect.stringContaining('is not a Hivewire command'),
    });
  });

  it('answers the newest question still waiting when the person was asked twice', async () => {
    const first = await alertOnWebex('webex-triage-first-of-two');
    await askUserOn(first.alert, first.cardId);
    const second = await alertOnWebex('webex-triage-second-of-two');
    await askUserOn(second.alert, second.cardId);
    const typeIn = async (text: string) => {
      space().createMessage(CAROL, { toPersonId: SANDBOX_WEBEX_BOT.id, text });
      await settle();
    };

    await typeIn('yes');
    expect(await questionOf(second.alert)).toMatchObject({ state: 'answered', response: 'yes' });
    expect(await questionOf(first.alert)).toMatchObject({ state: 'asked' });

    // The newest is answered: the next answer goes to the one still waiting, not "already answered".
    await typeIn('no');
    expect(await questionOf(first.alert)).toMatchObject({ state: 'answered', response: 'no' });
    expect(await questionOf(second.alert)).toMatchObject({ state: 'answered', response: 'yes' });

    // None waits any more: the newest says it is closed.
    await typeIn('not sure');
    expect(directRoomWith(CAROL).messages.at(-1)?.markdown).toBe(
      `<@personId:${CAROL.id}> This question was already answered or has expired. Thanks all the same.`,
    );
  });

  it('says the question expired in the direct room (Webex cannot edit the card) and "no answer" in the threads', async () => {
    const { alert, cardId } = await alertOnWebex('webex-triage-expired');
    await askUserOn(alert, cardId);
    const record = await questionOf(alert);

    // The question's time is up: the timeout job, as the delayed queue hands it over when due.
    await product.runtime.queue.enqueue({
      kind: 'triage-timeout',
      triageId: record.id,
      dueAt: new Date(Date.now() - 1000).toISOString(),
    });
    await settle();

    expect(await questionOf(alert)).toMatchObject({ state: 'expired', response: 'noanswer' });
    const question = directRoomWith(CAROL).messages.find((message) => message.id === record.ts)!;
    expect(question.attachments).toHaveLength(1);
    expect(
      directRoomWith(CAROL)
        .messages.filter((message) => message.parentId === record.ts)
        .map((m) => m.markdown),
    ).toContain('⌛ This question has expired. If you have concerns, please contact the security team.');
    expect(webexThread(cardId)).toContain(
      `⌛ No answer from <@personId:${CAROL.id}|Carol (cloud engineer)> within 60 minutes.`,
    );
    expect(slackThread(alert)).toContain('⌛ No answer from `carol@example.com (Webex)` within 60 minutes.');
  });
});
