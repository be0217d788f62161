/**
 * The sandbox Slack workspace: conversations, messages and threads, ephemeral messages, DMs and open
 * modals. The Web API stand-in and the console both work on it; every change is announced with a
 * `change` event (the console updates live from it) and, given a state file, kept across restarts.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SANDBOX_DEFAULTS } from '../config/config';
import { checkBlocks, type Block } from './block-kit-check';
import { StateFile } from './state-file';

/** A Slack `ok:false` answer: `code` is Slack's error string (`message_not_found`, …). */
export class SlackPlatformError extends Error {
  constructor(
    readonly code: string,
    readonly errors: string[] = [],
  ) {
    super(code);
    this.name = 'SlackPlatformError';
  }
}

export interface SandboxUser {
  id: string;
  /** The handle (`alice`). */
  name: string;
  realName: string;
  email: string;
  title: string;
  isBot?: boolean;
}

export const SANDBOX_TEAM = {
  id: 'T0SANDBOX',
  domain: SANDBOX_DEFAULTS.slackWorkspaceDomains[0],
  name: 'Hivewire Sandbox',
} as const;

/** The bot the sandbox token belongs to. */
export const SANDBOX_BOT = {
  userId: 'U0HIVEWIRE',
  botId: 'B0HIVEWIRE',
  appId: 'A0HIVEWIRE',
  name: 'hivewire',
  realName: 'Hivewire',
} as const;

/** The people of the sandbox workspace; their e-mail addresses are also their TheHive logins. */
export const SANDBOX_USERS: readonly SandboxUser[] = [
  {
    id: 'U0ALICE',
    name: 'alice',
    realName: 'Alice (SOC analyst)',
    email: 'alice@example.com',
    title: 'SOC analyst',
  },
  { id: 'U0BOB', name: 'bob', realName: 'Bob (SOC lead)', email: 'bob@example.com', title: 'SOC lead' },
  {
    id: 'U0CAROL',
    name: 'carol',
    realName: 'Carol (cloud engineer)',
    email: 'carol@example.com',
    title: 'Cloud engineer',
  },
  {
    id: 'U0DAVE',
    name: 'dave',
    realName: 'Dave (on call)',
    email: 'dave@example.com',
    title: 'On-call responder',
  },
];

const BOT_USER: SandboxUser = {
  id: SANDBOX_BOT.userId,
  name: SANDBOX_BOT.name,
  realName: SANDBOX_BOT.realName,
  email: '',
  title: 'Security alerts bot',
  isBot: true,
};

/** Slack's top-level `text` limit: longer text is cut, with a `message_truncated` warning. */
export const MESSAGE_TEXT_LIMIT = 40_000;
/** A `trigger_id` is good for 3 seconds and one use. */
export const TRIGGER_TTL_MS = 3_000;
/** A `response_url` works 5 times within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface MessageContent {
  text?: string;
  blocks?: unknown;
  attachments?: unknown[];
  metadata?: MessageMetadata;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  user: string;
  botId?: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  metadata?: MessageMetadata;
  /** On a reply: its parent's ts. On a parent with replies: its own ts. */
  threadTs?: string;
  /** A reply also shown in the channel (`reply_broadcast`). */
  broadcast?: boolean;
  /** Replies' ts, oldest first (parents only). */
  replies?: string[];
  /** A deleted parent whose replies remain. */
  tombstone?: boolean;
}

export interface Conversation {
  id: string;
  kind: 'channel' | 'im' | 'mpim';
  name: string;
  /** The people of a DM (the bot is implied). */
  members?: string[];
}

export interface EphemeralMessage {
  /** The `message_ts` Slack answers; also the id the console dismisses it by. */
  ts: string;
  channel: string;
  user: string;
  text: string;
  blocks?: Block[];
  attachments?: unknown[];
  threadTs?: string;
}

/** The workspace an interaction happens in (team id and domain, as a payload's `team` names it). */
export interface InteractionTeam {
  id: string;
  domain: string;
}

export interface OpenModal {
  id: string;
  userId: string;
  /** The workspace of the interaction whose trigger opened it: its submission comes from there. */
  team: InteractionTeam;
  view: Record<string, unknown> & { blocks: Block[] };
}

/** What a `response_url` acts on: the message (or ephemeral message) whose button was clicked. */
export interface ResponseTarget {
  id: string;
  userId: string;
  channel: string;
  messageTs?: string;
  ephemeral?: boolean;
  threadTs?: string;
  uses: number;
  expiresAt: number;
}

export interface WorkspaceChange {
  kind: 'message' | 'ephemeral' | 'modal' | 'conversation';
  channel?: string;
  user?: string;
  ts?: string;
}

interface WorkspaceState {
  version: 1;
  lastMicros: string;
  conversations: Conversation[];
  messages: StoredMessage[];
  ephemerals: EphemeralMessage[];
}

export interface SlackWorkspaceOptions {
  /** The alerts channel (shown first in the console, named `security-alerts`). */
  alertChannel: string;
  /** Where to keep the workspace across restarts (a JSON file); in memory only when absent. */
  stateFile?: string;
  /** Where the sandbox is reached now: saved links under another address are moved to it. */
  publicUrl?: string;
  /** The clock, in epoch milliseconds (tests pin it). */
  now?: () => number;
}

/** Orders Slack timestamps (`"1732525200.000100"`): seconds, then the sequence part. */
function compareTs(a: string, b: string): number {
  const [aSec = '0', aSeq = '0'] = a.split('.');
  const [bSec = '0', bSeq = '0'] = b.split('.');
  return Number(aSec) - Number(bSec) || Number(aSeq.padEnd(6, '0')) - Number(bSeq.padEnd(6, '0'));
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export class SlackWorkspace extends EventEmitter {
  readonly alertChannel: string;
  private readonly now: () => number;
  private readonly stateFile?: StateFile<WorkspaceState>;
  private lastMicros = 0n;
  private readonly conversations = new Map<string, Conversation>();
  private readonly messages = new Map<string, StoredMessage[]>();
  private ephemerals: EphemeralMessage[] = [];
  private readonly modals = new Map<string, OpenModal>();
  private readonly triggers = new Map<
    string,
    { userId: string; team: InteractionTeam; issuedAt: number; used: boolean }
  >();
  private readonly responseTargets = new Map<string, ResponseTarget>();

  constructor(options: SlackWorkspaceOptions) {
    super();
    this.alertChannel = options.alertChannel;
    this.now = options.now ?? Date.now;
    if (options.stateFile) {
      this.stateFile = new StateFile<WorkspaceState>(options.stateFile, options.publicUrl);
      const saved = this.stateFile.load();
      if (saved?.version === 1) this.restore(saved);
    }
    this.conversation(this.alertChannel);
  }

  /** The sandbox users, the bot included. */
  users(): SandboxUser[] {
    return [...SANDBOX_USERS, BOT_USER];
  }

  /** A user by id. */
  userById(id: string): SandboxUser | undefined {
    return this.users().find((user) => user.id === id);
  }

  /** A (human) user by e-mail, case-insensitively. */
  userByEmail(email: string): SandboxUser | undefined {
    const wanted = email.trim().toLowerCase();
    return SANDBOX_USERS.find((user) => user.email === wanted);
  }

  /** Every conversation with something in it, the alerts channel first. */
  listConversations(): Conversation[] {
    return [...this.conversations.values()].sort((a, b) =>
      a.id === this.alertChannel ? -1 : b.id === this.alertChannel ? 1 : a.name.localeCompare(b.name),
    );
  }

  /** A conversation by id: any channel id is accepted (and created on first use), as the sandbox promises. */
  conversation(id: string): Conversation {
    let conversation = this.conversations.get(id);
    if (!conversation) {
      // A DM id names its person (D0ALICE is the app's DM with U0ALICE), so the console shows it to them.
      const dmUser = id.startsWith('D') ? this.userById(`U${id.slice(1)}`) : undefined;
      conversation = dmUser
        ? { id, kind: 'im', name: dmUser.name, members: [dmUser.id] }
        : {
            id,
            kind: id.startsWith('D') ? 'im' : id.startsWith('G') ? 'mpim' : 'channel',
            name: id === this.alertChannel ? 'security-alerts' : id.toLowerCase(),
          };
      this.conversations.set(id, conversation);
    }
    return conversation;
  }

  /**
   * `conversations.open`: the DM with one user (`D…`, stable per user) or a group DM with several.
   * Resolves to the conversation and whether it already existed.
   */
  openConversation(userIds: string[]): { conversation: Conversation; alreadyOpen: boolean } {
    const people = [...new Set(userIds.map((id) => id.trim()).filter(Boolean))];
    if (people.length === 0) throw new SlackPlatformError('users_list_not_supplied');
    if (people.length > 8) throw new SlackPlatformError('too_many_users');
    for (const id of people)
      if (!this.userById(id) || id === BOT_USER.id) throw new SlackPlatformError('user_not_found');
    const sorted = [...people].sort();
    const id =
      sorted.length === 1
        ? `D${sorted[0]!.slice(1)}`
        : `G${Buffer.from(sorted.join(',')).toString('hex').slice(0, 10).toUpperCase()}`;
    const alreadyOpen = this.conversations.has(id);
    if (!alreadyOpen) {
      const names = sorted.map((user) => this.userById(user)?.name ?? user);
      this.conversations.set(id, {
        id,
        kind: sorted.length === 1 ? 'im' : 'mpim',
        name: sorted.length === 1 ? names[0]! : `mpdm-${names.join('--')}-1`,
        members: sorted,
      });
      this.changed({ kind: 'conversation', channel: id });
    }
    return { conversation: this.conversations.get(id)!, alreadyOpen };
  }

  /**
   * The conversation a `channel` argument names: an id, a `#name` of a known channel, or a user id
   * (which posts to the app's DM with that user).
   */
  private resolveChannel(channel: string | undefined): Conversation {
    const id = channel?.trim();
    if (!id) throw new SlackPlatformError('channel_not_found');
    if (id.startsWith('#')) {
      const named = [...this.conversations.values()].find(
        (c) => c.kind === 'channel' && c.name === id.slice(1),
      );
      if (!named) throw new SlackPlatformError('channel_not_found');
      return named;
    }
    if (/^[UW][A-Z0-9]+$/.test(id)) {
      if (!this.userById(id) || id === BOT_USER.id) throw new SlackPlatformError('channel_not_found');
      return this.openConversation([id]).conversation;
    }
    return this.conversation(id);
  }

  /** A message in a channel (a reply included). */
  getMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.get(channel)?.find((message) => message.ts === ts);
  }

  /** A message as the Web API shows it (`conversations.history`, `block_actions.message`, …). */
  apiMessage(message: StoredMessage, includeMetadata: boolean): Record<string, unknown> {
    const replies = (message.replies ?? [])
      .map((ts) => this.getMessage(message.channel, ts))
      .filter(isDefined);
    const replyUsers = [...new Set(replies.map((reply) => reply.user))];
    const isReply = message.threadTs !== undefined && message.threadTs !== message.ts;
    return {
      type: 'message',
      ...(message.tombstone
        ? { subtype: 'tombstone', hidden: true }
        : message.broadcast
          ? { subtype: 'thread_broadcast' }
          : {}),
      user: message.user,
      ...(message.botId
        ? {
            bot_id: message.botId,
            app_id: SANDBOX_BOT.appId,
            bot_profile: {
              id: message.botId,
              app_id: SANDBOX_BOT.appId,
              name: SANDBOX_BOT.realName,
              deleted: false,
              team_id: SANDBOX_TEAM.id,
            },
          }
        : {}),
      text: message.text,
      ts: message.ts,
      team: SANDBOX_TEAM.id,
      ...(message.blocks ? { blocks: message.blocks } : {}),
      ...(message.attachments ? { attachments: message.attachments } : {}),
      ...(includeMetadata && message.metadata ? { metadata: message.metadata } : {}),
      ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
      ...(isReply ? { parent_user_id: this.getMessage(message.channel, message.threadTs!)?.user } : {}),
      ...(replies.length
        ? {
            reply_count: replies.length,
            reply_users_count: replyUsers.length,
            latest_reply: replies[replies.length - 1]!.ts,
            reply_users: replyUsers,
            is_locked: false,
            subscribed: false,
          }
        : {}),
    };
  }

  /** `chat.postMessage`: a root message, or a reply when `threadTs` names a message of the channel. */
  postMessage(input: {
    channel: string | undefined;
    user: string;
    botId?: string;
    content: MessageContent;
    threadTs?: string;
    broadcast?: boolean;
  }): { message: StoredMessage; warnings: string[] } {
    const conversation = this.resolveChannel(input.channel);
    const { fields, warnings } = this.checkContent(input.content, true);
    let parent: StoredMessage | undefined;
    if (input.threadTs) {
      const target = this.getMessage(conversation.id, input.threadTs);
      if (!target) throw new SlackPlatformError('thread_not_found');
      // A reply's ts names its thread: Slack threads under the parent, never a reply.
      parent =
        target.threadTs && target.threadTs !== target.ts
          ? this.getMessage(conversation.id, target.threadTs)
          : target;
    }
    const message: StoredMessage = {
      channel: conversation.id,
      ts: this.nextTs(),
      user: input.user,
      ...(input.botId ? { botId: input.botId } : {}),
      text: fields.text ?? '',
      ...(fields.blocks ? { blocks: fields.blocks } : {}),
      ...(fields.attachments ? { attachments: fields.attachments } : {}),
      ...(fields.metadata ? { metadata: fields.metadata } : {}),
    };
    if (parent) {
      message.threadTs = parent.ts;
      if (input.broadcast) message.broadcast = true;
      parent.threadTs = parent.ts;
      parent.replies = [...(parent.replies ?? []), message.ts];
    }
    const list = this.messages.get(conversation.id) ?? [];
    list.push(message);
    this.messages.set(conversation.id, list);
    this.changed({ kind: 'message', channel: conversation.id, ts: message.ts });
    return { message, warnings };
  }

  /**
   * `chat.update`: replaces what is given. As in Slack, new `text` without `blocks` removes the blocks,
   * and metadata stays unless replaced. Only the poster may update a message.
   */
  updateMessage(
    channel: string,
    ts: string,
    by: string,
    content: MessageContent,
  ): { message: StoredMessage; warnings: string[] } {
    const message = this.getMessage(channel, ts);
    if (!message || message.tombstone) throw new SlackPlatformError('message_not_found');
    if (message.user !== by) throw new SlackPlatformError('cant_update_message');
    const { fields, warnings } = this.checkContent(content, false);
    if (fields.text !== undefined) message.text = fields.text;
    if (fields.blocks !== undefined) message.blocks = fields.blocks;
    else if (fields.text !== undefined) delete message.blocks;
    if (fields.attachments !== undefined) message.attachments = fields.attachments;
    if (fields.metadata !== undefined) message.metadata = fields.metadata;
    this.changed({ kind: 'message', channel, ts });
    return { message, warnings };
  }

  /** Deletes a message (a `response_url` with `delete_original`); a parent with replies leaves a tombstone. */
  deleteMessage(channel: string, ts: string): void {
    const list = this.messages.get(channel) ?? [];
    const message = list.find((m) => m.ts === ts);
    if (!message) throw new SlackPlatformError('message_not_found');
    if (message.replies?.length) {
      message.tombstone = true;
      message.text = 'This message was deleted.';
      delete message.blocks;
      delete message.attachments;
      delete message.metadata;
    } else {
      this.messages.set(
        channel,
        list.filter((m) => m !== message),
      );
      if (message.threadTs && message.threadTs !== message.ts) {
        const parent = this.getMessage(channel, message.threadTs);
        if (parent) parent.replies = (parent.replies ?? []).filter((reply) => reply !== ts);
      }
    }
    this.changed({ kind: 'message', channel, ts });
  }

  /**
   * `conversations.history`: the channel's top-level messages (and broadcast replies), newest first,
   * paged with an opaque cursor.
   */
  history(
    channel: string,
    options: { limit?: number; cursor?: string; latest?: string; oldest?: string; inclusive?: boolean } = {},
  ): { messages: StoredMessage[]; nextCursor?: string } {
    const all = (this.messages.get(channel) ?? [])
      .filter((m) => !m.threadTs || m.threadTs === m.ts || m.broadcast)
      .filter((m) => {
        const inclusive = options.inclusive ?? false;
        if (options.latest) {
          const c = compareTs(m.ts, options.latest);
          if (c > 0 || (c === 0 && !inclusive)) return false;
        }
        if (options.oldest) {
          const c = compareTs(m.ts, options.oldest);
          if (c < 0 || (c === 0 && !inclusive)) return false;
        }
        return true;
      })
      .reverse();
    return page(all, options.limit, options.cursor);
  }

  /** `conversations.replies`: the parent first, then its replies oldest first. */
  replies(
    channel: string,
    ts: string,
    options: { limit?: number; cursor?: string } = {},
  ): { messages: StoredMessage[]; nextCursor?: string } {
    const message = this.getMessage(channel, ts);
    if (!message) throw new SlackPlatformError('thread_not_found');
    const parent =
      message.threadTs && message.threadTs !== message.ts
        ? this.getMessage(channel, message.threadTs)
        : message;
    if (!parent) throw new SlackPlatformError('thread_not_found');
    const thread = [
      parent,
      ...(parent.replies ?? []).map((reply) => this.getMessage(channel, reply)).filter(isDefined),
    ];
    return page(thread, options.limit, options.cursor);
  }

  /** `chat.postEphemeral`: shown to one user only, never stored in the channel. */
  postEphemeral(input: {
    channel: string | undefined;
    user: string | undefined;
    content: MessageContent;
    threadTs?: string;
  }): EphemeralMessage {
    const conversation = this.resolveChannel(input.channel);
    const user = input.user ? this.userById(input.user) : undefined;
    if (!user || user.isBot) throw new SlackPlatformError('user_not_in_channel');
    const { fields } = this.checkContent(input.content, true);
    const ephemeral: EphemeralMessage = {
      ts: this.nextTs(),
      channel: conversation.id,
      user: user.id,
      text: fields.text ?? '',
      ...(fields.blocks ? { blocks: fields.blocks } : {}),
      ...(fields.attachments ? { attachments: fields.attachments } : {}),
      ...(input.threadTs ? { threadTs: input.threadTs } : {}),
    };
    this.ephemerals.push(ephemeral);
    this.changed({ kind: 'ephemeral', channel: conversation.id, user: user.id, ts: ephemeral.ts });
    return ephemeral;
  }

  /** The ephemeral messages one user sees, oldest first. */
  ephemeralsFor(userId: string): EphemeralMessage[] {
    return this.ephemerals.filter((e) => e.user === userId);
  }

  /** One user's ephemeral message. */
  getEphemeral(userId: string, ts: string): EphemeralMessage | undefined {
    return this.ephemerals.find((e) => e.user === userId && e.ts === ts);
  }

  /** Replaces an ephemeral message's content (a `response_url` with `replace_original`). */
  replaceEphemeral(userId: string, ts: string, content: MessageContent): EphemeralMessage {
    const ephemeral = this.getEphemeral(userId, ts);
    if (!ephemeral) throw new SlackPlatformError('message_not_found');
    const { fields } = this.checkContent(content, true);
    ephemeral.text = fields.text ?? '';
    if (fields.blocks) ephemeral.blocks = fields.blocks;
    else delete ephemeral.blocks;
    this.changed({ kind: 'ephemeral', channel: ephemeral.channel, user: userId, ts });
    return ephemeral;
  }

  /** Removes an ephemeral message (the user dismissed it, or a `response_url` deleted it). */
  dismissEphemeral(userId: string, ts: string): void {
    const ephemeral = this.getEphemeral(userId, ts);
    if (!ephemeral) throw new SlackPlatformError('message_not_found');
    this.ephemerals = this.ephemerals.filter((e) => e !== ephemeral);
    this.changed({ kind: 'ephemeral', channel: ephemeral.channel, user: userId, ts });
  }

  /**
   * A `trigger_id` for an interaction by `userId` in workspace `team` (what Slack puts in every
   * interaction payload).
   */
  issueTrigger(userId: string, team: InteractionTeam = SANDBOX_TEAM): string {
    const id = `${this.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, {
      userId,
      team: { id: team.id, domain: team.domain },
      issuedAt: this.now(),
      used: false,
    });
    return id;
  }

  /** Spends a `trigger_id`: once, within 3 seconds. Resolves to who caused it, and where. */
  private useTrigger(triggerId: string | undefined): { userId: string; team: InteractionTeam } {
    const trigger = triggerId ? this.triggers.get(triggerId) : undefined;
    if (!trigger) throw new SlackPlatformError('invalid_trigger_id');
    if (trigger.used) throw new SlackPlatformError('exchanged_trigger_id');
    if (this.now() - trigger.issuedAt > TRIGGER_TTL_MS) throw new SlackPlatformError('expired_trigger_id');
    trigger.used = true;
    return { userId: trigger.userId, team: trigger.team };
  }

  /** `views.open`: a modal for the user whose interaction issued `triggerId`. */
  openModal(triggerId: string | undefined, view: unknown): OpenModal {
    const checked = this.checkView(view);
    const { userId, team } = this.useTrigger(triggerId);
    for (const existing of this.modals.values())
      if (existing.userId === userId) this.modals.delete(existing.id);
    const id = `V${randomBytes(5).toString('hex').toUpperCase()}`;
    const modal: OpenModal = { id, userId, team, view: this.renderView(id, checked) };
    this.modals.set(id, modal);
    this.changed({ kind: 'modal', user: userId });
    return modal;
  }

  /** Replaces an open modal's view (a `response_action: update` answer). */
  updateModal(viewId: string, view: unknown): OpenModal {
    const modal = this.modals.get(viewId);
    if (!modal) throw new SlackPlatformError('not_found');
    modal.view = this.renderView(viewId, this.checkView(view));
    this.changed({ kind: 'modal', user: modal.userId });
    return modal;
  }

  /** The modal a user has open, if any. */
  modalFor(userId: string): OpenModal | undefined {
    return [...this.modals.values()].find((modal) => modal.userId === userId);
  }

  /** An open modal by view id. */
  getModal(viewId: string): OpenModal | undefined {
    return this.modals.get(viewId);
  }

  /** Closes a modal. */
  closeModal(viewId: string): void {
    const modal = this.modals.get(viewId);
    if (!modal) return;
    this.modals.delete(viewId);
    this.changed({ kind: 'modal', user: modal.userId });
  }

  /** A new `response_url` id for an interaction on `target`. */
  issueResponseTarget(target: Omit<ResponseTarget, 'id' | 'uses' | 'expiresAt'>): ResponseTarget {
    const id = randomBytes(12).toString('hex');
    const stored: ResponseTarget = { ...target, id, uses: 0, expiresAt: this.now() + RESPONSE_URL_TTL_MS };
    this.responseTargets.set(id, stored);
    return stored;
  }

  /** Spends one use of a `response_url`; undefined when unknown, expired or used up. */
  useResponseTarget(id: string): ResponseTarget | undefined {
    const target = this.responseTargets.get(id);
    if (!target || target.expiresAt < this.now() || target.uses >= RESPONSE_URL_USES) return undefined;
    target.uses += 1;
    return target;
  }

  /** Writes pending state to disk now (before an API answer, and at shutdown). */
  flush(): void {
    this.stateFile?.flush();
  }

  /** The next message timestamp: the clock in microseconds, strictly increasing, formatted as Slack does. */
  private nextTs(): string {
    const clock = BigInt(this.now()) * 1000n;
    this.lastMicros = clock > this.lastMicros ? clock : this.lastMicros + 1n;
    const digits = this.lastMicros.toString().padStart(7, '0');
    return `${digits.slice(0, -6)}.${digits.slice(-6)}`;
  }

  private checkContent(
    content: MessageContent,
    requireSomething: boolean,
  ): {
    fields: { text?: string; blocks?: Block[]; attachments?: unknown[]; metadata?: MessageMetadata };
    warnings: string[];
  } {
    const warnings: string[] = [];
    let blocks: Block[] | undefined;
    if (content.blocks !== undefined) {
      const checked = checkBlocks(content.blocks, 'message');
      if (!checked.ok) throw new SlackPlatformError(checked.error, checked.errors);
      blocks = checked.blocks;
    }
    if (content.attachments !== undefined && !Array.isArray(content.attachments))
      throw new SlackPlatformError('invalid_attachments');
    if (content.metadata !== undefined) {
      const m = content.metadata as unknown;
      if (!isObject(m) || typeof m.event_type !== 'string' || !m.event_type || !isObject(m.event_payload))
        throw new SlackPlatformError('invalid_metadata_format');
    }
    let text = content.text;
    if (text !== undefined && text.length > MESSAGE_TEXT_LIMIT) {
      text = text.slice(0, MESSAGE_TEXT_LIMIT);
      warnings.push('message_truncated');
    }
    if (requireSomething && !text && !blocks?.length && !content.attachments?.length)
      throw new SlackPlatformError('no_text');
    return {
      fields: {
        ...(text !== undefined ? { text } : {}),
        ...(blocks ? { blocks } : {}),
        ...(content.attachments ? { attachments: content.attachments } : {}),
        ...(content.metadata ? { metadata: content.metadata } : {}),
      },
      warnings,
    };
  }

  /** Checks a modal view as `views.open` does: a `modal` with a plain-text title of at most 24 characters. */
  private checkView(view: unknown): Record<string, unknown> & { blocks: Block[] } {
    if (!isObject(view) || view.type !== 'modal') throw new SlackPlatformError('invalid_arguments');
    const title = view.title;
    if (
      !isObject(title) ||
      title.type !== 'plain_text' ||
      typeof title.text !== 'string' ||
      title.text.length > 24
    )
      throw new SlackPlatformError('invalid_arguments', [
        'title must be plain_text of at most 24 characters',
      ]);
    const checked = checkBlocks(view.blocks ?? [], 'modal');
    if (!checked.ok) throw new SlackPlatformError(checked.error, checked.errors);
    return { ...view, blocks: checked.blocks };
  }

  /** A view as Slack answers it: the app's fields plus Slack's (`id`, `hash`, empty `state`). */
  private renderView(id: string, view: Record<string, unknown> & { blocks: Block[] }) {
    return {
      id,
      team_id: SANDBOX_TEAM.id,
      callback_id: '',
      private_metadata: '',
      external_id: '',
      clear_on_close: false,
      notify_on_close: false,
      ...view,
      state: { values: {} },
      hash: `${Math.floor(this.now() / 1000)}.${randomBytes(4).toString('hex')}`,
      app_id: SANDBOX_BOT.appId,
      bot_id: SANDBOX_BOT.botId,
      app_installed_team_id: SANDBOX_TEAM.id,
      root_view_id: id,
      previous_view_id: null,
    };
  }

  private changed(change: WorkspaceChange): void {
    if (change.kind !== 'modal') this.stateFile?.scheduleSave(() => this.snapshot());
    this.emit('change', change);
  }

  private snapshot(): WorkspaceState {
    return {
      version: 1,
      lastMicros: this.lastMicros.toString(),
      conversations: [...this.conversations.values()],
      messages: [...this.messages.values()].flat(),
      ephemerals: this.ephemerals,
    };
  }

  private restore(state: WorkspaceState): void {
    this.lastMicros = BigInt(state.lastMicros);
    for (const conversation of state.conversations) this.conversations.set(conversation.id, conversation);
    for (const message of state.messages) {
      const list = this.messages.get(message.channel) ?? [];
      list.push(message);
      this.messages.set(message.channel, list);
    }
    this.ephemerals = state.ephemerals;
  }
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}

/** One page of `items` from an opaque cursor (`next_ts:<ts>` in base64, like Slack's). */
function page(
  items: StoredMessage[],
  limit: number | undefined,
  cursor: string | undefined,
): { messages: StoredMessage[]; nextCursor?: string } {
  let start = 0;
  if (cursor) {
    const ts = Buffer.from(cursor, 'base64')
      .toString('utf8')
      .replace(/^next_ts:/, '');
    start = items.findIndex((m) => m.ts === ts);
    if (start < 0) throw new SlackPlatformError('invalid_cursor');
  }
  const size = Math.min(Math.max(limit && limit > 0 ? limit : 100, 1), 999);
  const messages = items.slice(start, start + size);
  const next = items[start + size];
  return next ? { messages, nextCursor: Buffer.from(`next_ts:${next.ts}`).toString('base64') } : { messages };
}
