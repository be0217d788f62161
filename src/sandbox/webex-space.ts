/**
 * The sandbox's Webex: one organisation with the bot, the console's people and the configured
 * spaces (rooms), their messages, card submissions and webhooks, with Webex's own semantics as
 * developer.webex.com documents them:
 * - ids are Webex's: base64url (no padding) of `ciscospark://us/<TYPE>/<uuid>`;
 * - a message has text or markdown (at most 7439 bytes) and at most one card attachment; a reply's
 *   parent must be a root message of the same room (no reply to a reply);
 * - a message has exactly one destination: `roomId`, or `toPersonId` / `toPersonEmail` for a 1:1
 *   message, which goes to the one `direct` room of the two people (made by the first such message,
 *   titled with the other person's name, listed by `GET /rooms` for its two members only);
 * - `PUT /messages/{id}` edits text only: a message with an attachment cannot be edited (400), nor any
 *   message more than 10 times (400);
 * - a card submission is created by the person who clicked (`POST /attachment/actions`) and read back
 *   by the bot (`GET /attachment/actions/{id}`), with the submit's `data` merged into `inputs`;
 * - every created message and submission is delivered to each matching webhook, signed with its secret
 *   (`X-Spark-Signature`), the bot's own messages included, as Webex does.
 * Errors carry Webex's body: `{message, errors: [{description}], trackingId}`.
 */
import { randomUUID } from 'node:crypto';
import { signWebexBody } from '../http/webex-signature';
import type { Logger } from '../observability/logger';
import { StateFile } from './state-file';

/** Webex's message size limit, for `text` and `markdown` each. */
export const WEBEX_MESSAGE_MAX_BYTES = 7439;
/** Edits allowed per message. */
export const WEBEX_EDITS_MAX = 10;

/** (sandbox contract) The bot's token, which the sandbox bot is configured with. */
export const SANDBOX_WEBEX_BOT_TOKEN = 'sandbox-webex-bot-token';
/** The default space's title. */
export const SANDBOX_WEBEX_ROOM_TITLE = 'SecOps alerts';

/** A Webex id for a resource type, as Webex mints them. */
export function webexId(type: string, uuid: string = randomUUID()): string {
  return Buffer.from(`ciscospark://us/${type}/${uuid}`).toString('base64url');
}

/** The resource type inside a Webex id (`MESSAGE`, `ROOM`, …), or undefined when it is not one. */
export function webexIdType(id: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  return /^ciscospark:\/\/[a-z0-9]+\/([A-Z_]+)\/[^/]+$/.exec(
    Buffer.from(id, 'base64url').toString('utf8'),
  )?.[1];
}

/** A Webex API error: the HTTP status and Webex's message. */
export class WebexApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface WebexPersonRecord {
  id: string;
  emails: string[];
  displayName: string;
  nickName: string;
  orgId: string;
  type: 'person' | 'bot';
  created: string;
  /** The sandbox token this person acts with (the console's people act through the console). */
  token: string;
}

export interface WebexRoomRecord {
  id: string;
  title: string;
  type: 'group' | 'direct';
  /** Not in the API: the two people of a direct room (a group room is the whole organisation's here). */
  members?: [string, string];
  isLocked: false;
  creatorId: string;
  created: string;
  lastActivity: string;
}

export interface WebexMessageRecord {
  id: string;
  roomId: string;
  roomType: 'group' | 'direct';
  /** The recipient of a 1:1 message, when it was sent to a person rather than a room. */
  toPersonId?: string;
  toPersonEmail?: string;
  parentId?: string;
  text?: string;
  markdown?: string;
  personId: string;
  personEmail: string;
  mentionedPeople?: string[];
  attachments?: { contentType: string; content: unknown }[];
  created: string;
  updated?: string;
  /** Not in the API: how many times it was edited. */
  edits?: number;
}

export interface WebexAttachmentActionRecord {
  id: string;
  type: 'submit';
  messageId: string;
  inputs: Record<string, unknown>;
  personId: string;
  roomId: string;
  created: string;
}

export interface WebexWebhookRecord {
  id: string;
  name: string;
  targetUrl: string;
  resource: string;
  event: string;
  filter?: string;
  secret?: string;
  status: 'active' | 'inactive';
  created: string;
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: 'creator';
}

interface State {
  rooms: WebexRoomRecord[];
  messages: WebexMessageRecord[];
  actions: WebexAttachmentActionRecord[];
  webhooks: WebexWebhookRecord[];
}

const ORG_ID = webexId('ORGANIZATION', '8d9ab1c0-0000-4000-8000-0000000000a1');
const APP_ID = webexId('APPLICATION', '8d9ab1c0-0000-4000-8000-0000000000b1');

function person(uuid: string, email: string, displayName: string, type: 'person' | 'bot', token: string) {
  return {
    id: webexId('PEOPLE', uuid),
    emails: [email],
    displayName,
    nickName: displayName.split(' ')[0]!,
    orgId: ORG_ID,
    type,
    created: '2026-01-05T09:00:00.000Z',
    token,
  } satisfies WebexPersonRecord;
}

/** The bot and the console's people (the same analysts as the sandbox Slack workspace). */
export const SANDBOX_WEBEX_BOT = person(
  '5c1f0a7e-0000-4000-8000-00000000b0f1',
  'hivewire@webex.bot',
  'Hivewire',
  'bot',
  SANDBOX_WEBEX_BOT_TOKEN,
);
export const SANDBOX_WEBEX_PEOPLE: readonly WebexPersonRecord[] = [
  person(
    '5c1f0a7e-0000-4000-8000-0000000a11ce',
    'alice@example.com',
    'Alice (SOC analyst)',
    'person',
    'sandbox-webex-alice',
  ),
  person(
    '5c1f0a7e-0000-4000-8000-000000000b0b',
    'bob@example.com',
    'Bob (SOC lead)',
    'person',
    'sandbox-webex-bob',
  ),
  person(
    '5c1f0a7e-0000-4000-8000-00000000ca01',
    'carol@example.com',
    'Carol (cloud engineer)',
    'person',
    'sandbox-webex-carol',
  ),
];

export interface WebexSpaceOptions {
  /** The spaces that exist (their ids are what the bot's config names). */
  rooms: { id: string; title: string }[];
  stateFile?: string;
  publicUrl?: string;
  logger?: Logger;
  now?: () => number;
}

/** How long Webex waits for a webhook receiver. */
const DELIVERY_TIMEOUT_MS = 10_000;

export class WebexSpace {
  private state: State;
  private readonly file: StateFile<State> | undefined;
  private deliveries: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<() => void>();

  constructor(private readonly options: WebexSpaceOptions) {
    this.file = options.stateFile ? new StateFile<State>(options.stateFile, options.publicUrl) : undefined;
    this.state = this.file?.load() ?? { rooms: [], messages: [], actions: [], webhooks: [] };
    for (const room of options.rooms)
      if (!this.state.rooms.some((known) => known.id === room.id))
        this.state.rooms.push({
          id: room.id,
          title: room.title,
          type: 'group',
          isLocked: false,
          creatorId: SANDBOX_WEBEX_BOT.id,
          created: this.nowIso(),
          lastActivity: this.nowIso(),
        });
  }

  private nowIso(): string {
    return new Date(this.options.now?.() ?? Date.now()).toISOString();
  }

  private changed(): void {
    this.file?.scheduleSave(() => this.state);
    for (const listener of this.listeners) listener();
  }

  /** Called after every change (the console's event stream). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  people(): WebexPersonRecord[] {
    return [SANDBOX_WEBEX_BOT, ...SANDBOX_WEBEX_PEOPLE];
  }

  /** Who a bearer token belongs to; undefined for an unknown token (Webex answers 401). */
  personByToken(token: string): WebexPersonRecord | undefined {
    return this.people().find((known) => known.token === token);
  }

  person(id: string): WebexPersonRecord {
    const found = this.people().find((known) => known.id === id);
    if (!found) throw new WebexApiError(404, 'The requested resource could not be found.');
    return found;
  }

  peopleByEmail(email: string): WebexPersonRecord[] {
    return this.people().filter((known) => known.emails.includes(email.toLowerCase()));
  }

  /** Every room, direct ones included (the console sees them all). */
  rooms(): WebexRoomRecord[] {
    return this.state.rooms;
  }

  /** The rooms `caller` is in: every group room, and the direct rooms they are one of the two of. */
  roomsOf(caller: WebexPersonRecord): WebexRoomRecord[] {
    return this.state.rooms.filter((room) => room.type === 'group' || room.members?.includes(caller.id));
  }

  /** A room `caller` may see (anyone, when no caller is named: the console). */
  room(id: string, caller?: WebexPersonRecord): WebexRoomRecord {
    const found = (caller ? this.roomsOf(caller) : this.state.rooms).find((room) => room.id === id);
    if (!found) throw new WebexApiError(404, 'Could not find a room with provided ID.');
    return found;
  }

  /** The room as the API shows it (who is in a direct room is the sandbox's own bookkeeping). */
  static shownRoom(room: WebexRoomRecord): Omit<WebexRoomRecord, 'members'> {
    const { members: _members, ...shown } = room;
    return shown;
  }

  /** The direct room of two people, made the first time one of them messages the other. */
  private directRoom(author: WebexPersonRecord, to: WebexPersonRecord): WebexRoomRecord {
    if (to.id === author.id) throw new WebexApiError(400, 'Cannot send a 1:1 message to yourself');
    const found = this.state.rooms.find(
      (room) => room.type === 'direct' && room.members?.includes(author.id) && room.members.includes(to.id),
    );
    if (found) return found;
    const room: WebexRoomRecord = {
      id: webexId('ROOM'),
      title: author.type === 'bot' ? to.displayName : author.displayName,
      type: 'direct',
      members: [author.id, to.id],
      isLocked: false,
      creatorId: author.id,
      created: this.nowIso(),
      lastActivity: this.nowIso(),
    };
    this.state.rooms.push(room);
    return room;
  }

  /** Where a new message goes: exactly one of `roomId`, `toPersonId`, `toPersonEmail`. */
  private destination(author: WebexPersonRecord, body: Record<string, unknown>) {
    const given = (['roomId', 'toPersonId', 'toPersonEmail'] as const).filter(
      (field) => typeof body[field] === 'string' && body[field] !== '',
    );
    if (given.length !== 1)
      throw new WebexApiError(
        400,
        'Message destination could not be determined. Provide only one destination in the roomId, toPersonEmail, or toPersonId field',
      );
    const value = body[given[0]!] as string;
    if (given[0] === 'roomId') return { room: this.room(value, author) };
    const to =
      given[0] === 'toPersonId'
        ? this.people().find((one) => one.id === value)
        : this.peopleByEmail(value)[0];
    if (!to) throw new WebexApiError(404, 'Person not found');
    return {
      room: this.directRoom(author, to),
      recipient: given[0] === 'toPersonId' ? { toPersonId: value } : { toPersonEmail: value },
    };
  }

  messages(roomId: string): WebexMessageRecord[] {
    return this.state.messages.filter((message) => message.roomId === roomId);
  }

  message(id: string): WebexMessageRecord {
    const found = this.state.messages.find((message) => message.id === id);
    if (!found) throw new WebexApiError(404, 'Unable to get message.');
    return found;
  }

  createMessage(author: WebexPersonRecord, body: Record<string, unknown>): WebexMessageRecord {
    const { room, recipient } = this.destination(author, body);
    const text = typeof body.text === 'string' ? body.text : undefined;
    const markdown = typeof body.markdown === 'string' ? body.markdown : undefined;
    const attachments = Array.isArray(body.attachments) ? (body.attachments as unknown[]) : undefined;
    if (text === undefined && markdown === undefined && !attachments)
      throw new WebexApiError(400, 'Message must contain text or file');
    for (const value of [text, markdown])
      if (value !== undefined && Buffer.byteLength(value) > WEBEX_MESSAGE_MAX_BYTES)
        throw new WebexApiError(
          400,
          `Message length exceeds the maximum of ${WEBEX_MESSAGE_MAX_BYTES} bytes`,
        );
    if (attachments) {
      if (attachments.length > 1) throw new WebexApiError(400, 'Only one card per message is supported');
      const card = attachments[0] as { contentType?: unknown; content?: { type?: unknown } } | undefined;
      if (
        card?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
        card.content?.type !== 'AdaptiveCard'
      )
        throw new WebexApiError(
          400,
          'Attachment contentType must be application/vnd.microsoft.card.adaptive',
        );
      if (text === undefined && markdown === undefined)
        throw new WebexApiError(
          400,
          'A message with a card must have text or markdown for clients that cannot render it',
        );
    }
    let parentId: string | undefined;
    if (body.parentId !== undefined) {
      if (typeof body.parentId !== 'string') throw new WebexApiError(400, 'Invalid parentId');
      const parent = this.state.messages.find((message) => message.id === body.parentId);
      if (!parent || parent.roomId !== room.id)
        throw new WebexApiError(400, 'Parent message not found in this room');
      if (parent.parentId) throw new WebexApiError(400, 'Cannot reply to a reply');
      parentId = parent.id;
    }
    const mentioned = [...(markdown ?? '').matchAll(/<@personId:([A-Za-z0-9_-]+)(?:\|[^>]*)?>/g)].map(
      (match) => match[1]!,
    );
    const message: WebexMessageRecord = {
      id: webexId('MESSAGE'),
      roomId: room.id,
      roomType: room.type,
      ...recipient,
      ...(parentId ? { parentId } : {}),
      ...(text !== undefined ? { text } : { text: markdown }),
      ...(markdown !== undefined ? { markdown } : {}),
      personId: author.id,
      personEmail: author.emails[0]!,
      ...(mentioned.length > 0 ? { mentionedPeople: mentioned } : {}),
      ...(attachments ? { attachments: attachments as WebexMessageRecord['attachments'] } : {}),
      created: this.nowIso(),
    };
    this.state.messages.push(message);
    room.lastActivity = message.created;
    this.changed();
    this.deliver('messages', message.roomId, author, {
      id: message.id,
      roomId: message.roomId,
      roomType: room.type,
      personId: author.id,
      personEmail: author.emails[0],
      ...(message.mentionedPeople ? { mentionedPeople: message.mentionedPeople } : {}),
      created: message.created,
    });
    return message;
  }

  editMessage(editor: WebexPersonRecord, id: string, body: Record<string, unknown>): WebexMessageRecord {
    const message = this.message(id);
    if (message.personId !== editor.id)
      throw new WebexApiError(403, 'Only the author of a message can edit it');
    if (body.roomId !== message.roomId) throw new WebexApiError(400, 'roomId does not match the message');
    if (message.attachments?.length)
      throw new WebexApiError(400, 'Editing messages with files or attachments is currently unsupported');
    if ((message.edits ?? 0) >= WEBEX_EDITS_MAX)
      throw new WebexApiError(400, 'Edit limit reached for this message');
    const markdown = typeof body.markdown === 'string' ? body.markdown : undefined;
    const text = typeof body.text === 'string' ? body.text : undefined;
    if (markdown === undefined && text === undefined)
      throw new WebexApiError(400, 'Message must contain text');
    message.markdown = markdown;
    message.text = text ?? markdown;
    message.edits = (message.edits ?? 0) + 1;
    message.updated = this.nowIso();
    this.changed();
    return message;
  }

  deleteMessage(deleter: WebexPersonRecord, id: string): void {
    const message = this.message(id);
    if (message.personId !== deleter.id)
      throw new WebexApiError(403, 'Only the author of a message can delete it');
    this.state.messages = this.state.messages.filter((known) => known.id !== id);
    this.changed();
  }

  /** A person submits a card: what the Webex client does when a card's `Action.Submit` is clicked. */
  submitCard(person: WebexPersonRecord, body: Record<string, unknown>): WebexAttachmentActionRecord {
    if (body.type !== 'submit') throw new WebexApiError(400, 'type must be submit');
    const message = this.message(String(body.messageId));
    if (!message.attachments?.length) throw new WebexApiError(400, 'The message has no card');
    // Only the people in a direct room see its cards.
    this.room(message.roomId, person);
    const inputs =
      typeof body.inputs === 'object' && body.inputs !== null ? (body.inputs as Record<string, unknown>) : {};
    const action: WebexAttachmentActionRecord = {
      id: webexId('ATTACHMENT_ACTION'),
      type: 'submit',
      messageId: message.id,
      inputs,
      personId: person.id,
      roomId: message.roomId,
      created: this.nowIso(),
    };
    this.state.actions.push(action);
    this.changed();
    this.deliver('attachmentActions', message.roomId, person, {
      id: action.id,
      type: 'submit',
      messageId: message.id,
      personId: person.id,
      roomId: message.roomId,
      created: action.created,
    });
    return action;
  }

  attachmentAction(reader: WebexPersonRecord, id: string): WebexAttachmentActionRecord {
    const action = this.state.actions.find((known) => known.id === id);
    const message = action && this.state.messages.find((known) => known.id === action.messageId);
    // Only the card's author (the bot) and the person who submitted can read a submission.
    if (!action || (message?.personId !== reader.id && action.personId !== reader.id))
      throw new WebexApiError(404, 'The requested resource could not be found.');
    return action;
  }

  webhooks(owner: WebexPersonRecord): WebexWebhookRecord[] {
    return this.state.webhooks.filter((webhook) => webhook.createdBy === owner.id);
  }

  createWebhook(owner: WebexPersonRecord, body: Record<string, unknown>): WebexWebhookRecord {
    for (const field of ['name', 'targetUrl', 'resource', 'event'])
      if (typeof body[field] !== 'string' || body[field] === '')
        throw new WebexApiError(400, `${field} cannot be null or empty`);
    if (!['messages', 'attachmentActions', 'rooms', 'memberships'].includes(body.resource as string))
      throw new WebexApiError(400, `Unsupported resource ${String(body.resource)}`);
    const webhook: WebexWebhookRecord = {
      id: webexId('WEBHOOK'),
      name: body.name as string,
      targetUrl: body.targetUrl as string,
      resource: body.resource as string,
      event: body.event as string,
      ...(typeof body.filter === 'string' ? { filter: body.filter } : {}),
      ...(typeof body.secret === 'string' ? { secret: body.secret } : {}),
      status: 'active',
      created: this.nowIso(),
      orgId: ORG_ID,
      createdBy: owner.id,
      appId: APP_ID,
      ownedBy: 'creator',
    };
    this.state.webhooks.push(webhook);
    this.changed();
    return webhook;
  }

  updateWebhook(owner: WebexPersonRecord, id: string, body: Record<string, unknown>): WebexWebhookRecord {
    const webhook = this.webhooks(owner).find((known) => known.id === id);
    if (!webhook) throw new WebexApiError(404, 'The requested resource could not be found.');
    for (const field of ['name', 'targetUrl'])
      if (typeof body[field] !== 'string' || body[field] === '')
        throw new WebexApiError(400, `${field} cannot be null or empty`);
    webhook.name = body.name as string;
    webhook.targetUrl = body.targetUrl as string;
    if (typeof body.secret === 'string') webhook.secret = body.secret;
    if (body.status === 'active' || body.status === 'inactive') webhook.status = body.status;
    this.changed();
    return webhook;
  }

  deleteWebhook(owner: WebexPersonRecord, id: string): void {
    if (!this.webhooks(owner).some((known) => known.id === id))
      throw new WebexApiError(404, 'The requested resource could not be found.');
    this.state.webhooks = this.state.webhooks.filter((known) => known.id !== id);
    this.changed();
  }

  /** What a webhook without its secret looks like in an answer (Webex never returns the secret). */
  static shown(webhook: WebexWebhookRecord): Omit<WebexWebhookRecord, 'secret'> {
    const { secret: _secret, ...shown } = webhook;
    return shown;
  }

  /** Resolves when every delivery started so far is done (or failed). */
  idle(): Promise<void> {
    return this.deliveries;
  }

  flush(): void {
    this.file?.flush();
  }

  /**
   * Delivers `data` to each active webhook of the room's members for `resource`/`created` whose filter
   * matches, signed with its secret. Webex delivers to the webhooks of every member who can see the
   * event; in the sandbox the bot is the only member with webhooks.
   */
  private deliver(
    resource: string,
    roomId: string,
    actor: WebexPersonRecord,
    data: Record<string, unknown>,
  ): void {
    for (const webhook of this.state.webhooks) {
      if (webhook.status !== 'active' || webhook.resource !== resource) continue;
      if (resource === 'messages' && !this.ownerHears(webhook, actor, data)) continue;
      if (webhook.event !== 'created' && webhook.event !== 'all') continue;
      if (webhook.filter && webhook.filter !== `roomId=${roomId}`) continue;
      const payload = {
        id: webhook.id,
        name: webhook.name,
        targetUrl: webhook.targetUrl,
        resource,
        event: 'created',
        ...(webhook.filter ? { filter: webhook.filter } : {}),
        orgId: ORG_ID,
        createdBy: webhook.createdBy,
        appId: APP_ID,
        ownedBy: 'creator',
        status: 'active',
        created: webhook.created,
        actorId: actor.id,
        data,
      };
      this.deliveries = this.deliveries.then(() => this.post(webhook, JSON.stringify(payload)));
    }
  }

  /**
   * Webex's rule for bots (developer.webex.com/docs/bots): in a group space a bot is told only of the
   * messages that @mention it (and of its own), in a direct space of every message. A person's webhook
   * hears every message of their rooms.
   */
  private ownerHears(
    webhook: WebexWebhookRecord,
    author: WebexPersonRecord,
    data: Record<string, unknown>,
  ): boolean {
    const owner = this.people().find((known) => known.id === webhook.createdBy);
    if (owner?.type !== 'bot' || data.roomType !== 'group' || author.id === owner.id) return true;
    return Array.isArray(data.mentionedPeople) && data.mentionedPeople.includes(owner.id);
  }

  private async post(webhook: WebexWebhookRecord, body: string): Promise<void> {
    try {
      const response = await fetch(webhook.targetUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(webhook.secret ? { 'x-spark-signature': signWebexBody(webhook.secret, body) } : {}),
        },
        body,
        signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
      });
      await response.arrayBuffer();
      if (!response.ok)
        this.options.logger?.warn('sandbox Webex: webhook answered an error', {
          url: webhook.targetUrl,
          status: response.status,
        });
    } catch (error) {
      this.options.logger?.warn('sandbox Webex: webhook delivery failed', {
        url: webhook.targetUrl,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
