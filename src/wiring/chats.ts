/**
 * The chat registry (src/chat/port.ts, `Deps.chats`): one adapter per configured platform, built by
 * each composition root from the clients it already has. Slack's is always there; Webex's when a bot
 * token is configured. Teams registers its adapter here once it has one.
 */
import type { ChatRegistry } from '../chat/port';
import { SlackChat } from '../chat/slack/adapter';
import { WebexChat, webexClientFor } from '../chat/webex/adapter';
import type { Config } from '../config';
import type { SlackDelivery } from '../slack/delivery';
import type { SlackUserDirectory } from '../slack/users';

export function chatRegistry(
  config: Pick<Config, 'webex'>,
  slack: SlackDelivery,
  users: Pick<SlackUserDirectory, 'userIdForEmail'>,
): ChatRegistry {
  return {
    slack: new SlackChat(slack, users),
    ...(config.webex ? { webex: new WebexChat(webexClientFor(config)) } : {}),
  };
}
