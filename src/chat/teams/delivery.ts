/**
 * What Hivewire says in Teams, through the Teams SDK's connector client: the alert card posted in a
 * team's channel, updated in place (dedup, escalation, ignore, every case status), replies in the
 * alert's reply chain, a form card there, and 1:1 chats ("was this you?"). Each call goes to the
 * service URL the team's installation gave (Teams has one per region); the connector token is the SDK's.
 * The methods are the chat port's (docs: PORT.md), with alerts and notes already rendered as cards.
 */
import { toThreadedConversationId, type App } from '@microsoft/teams.apps';
import { Client, type TeamsChannelAccount } from '@microsoft/teams.api';
import axios from 'axios';
import { teamsMessage, type TeamsCard } from '../../../cards/teams';

/** A message Hivewire posted in Teams: conversation (channel or chat) id and activity id. */
export interface TeamsMessageRef {
  channel: string;
  messageId: string;
  /** The service URL of the activity the message came in with, when it came in (a command's message). */
  serviceUrl?: string;
}

/** A person as Teams names them: channel account id (`29:…`) and Entra object id. */
export interface TeamsPersonRef {
  id: string;
  aadObjectId?: string;
  name?: string;
}

export interface TeamsDeliveryOptions {
  /** The tenant the bot's 1:1 chats are created in. */
  tenantId?: string;
  /** The service URL for a channel (from the team's installation); the SDK's default otherwise. */
  serviceUrlFor?: (channel: string) => Promise<string | undefined>;
}

/** The connector client at `serviceUrl`, with the app's token (the SDK joins paths after a bare URL). */
function connector(serviceUrl: string, app: App): Client {
  return new Client(serviceUrl.replace(/\/+$/, ''), app.api.http);
}

export class TeamsDelivery {
  constructor(
    private readonly app: App,
    private readonly options: TeamsDeliveryOptions = {},
  ) {}

  /** Posts a new root message in `channel`; resolves to its activity id. */
  async post(channel: string, card: TeamsCard): Promise<string> {
    const api = await this.client(channel);
    const sent = await api.conversations.activities(channel).create(teamsMessage(card) as never);
    return sent.id;
  }

  /**
   * Replaces the message's card in place, for everyone in the conversation; a 1:1 chat's message through
   * `serviceUrl` (where the chat was opened), a channel's through its team's.
   */
  async update(ref: TeamsMessageRef, card: TeamsCard, serviceUrl?: string): Promise<void> {
    const api = serviceUrl ? connector(serviceUrl, this.app) : await this.client(ref.channel);
    await api.conversations.activities(ref.channel).update(ref.messageId, teamsMessage(card) as never);
  }

  /**
   * Posts in the message's reply chain; resolves to the reply's activity id. Through `root.serviceUrl`
   * when the message came in with one (as the SDK answers an activity), else the channel's team's.
   */
  async reply(root: TeamsMessageRef, card: TeamsCard): Promise<string> {
    // As the SDK's own App.reply: a channel's reply chain is the conversation `<channel>;messageid=<root>`.
    const api = root.serviceUrl ? connector(root.serviceUrl, this.app) : await this.client(root.channel);
    const thread = toThreadedConversationId(root.channel, root.messageId);
    const sent = await api.conversations.activities(thread).create(teamsMessage(card) as never);
    return sent.id;
  }

  /**
   * Opens (or finds) the 1:1 chat with `person` and posts `card` there, through `serviceUrl` (a team's
   * installation's; the SDK's default otherwise).
   */
  async directMessage(
    person: TeamsPersonRef,
    card: TeamsCard,
    serviceUrl?: string,
  ): Promise<TeamsMessageRef> {
    const api = connector(serviceUrl ?? this.app.api.serviceUrl, this.app);
    const conversation = await api.conversations.create({
      members: [{ id: person.id, role: 'user', name: person.name ?? '' }],
      ...(this.options.tenantId ? { tenantId: this.options.tenantId } : {}),
      activity: teamsMessage(card) as never,
    });
    return { channel: conversation.id, messageId: conversation.activityId ?? '' };
  }

  /**
   * One member of a team or conversation, by Teams id, Entra object id or user principal name;
   * undefined when the connector says they are not in it (404).
   */
  async member(conversation: string, who: string): Promise<TeamsChannelAccount | undefined> {
    const api = await this.client(conversation);
    try {
      return await api.conversations.members(conversation).getById(encodeURIComponent(who));
    } catch (error) {
      if (axios.isAxiosError(error) && error.response?.status === 404) return undefined;
      throw error;
    }
  }

  /** The service URL `channel` is reached at: its team's installation's, else the SDK's default. */
  async serviceUrlOf(channel: string): Promise<string> {
    return (await this.options.serviceUrlFor?.(channel)) ?? this.app.api.serviceUrl;
  }

  private async client(channel: string): Promise<Client> {
    return connector(await this.serviceUrlOf(channel), this.app);
  }
}
