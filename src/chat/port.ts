/**
 * What use cases say to a chat platform, whichever it is. Adapters: src/chat/slack/ (today's Slack
 * delivery), src/chat/webex/, src/chat/teams/. Imports only src/domain/.
 *
 * This is the shape agreed for the Slack, Webex and Teams adapters (the round's PORT.md), as written.
 * Where the code fixed what the agreement left open: ThreadNote's kinds are those of blocks/replies.ts
 * today (src/domain/notes.ts), and ChatForm has the one form Hivewire asks now (the ignore reason).
 * One addition the fan-out needed: `editsAlerts`, whether the platform can edit a posted alert (Webex
 * refuses edits of a message with a card), so a republished finding is said in its thread instead.
 *
 * How use cases reach the adapters: `Deps.chats`, a {@link ChatRegistry} the composition roots build
 * (src/local/runtime.ts locally, src/aws/runtime.ts in AWS) with one adapter per configured platform. Slack's
 * is always there (every alert has its Slack channel); Webex's and Teams' when configured. The alert
 * fan-out (src/alerts/platforms.ts) posts a finding to every platform its customer routes to and finds
 * the adapter here; a route to a platform with no adapter registered is skipped, logged and audited.
 */
import type { AlertRecord } from '../domain/alert';
import type { ChatMessageRef, ChatPerson, ChatPlatform } from '../domain/chat';
import type { ThreadNote } from '../domain/notes';
import type { ResponseActionOffer } from '../domain/response-actions';

export type { ThreadNote };

export type { ChatMessageRef, ChatPerson, ChatPlatform };

/** Everything an alert message shows, platform-neutral (what renderAlert passes to blocks/ today). */
export interface AlertView {
  alert: AlertRecord;
  theHiveUrl?: string;
  responseActions: ResponseActionOffer[];
}

/**
 * A form asked of the person who clicked (Slack: a modal via trigger_id; Webex/Teams: a card with
 * inputs posted in the thread / sent as a card).
 */
export type ChatForm = {
  kind: 'ignore-reason';
  fingerprint: string;
  severity: AlertRecord['severity'];
  finding: AlertRecord['finding'];
};

/** What a click brings that a form needs (opaque per platform: Slack trigger_id, etc.). */
export interface FormContext {
  platform: ChatPlatform;
  root: ChatMessageRef;
  person: ChatPerson;
  trigger?: string;
}

export interface ChatPort {
  readonly platform: ChatPlatform;
  /**
   * Whether `updateAlert` changes the posted alert. When false (Webex), what the alert would show anew
   * after a republished finding is said in its thread (a `seen-again` note).
   */
  readonly editsAlerts: boolean;
  /** Posts the alert's root message; resolves its messageId. */
  postAlert(channel: string, view: AlertView): Promise<string>;
  updateAlert(ref: ChatMessageRef, view: AlertView): Promise<void>;
  /** Replies under the alert; resolves the reply's messageId. */
  replyInThread(root: ChatMessageRef, note: ThreadNote): Promise<string>;
  tellPrivately(root: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void>;
  openForm(context: FormContext, form: ChatForm): Promise<void>;
  /** The person with this e-mail, in `workspace` (a customer's own) when given, else the default one. */
  findPerson(email: string, workspace?: string): Promise<ChatPerson | undefined>;
  directMessage(person: ChatPerson, note: ThreadNote): Promise<ChatMessageRef>;
  /**
   * What a direct message now says (a question answered or expired): the message is replaced where the
   * platform can edit it (Slack, Teams), or followed by `note` in the conversation where it cannot (Webex).
   */
  updateDirectMessage(ref: ChatMessageRef, person: ChatPerson, note: ThreadNote): Promise<void>;
  /**
   * The alert's root message this bot posted since `since`, found by its fingerprint (recovery after a
   * crash between post and store write); undefined when the platform cannot say.
   */
  findAlertMessage(channel: string, fingerprint: string, since: Date): Promise<string | undefined>;
}

/**
 * Slack's slash commands (`/hivewire lookup`) are answered on the command's response URL, seen by the
 * person who typed it only; Webex and Teams commands are messages, answered in their thread.
 */
export interface SlashCommandAnswers {
  answerCommand(responseUrl: string, note: ThreadNote): Promise<void>;
}

/** The adapters of the configured platforms, by platform (see the header). */
export type ChatRegistry = { slack: ChatPort & SlashCommandAnswers } & Partial<
  Record<Exclude<ChatPlatform, 'slack'>, ChatPort>
>;
