/**
 * Who and where on a chat platform, platform-neutral: the words the chat port (src/chat/port.ts) and
 * the records that outlive one request (a "was this you?" question, src/domain/triage.ts) share. Here,
 * not in the port, so records and pure message builders (blocks/, cards/) can name a person without
 * importing the port.
 */

export type ChatPlatform = 'slack' | 'webex' | 'teams';

/** The platforms' names, as people read them. */
export const CHAT_PLATFORM_NAMES: Record<ChatPlatform, string> = {
  slack: 'Slack',
  webex: 'Webex',
  teams: 'Teams',
};

/**
 * One message on one platform. channel: Slack channel id | Webex roomId | Teams conversation id.
 * messageId: Slack ts | Webex message id | Teams activity id.
 */
export interface ChatMessageRef {
  platform: ChatPlatform;
  channel: string;
  messageId: string;
  /**
   * Teams: the Bot Connector service URL the conversation is reached at, when an activity from it gave
   * one (replies go where the activity came from); otherwise its team's installation's, or the default.
   */
  serviceUrl?: string;
}

/** A person on one platform: Slack user id | Webex personId | Teams AAD object id / channel account id. */
export interface ChatPerson {
  platform: ChatPlatform;
  id: string;
  name?: string;
  email?: string;
  /**
   * The workspace the person is in when the platform has several (a Slack team id: a customer's own
   * workspace); a DM to the person is written there, with that workspace's token.
   */
  workspace?: string;
}
