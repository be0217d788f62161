/**
 * Slack behind the chat port (src/chat/port.ts): the same calls Hivewire makes today (SlackDelivery's
 * paced posts, replies, edits and ephemerals, the user directory, the triage DM, the ignore modal),
 * with messages built by blocks/. Use cases that speak the port reach Slack through this only.
 */
import type { WebClient } from '@slack/web-api';
import { alertMessage } from '../../../blocks/alert';
import { ignoreModal } from '../../../blocks/analyst/ignore';
import { threadNoteReply } from '../../../blocks/notes';
import type {
  AlertView,
  ChatForm,
  ChatMessageRef,
  ChatPerson,
  ChatPort,
  FormContext,
  ThreadNote,
} from '../port';
import type { SlackDelivery } from '../../slack/delivery';
import type { SlackUserDirectory } from '../../slack/users';

export class SlackChat implements ChatPort {
  readonly platform = 'slack' as const;
  readonly editsAlerts = true;

  constructor(
    private readonly delivery: SlackDelivery,
    private readonly users: Pick<SlackUserDirectory, 'userIdForEmail'>,
    /** The request path's client (views.open must answer within the click's 3 seconds). */
    private readonly client: WebClient = delivery.client,
  ) {}

  postAlert(channel: string, view: AlertView): Promise<string> {
    return this.delivery.post(channel, this.alert(view));
  }

  updateAlert(ref: ChatMessageRef, view: AlertView): Promise<void> {
    return this.delivery.update(ref.channel, ref.messageId, this.alert(view));
  }

  replyInThread(root: ChatMessageRef, note: ThreadNote): Promise<string> {
    return this.delivery.reply(root.channel, root.messageId, threadNoteReply(note));
  }

  tellPrivately(root: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void> {
    return this.delivery.ephemeral(root.channel, person.id, threadNoteReply(note), root.messageId);
  }

  async openForm(context: FormContext, form: ChatForm): Promise<void> {
    if (!context.trigger) throw new Error('a Slack modal needs the click’s trigger_id');
    await this.client.views.open({ trigger_id: context.trigger, view: ignoreModal(form) });
  }

  async findPerson(email: string): Promise<ChatPerson | undefined> {
    const id = await this.users.userIdForEmail(email);
    return id === undefined ? undefined : { platform: 'slack', id, email };
  }

  async directMessage(person: ChatPerson, note: ThreadNote): Promise<ChatMessageRef> {
    const opened = await this.delivery.client.conversations.open({ users: person.id });
    const channel = opened.channel?.id;
    if (!channel) throw new Error('conversations.open returned no channel');
    const messageId = await this.delivery.post(channel, threadNoteReply(note));
    return { platform: 'slack', channel, messageId };
  }

  findAlertMessage(channel: string, fingerprint: string, since: Date): Promise<string | undefined> {
    return this.delivery.findAlertMessage(channel, fingerprint, since);
  }

  private alert(view: AlertView) {
    return alertMessage(view.alert, { theHiveUrl: view.theHiveUrl, responseActions: view.responseActions });
  }
}
