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
import type { WebexMessageContent } from '../../../cards/webex';
import type { Config } from '../../config';

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

export class WebexChat {
  constructor(private readonly client: WebexClient) {}

  /** Posts an alert (or any root message) in a space; resolves to its message id. */
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

  /** The Webex person with this email, if any. */
  async findPerson(email: string): Promise<{ id: string; name?: string; email: string } | undefined> {
    const [person] = await this.client.findPeopleByEmail(email);
    return person && { id: person.id, name: person.displayName, email };
  }

  /** A direct (1:1) message to a person. */
  async directMessage(personId: string, content: WebexMessageContent): Promise<WebexMessageRef> {
    const message = await this.client.createMessage({ toPersonId: personId, ...content });
    return { roomId: message.roomId, messageId: message.id };
  }
}
