/**
 * Webex behind the chat port: what the use cases say, as Webex REST calls through the Webex client.
 * Platform choices, each forced by Webex's API:
 * - An alert is a message with a markdown fallback and one Adaptive Card; Webex refuses to edit a
 *   message that has an attachment (400), so the card is never updated: what changes (the case, its
 *   status, "seen again") is said in the alert's thread, where people following it look.
 * - Webex has no ephemeral message: what Slack tells one person privately is a threaded notice that
 *   names (mentions) them, so they are notified and the thread shows why nothing else happened.
 * - Forms (the ignore reason) are cards posted in the alert's thread; their submit comes back as a
 *   card submission like any button.
 */
import { WebexClient } from '../../../clients/webex/client';
import { alertCard, alertSummary } from '../../../cards/alert';
import { ignoreFormCard } from '../../../cards/forms';
import {
  cardMessage,
  webexMention,
  WEBEX_CARD_VERSION,
  type WebexMessageContent,
} from '../../../cards/webex';
import { webexNote } from '../../../cards/webex-notes';
import type { Config } from '../../config/config';
import type {
  AlertView,
  ChatForm,
  ChatMessageRef,
  ChatPerson,
  ChatPort,
  ChatRegistry,
  FormContext,
  ThreadNote,
} from '../port';

/** A message Hivewire posted in Webex. */
export interface WebexMessageRef {
  roomId: string;
  messageId: string;
}

const clients = new WeakMap<NonNullable<Config['webex']>, WebexClient>();

/** One client per Webex configuration (per process: a Lambda container reuses it). */
export function webexClientFor(config: Pick<Config, 'webex'>): WebexClient {
  const webex = config.webex;
  if (!webex) throw new Error('Webex is not configured (WEBEX_BOT_TOKEN)');
  let client = clients.get(webex);
  if (!client) {
    client = new WebexClient({ token: webex.botToken, baseUrl: webex.apiUrl });
    clients.set(webex, client);
  }
  return client;
}

/**
 * The runtime's Webex adapter, the one its composition root registered in `Deps.chats` (built once,
 * reused by every post, reply and read), for what only Webex says: card forms, lookup results, reads
 * of a delivery's message or card submission.
 */
export function webexChatOf(chats: ChatRegistry): WebexChat {
  const chat = chats.webex;
  if (!(chat instanceof WebexChat)) throw new Error('Webex is not configured (WEBEX_BOT_TOKEN)');
  return chat;
}

function roomRef(ref: ChatMessageRef): WebexMessageRef {
  return { roomId: ref.channel, messageId: ref.messageId };
}

export class WebexChat implements ChatPort {
  readonly platform = 'webex' as const;
  readonly editsAlerts = false;

  constructor(readonly client: WebexClient) {}

  /** Posts a root message in a space; resolves to its message id. */
  async post(roomId: string, content: WebexMessageContent): Promise<string> {
    return (await this.client.createMessage({ roomId, ...content })).id;
  }

  /** Replies under a root message. */
  async reply(root: WebexMessageRef, content: WebexMessageContent): Promise<string> {
    return (await this.client.createMessage({ roomId: root.roomId, parentId: root.messageId, ...content }))
      .id;
  }

  /** The thread root of a message: itself, or its parent when it is a reply (a form under an alert). */
  async rootOf(messageId: string): Promise<WebexMessageRef> {
    const message = await this.client.getMessage(messageId);
    return { roomId: message.roomId, messageId: message.parentId ?? message.id };
  }

  postAlert(channel: string, view: AlertView): Promise<string> {
    const card = alertCard(view.alert, WEBEX_CARD_VERSION, view);
    return this.post(channel, cardMessage(card, alertSummary(view.alert)));
  }

  /** Nothing: Webex refuses edits of a message with a card (400); changes are said in the thread. */
  async updateAlert(): Promise<void> {}

  replyInThread(root: ChatMessageRef, note: ThreadNote): Promise<string> {
    return this.reply(roomRef(root), webexNote(note));
  }

  /** Webex has no ephemeral message: a threaded notice that mentions the person. */
  async tellPrivately(root: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void> {
    const content = webexNote(note);
    await this.reply(roomRef(root), {
      ...content,
      markdown: `${webexMention(person.id)} ${content.markdown}`,
    });
  }

  /** A form is a card with inputs, posted in the alert's thread. */
  async openForm(context: FormContext, form: ChatForm): Promise<void> {
    await this.reply(
      roomRef(context.root),
      cardMessage(ignoreFormCard(form, WEBEX_CARD_VERSION), 'Ignore alert: choose a reason'),
    );
  }

  async findPerson(email: string): Promise<ChatPerson | undefined> {
    const [person] = await this.client.findPeopleByEmail(email);
    return person && { platform: 'webex', id: person.id, name: person.displayName, email };
  }

  async directMessage(person: ChatPerson, note: ThreadNote): Promise<ChatMessageRef> {
    const message = await this.client.createMessage({ toPersonId: person.id, ...webexNote(note) });
    return { platform: 'webex', channel: message.roomId, messageId: message.id };
  }

  /** Webex refuses edits of a message with a card (400): `note` follows it, threaded under it. */
  async updateDirectMessage(ref: ChatMessageRef, _person: ChatPerson, note: ThreadNote): Promise<void> {
    await this.reply(roomRef(ref), webexNote(note));
  }

  /** Webex lets a bot list a space's messages only when they mention it: it cannot say. */
  async findAlertMessage(): Promise<string | undefined> {
    return undefined;
  }
}
