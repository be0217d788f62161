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
  SlashCommandAnswers,
  ThreadNote,
} from '../port';
import type { Config } from '../../config/config';
import type { SlackDelivery } from '../../slack/delivery';
import { postToResponseUrl } from '../../slack/response-url';
import type { SlackUserDirectory } from '../../slack/users';

/** What decides which response URLs Hivewire posts to (src/slack/response-url.ts). */
export type ResponseUrlTrust = Pick<Config, 'sandbox' | 'publicUrl' | 'slack'>;

export class SlackChat implements ChatPort, SlashCommandAnswers {
  readonly platform = 'slack' as const;
  readonly editsAlerts = true;

  constructor(
    private readonly delivery: SlackDelivery,
    private readonly users: Pick<SlackUserDirectory, 'userIdForEmail'>,
    /** The config a response URL is checked against before anything is posted to it. */
    private readonly responseUrls: ResponseUrlTrust,
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

  /** On the command's response URL, checked again here: it came through the queue. */
  answerCommand(responseUrl: string, note: ThreadNote): Promise<void> {
    return postToResponseUrl(responseUrl, threadNoteReply(note), this.responseUrls);
  }

  async openForm(context: FormContext, form: ChatForm): Promise<void> {
    if (!context.trigger) throw new Error('a Slack modal needs the click’s trigger_id');
    await this.client.views.open({ trigger_id: context.trigger, view: ignoreModal(form) });
  }

  /** In a customer's workspace the lookup uses its installation's token: its people are only there. */
  async findPerson(email: string, workspace?: string): Promise<ChatPerson | undefined> {
    const id =
      workspace === undefined
        ? await this.users.userIdForEmail(email)
        : await this.delivery.userIdForEmail(email, workspace);
    return id === undefined
      ? undefined
      : { platform: 'slack', id, email, ...(workspace ? { workspace } : {}) };
  }

  /** Opens the DM and writes in it in the person's workspace, with that workspace's token. */
  async directMessage(person: ChatPerson, note: ThreadNote): Promise<ChatMessageRef> {
    const channel = await this.delivery.openDm(person.id, person.workspace);
    const messageId = await this.delivery.post(channel, threadNoteReply(note), person.workspace);
    return { platform: 'slack', channel, messageId };
  }

  /** Edited in place, in the person's workspace. */
  updateDirectMessage(ref: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void> {
    return this.delivery.update(ref.channel, ref.messageId, threadNoteReply(note), person.workspace);
  }

  findAlertMessage(channel: string, fingerprint: string, since: Date): Promise<string | undefined> {
    return this.delivery.findAlertMessage(channel, fingerprint, since);
  }

  private alert(view: AlertView) {
    return alertMessage(view.alert, { theHiveUrl: view.theHiveUrl, responseActions: view.responseActions });
  }
}
