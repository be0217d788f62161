/**
 * The sandbox Microsoft Teams tenant: one team with a channel, its people (with Entra object ids), the
 * conversations the bot is in and every activity in them, replies kept in their reply chain. The Bot
 * Connector stand-in (teams-api.ts) and the console work on it. It also holds the sandbox's own
 * signing key: Teams signs what it sends a bot with keys published in its OpenID metadata, and the
 * sandbox does the same, so the bot's real JWT validation (the Teams SDK's) runs against it.
 *
 * With a state file, the conversations and their activities survive a restart, as a Teams channel's
 * messages do: a card posted before a crash is still there to update after it. The signing key is made
 * anew at each start (the bot reads it from the OpenID metadata, as it would after a key rollover).
 */
import { createHash, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SANDBOX_TEAMS_APP, SANDBOX_TEAMS_TARGET } from '../chat/teams/settings';
import { StateFile } from './state-file';

/** The sandbox tenant, its team and the team's channel where alerts go by default. */
export const SANDBOX_TEAMS = {
  ...SANDBOX_TEAMS_TARGET,
  /** The bot's app id, password and tenant: what the bot uses when `TEAMS_APP_ID` is not set. */
  ...SANDBOX_TEAMS_APP,
  botName: 'Hivewire',
} as const;

/** (published) The issuer of the tokens the Bot Framework sends bots. */
export const BOT_FRAMEWORK_ISSUER = 'https://api.botframework.com';

/** A person of the sandbox tenant, as a Teams channel account: `aadObjectId` is the Entra object id. */
export interface TeamsPerson {
  id: string;
  aadObjectId: string;
  name: string;
  email: string;
}

/** The same people as the sandbox Slack workspace, with Entra object ids. */
export const SANDBOX_TEAMS_PEOPLE: readonly TeamsPerson[] = [
  {
    id: '29:alice',
    aadObjectId: '0a11ce00-0000-4000-8000-000000000001',
    name: 'Alice (SOC analyst)',
    email: 'alice@example.com',
  },
  {
    id: '29:bob',
    aadObjectId: '0b0b0000-0000-4000-8000-000000000002',
    name: 'Bob (SOC lead)',
    email: 'bob@example.com',
  },
  {
    id: '29:carol',
    aadObjectId: '0ca201e0-0000-4000-8000-000000000003',
    name: 'Carol (cloud engineer)',
    email: 'carol@example.com',
  },
];

/** One activity as the connector stored it. */
export interface StoredActivity {
  id: string;
  conversationId: string;
  /** The root activity this one replies to (a channel's reply chain). */
  replyToId?: string;
  from: { id: string; name?: string };
  text?: string;
  attachments?: unknown[];
  timestamp: string;
  updatedAt?: string;
}

export interface TeamsConversation {
  id: string;
  /** `channel` for a team's channel, `personal` for a 1:1 chat with one person. */
  kind: 'channel' | 'personal';
  name: string;
  /** The person of a personal chat. */
  member?: string;
}

export interface TeamsTenantOptions {
  /** The clock, in epoch milliseconds (tests pin it). */
  now?: () => number;
  /** Where the conversations and activities are kept between runs (none: in memory only). */
  stateFile?: string;
  /** The sandbox's address, so links saved under another one are moved to it (state-file.ts). */
  publicUrl?: string;
}

/** What the state file holds. */
interface TenantState {
  conversations: TeamsConversation[];
  activities: StoredActivity[];
  lastMessageId: number;
}

function base64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

export class SandboxTeamsTenant extends EventEmitter {
  readonly keyId: string;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  private readonly now: () => number;
  private readonly conversations = new Map<string, TeamsConversation>();
  private readonly activities = new Map<string, StoredActivity[]>();
  private lastMessageId = 0;
  private readonly file: StateFile<TenantState> | undefined;

  constructor(options: TeamsTenantOptions = {}) {
    super();
    this.now = options.now ?? Date.now;
    this.file = options.stateFile
      ? new StateFile<TenantState>(options.stateFile, options.publicUrl)
      : undefined;
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicKey = publicKey;
    this.keyId = createHash('sha256')
      .update(publicKey.export({ format: 'der', type: 'spki' }))
      .digest('base64url')
      .slice(0, 16);
    this.conversations.set(SANDBOX_TEAMS.channel.id, {
      id: SANDBOX_TEAMS.channel.id,
      kind: 'channel',
      name: SANDBOX_TEAMS.channel.name,
    });
    const saved = this.file?.load();
    if (saved) {
      for (const conversation of saved.conversations) this.conversations.set(conversation.id, conversation);
      for (const activity of saved.activities) {
        const list = this.activities.get(activity.conversationId) ?? [];
        list.push(activity);
        this.activities.set(activity.conversationId, list);
      }
      this.lastMessageId = saved.lastMessageId;
    }
    this.on('change', () =>
      this.file?.scheduleSave(() => ({
        conversations: [...this.conversations.values()],
        activities: [...this.activities.values()].flat(),
        lastMessageId: this.lastMessageId,
      })),
    );
  }

  /** Writes what changed now: the connector answers only once it is kept. */
  flush(): void {
    this.file?.flush();
  }

  /** The signing key as a JSON Web Key, as the OpenID metadata's `jwks_uri` publishes it. */
  publicJwk(): Record<string, unknown> {
    return { ...this.publicKey.export({ format: 'jwk' }), kid: this.keyId, use: 'sig', alg: 'RS256' };
  }

  /** An RS256 JWT over `claims`, signed with the sandbox's key; `iat`/`nbf`/`exp` are added (`lifetimeSeconds`). */
  signToken(claims: Record<string, unknown>, lifetimeSeconds = 3600): string {
    const issuedAt = Math.floor(this.now() / 1000);
    const header = { alg: 'RS256', typ: 'JWT', kid: this.keyId };
    const payload = { nbf: issuedAt, iat: issuedAt, exp: issuedAt + lifetimeSeconds, ...claims };
    const signed = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
    return `${signed}.${base64url(sign('sha256', Buffer.from(signed), this.privateKey))}`;
  }

  person(idOrAadId: string): TeamsPerson | undefined {
    return SANDBOX_TEAMS_PEOPLE.find((person) => person.id === idOrAadId || person.aadObjectId === idOrAadId);
  }

  conversation(id: string): TeamsConversation | undefined {
    return this.conversations.get(this.rootConversationId(id));
  }

  listConversations(): TeamsConversation[] {
    return [...this.conversations.values()];
  }

  /** The 1:1 chat with a person, made the first time it is asked for (the connector's create conversation). */
  personalConversation(person: TeamsPerson): TeamsConversation {
    const id = `a:sandbox-personal-${person.aadObjectId}`;
    let conversation = this.conversations.get(id);
    if (!conversation) {
      conversation = { id, kind: 'personal', name: person.name, member: person.id };
      this.conversations.set(id, conversation);
      this.emit('change', { conversationId: id });
    }
    return conversation;
  }

  /** The activities of a conversation, oldest first. */
  history(conversationId: string): StoredActivity[] {
    return [...(this.activities.get(this.rootConversationId(conversationId)) ?? [])];
  }

  activity(conversationId: string, activityId: string): StoredActivity | undefined {
    return this.history(conversationId).find((activity) => activity.id === activityId);
  }

  /**
   * Stores a new activity. A conversation id of the form `<channel>;messageid=<root>` (Teams' threaded
   * conversation id) or an explicit `replyToId` puts it in that root's reply chain.
   */
  add(
    conversationId: string,
    content: Omit<StoredActivity, 'id' | 'conversationId' | 'timestamp' | 'replyToId'>,
    replyToId?: string,
  ): StoredActivity {
    const [root, thread] = conversationId.split(';messageid=');
    if (!this.conversations.has(root!)) throw new Error(`conversation ${root} not found`);
    const chain = replyToId ?? thread;
    const rootActivity = chain ? this.activity(root!, chain) : undefined;
    const activity: StoredActivity = {
      ...content,
      id: this.nextMessageId(),
      conversationId: root!,
      ...(chain ? { replyToId: rootActivity?.replyToId ?? chain } : {}),
      timestamp: new Date(this.now()).toISOString(),
    };
    const list = this.activities.get(root!) ?? [];
    list.push(activity);
    this.activities.set(root!, list);
    this.emit('change', { conversationId: root });
    return activity;
  }

  /** Replaces an activity's content in place; undefined when there is no such activity. */
  update(
    conversationId: string,
    activityId: string,
    content: Pick<StoredActivity, 'text' | 'attachments'>,
  ): StoredActivity | undefined {
    const activity = this.activity(conversationId, activityId);
    if (!activity) return undefined;
    activity.text = content.text;
    activity.attachments = content.attachments;
    activity.updatedAt = new Date(this.now()).toISOString();
    this.emit('change', { conversationId: activity.conversationId });
    return activity;
  }

  /** Deletes an activity (a person deleting a message, or the connector's delete activity); whether it was there. */
  remove(conversationId: string, activityId: string): boolean {
    const root = this.rootConversationId(conversationId);
    const list = this.activities.get(root) ?? [];
    const index = list.findIndex((activity) => activity.id === activityId);
    if (index === -1) return false;
    list.splice(index, 1);
    this.emit('change', { conversationId: root });
    return true;
  }

  /**
   * A fresh activity id for what the tenant sends the bot (clicks, mentions, installs): numeric like
   * every Teams message id, since a person's message can become the root of a reply chain.
   */
  newInboundId(): string {
    return this.nextMessageId();
  }

  /** Teams message ids are epoch milliseconds: kept numeric and increasing, one per message. */
  private nextMessageId(): string {
    this.lastMessageId = Math.max(this.now(), this.lastMessageId + 1);
    return String(this.lastMessageId);
  }

  private rootConversationId(id: string): string {
    return id.split(';messageid=')[0]!;
  }
}
