/**
 * The sandbox's Webex stand-in, read through the real client (so every answer passes the client's
 * zod schemas of Webex's documented shapes), checked for Webex's semantics: ids, the error body, the
 * limits on cards, edits and replies, the attachment-action round trip, and signed webhook deliveries.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebexClient, WebexError } from '../../clients/webex/client';
import { listOf, roomSchema, webhookDeliverySchema } from '../../clients/webex/schemas';
import { verifyWebexSignature } from '../../src/http/webex-signature';
import { createWebexApi } from '../../src/sandbox/webex-api';
import {
  SANDBOX_WEBEX_BOT,
  SANDBOX_WEBEX_PEOPLE,
  WebexSpace,
  webexId,
  webexIdType,
} from '../../src/sandbox/webex-space';

const ROOM = webexId('ROOM', '0a1b2c3d-0000-4000-8000-000000000001');
const CARD = {
  contentType: 'application/vnd.microsoft.card.adaptive',
  content: { type: 'AdaptiveCard', version: '1.3', body: [{ type: 'TextBlock', text: 'x' }] },
};
const ALICE = SANDBOX_WEBEX_PEOPLE[0]!;
const BOB = SANDBOX_WEBEX_PEOPLE[1]!;

let server: Server;
let space: WebexSpace;
let bot: WebexClient;
let alice: WebexClient;
const received: { body: string; signature: string | undefined }[] = [];

function listen(handler: (req: IncomingMessage, body: string) => void | Promise<void>): Promise<Server> {
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => void Promise.resolve(handler(req, body)).then(() => res.writeHead(200).end()));
  });
  return new Promise((resolve) => receiver.listen(0, '127.0.0.1', () => resolve(receiver)));
}

let receiver: Server;
let baseUrl: string;

beforeAll(async () => {
  space = new WebexSpace({ rooms: [{ id: ROOM, title: 'SecOps alerts' }] });
  const api = createWebexApi(space);
  server = createServer((req, res) => {
    void api(req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sandbox/webex/v1`;
  bot = new WebexClient({ token: SANDBOX_WEBEX_BOT.token, baseUrl, retries: 0 });
  alice = new WebexClient({ token: ALICE.token, baseUrl, retries: 0 });
  receiver = await listen((req, body) => {
    received.push({ body, signature: req.headers['x-spark-signature'] as string | undefined });
  });
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await new Promise((resolve) => receiver.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<WebexError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebexError);
  return error as WebexError;
}

describe('the sandbox Webex REST stand-in', () => {
  it('mints Webex ids: base64url of ciscospark://us/<TYPE>/<uuid>', async () => {
    const me = await bot.me();
    expect(me).toMatchObject({ displayName: 'Hivewire', type: 'bot', emails: ['hivewire@webex.bot'] });
    expect(webexIdType(me.id)).toBe('PEOPLE');
    const message = await bot.createMessage({ roomId: ROOM, markdown: 'hello', attachments: [CARD] });
    expect(webexIdType(message.id)).toBe('MESSAGE');
    expect(Buffer.from(message.id, 'base64url').toString()).toMatch(
      /^ciscospark:\/\/us\/MESSAGE\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
    expect(message).toMatchObject({ roomId: ROOM, roomType: 'group', personId: me.id, markdown: 'hello' });
    expect((await bot.getRoom(ROOM)).type).toBe('group');
  });

  it('answers with Webex error bodies: 401 for an unknown token, 404 for an unknown id', async () => {
    const stranger = new WebexClient({
      token: 'nope',
      baseUrl,
      retries: 0,
    });
    const unauthorised = await failure(stranger.me());
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.message).toMatch(/^Webex answered 401: The request requires a valid access token/);
    expect(unauthorised.trackingId).toMatch(/^SANDBOX_/);
    expect((await failure(bot.getMessage(webexId('MESSAGE')))).status).toBe(404);
  });

  it('refuses to edit a message with a card, and a message more than 10 times', async () => {
    const card = await bot.createMessage({ roomId: ROOM, markdown: 'card', attachments: [CARD] });
    const refused = await failure(bot.editMessage(card.id, { roomId: ROOM, markdown: 'changed' }));
    expect(refused.status).toBe(400);
    expect(refused.message).toMatch(/attachments is currently unsupported/);
    const text = await bot.createMessage({ roomId: ROOM, markdown: 'v0' });
    for (let edit = 1; edit <= 10; edit += 1)
      expect((await bot.editMessage(text.id, { roomId: ROOM, markdown: `v${edit}` })).markdown).toBe(
        `v${edit}`,
      );
    expect((await failure(bot.editMessage(text.id, { roomId: ROOM, markdown: 'v11' }))).message).toMatch(
      /Edit limit/,
    );
  });

  it('threads a reply under a root message only, and keeps messages within 7439 bytes', async () => {
    const root = await bot.createMessage({ roomId: ROOM, markdown: 'root' });
    const reply = await bot.createMessage({ roomId: ROOM, parentId: root.id, markdown: 'reply' });
    expect(reply.parentId).toBe(root.id);
    expect(
      (await failure(bot.createMessage({ roomId: ROOM, parentId: reply.id, markdown: 'x' }))).message,
    ).toMatch(/reply to a reply/);
    expect((await failure(bot.createMessage({ roomId: ROOM, markdown: 'x'.repeat(7440) }))).status).toBe(400);
    expect(
      (await failure(bot.createMessage({ roomId: ROOM, markdown: 'x', attachments: [CARD, CARD] }))).status,
    ).toBe(400);
  });

  it('finds people by email, and never shows a webhook secret', async () => {
    expect((await bot.findPeopleByEmail('alice@example.com')).map((person) => person.id)).toEqual([ALICE.id]);
    expect(await bot.findPeopleByEmail('nobody@example.com')).toEqual([]);
    const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webex/events`;
    const webhook = await bot.createWebhook({
      name: 'cards',
      targetUrl,
      resource: 'attachmentActions',
      event: 'created',
      filter: `roomId=${ROOM}`,
      secret: 's3cret',
    });
    expect(webhook).not.toHaveProperty('secret');
    expect(await bot.listWebhooks()).toEqual([webhook]);
    expect(await alice.listWebhooks()).toEqual([]);
  });

  it('delivers a card submission to the webhook, signed, and lets the bot read its inputs', async () => {
    const card = await bot.createMessage({ roomId: ROOM, markdown: 'card', attachments: [CARD] });
    received.length = 0;
    const submitted = space.submitCard(ALICE, {
      type: 'submit',
      messageId: card.id,
      inputs: { action: 'hivewire.create_case', fingerprint: 'gd-1' },
    });
    await space.idle();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    expect(
      verifyWebexSignature({
        secret: 's3cret',
        signatureHeader: delivery!.signature,
        rawBody: delivery!.body,
      }),
    ).toEqual({ ok: true });
    const parsed = webhookDeliverySchema.parse(JSON.parse(delivery!.body));
    expect(parsed).toMatchObject({
      resource: 'attachmentActions',
      event: 'created',
      data: { id: submitted.id, messageId: card.id, personId: ALICE.id, roomId: ROOM },
    });
    const action = await bot.getAttachmentAction(parsed.data.id);
    expect(action).toEqual({
      id: submitted.id,
      type: 'submit',
      messageId: card.id,
      inputs: { action: 'hivewire.create_case', fingerprint: 'gd-1' },
      personId: ALICE.id,
      roomId: ROOM,
      created: submitted.created,
    });
  });

  /**
   * Webex's documented rule for bots: "In group spaces, bots must be @mentioned to access the message.
   * In 1-to-1 spaces, a bot has access to all messages from the user." The bot's messages webhook is
   * told of a group message that mentions it and of every direct one, never of the space's chatter.
   */
  it("tells a bot's messages webhook of group messages that mention it and of every direct message", async () => {
    const targetUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/webex/events`;
    const webhook = await bot.createWebhook({
      name: 'messages',
      targetUrl,
      resource: 'messages',
      event: 'created',
      secret: 's3cret',
    });
    const me = await bot.me();
    try {
      received.length = 0;
      const chatter = space.createMessage(ALICE, { roomId: ROOM, markdown: 'lunch?' });
      const mention = space.createMessage(ALICE, {
        roomId: ROOM,
        markdown: `<@personId:${me.id}|Hivewire> help`,
      });
      const direct = space.createMessage(ALICE, { toPersonId: me.id, text: 'yes' });
      await space.idle();
      const told = received.map((delivery) => webhookDeliverySchema.parse(JSON.parse(delivery.body)).data.id);
      expect(told).toEqual([mention.id, direct.id]);
      expect(told).not.toContain(chatter.id);
    } finally {
      space.deleteWebhook(space.person(me.id), webhook.id);
    }
  });

  /**
   * Webex's documented 1:1 messaging: "Create a Message" takes exactly one of roomId, toPersonId or
   * toPersonEmail; a message to a person lands in the one space of type `direct` the two share (made
   * by the first one), and "List Rooms" (filterable by `type`) shows it to its two members only.
   */
  it('sends a message to a person in the direct room of the two, made once and listed for them only', async () => {
    const listRooms = async (token: string, type?: string) => {
      const response = await fetch(`${baseUrl}/rooms${type ? `?type=${type}` : ''}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      return listOf(roomSchema).parse(await response.json()).items;
    };
    const first = await bot.createMessage({
      toPersonId: ALICE.id,
      markdown: 'Was this you?',
      attachments: [CARD],
    });
    const second = await bot.createMessage({ toPersonEmail: 'alice@example.com', markdown: 'Still there?' });
    expect(first).toMatchObject({ roomType: 'direct', toPersonId: ALICE.id, personId: SANDBOX_WEBEX_BOT.id });
    expect(second).toMatchObject({
      roomType: 'direct',
      toPersonEmail: 'alice@example.com',
      roomId: first.roomId,
    });
    expect(webexIdType(first.roomId)).toBe('ROOM');
    const room = await bot.getRoom(first.roomId);
    expect(room).toMatchObject({ id: first.roomId, type: 'direct', title: ALICE.displayName });
    expect(room).not.toHaveProperty('members');

    expect((await listRooms(SANDBOX_WEBEX_BOT.token, 'direct')).map((one) => one.id)).toEqual([first.roomId]);
    expect((await listRooms(ALICE.token)).map((one) => [one.id, one.type])).toEqual([
      [ROOM, 'group'],
      [first.roomId, 'direct'],
    ]);
    expect(await listRooms(BOB.token, 'direct')).toEqual([]);
    const bob = new WebexClient({ token: BOB.token, baseUrl, retries: 0 });
    expect((await failure(bob.getRoom(first.roomId))).status).toBe(404);
    // Bob cannot click a card in a space he is not in.
    expect(() => space.submitCard(BOB, { type: 'submit', messageId: first.id, inputs: {} })).toThrow(
      'Could not find a room with provided ID.',
    );

    // The person answers in the same room; a reply threads under the question there.
    const answer = await alice.createMessage({ toPersonId: SANDBOX_WEBEX_BOT.id, markdown: 'yes' });
    expect(answer.roomId).toBe(first.roomId);
    expect(
      (await bot.createMessage({ roomId: first.roomId, parentId: first.id, markdown: 'Thanks' })).parentId,
    ).toBe(first.id);

    const twoPlaces = await failure(bot.createMessage({ roomId: ROOM, toPersonId: ALICE.id, markdown: 'x' }));
    expect(twoPlaces.status).toBe(400);
    expect(twoPlaces.message).toMatch(/Provide only one destination/);
    expect(
      (await failure(bot.createMessage({ toPersonEmail: 'nobody@example.com', markdown: 'x' }))).status,
    ).toBe(404);
  });
});
