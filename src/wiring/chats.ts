/**
 * The chat registry (src/chat/port.ts, `Deps.chats`): one adapter per configured platform, built by
 * each composition root from the clients it already has. Slack's is always there; Webex's when a bot
 * token is configured; Teams' when its root built one (src/chat/teams/adapter.ts, from the Teams settings
 * only a root reads).
 */
import type { ChatPort, ChatRegistry } from '../chat/port';
import { SlackChat } from '../chat/slack/adapter';
import { WebexChat, webexClientFor } from '../chat/webex/adapter';
import type { Config } from '../config/config';
import type { SlackDelivery } from '../slack/delivery';
import type { SlackUserDirectory } from '../slack/users';

export function chatRegistry(
  config: Pick<Config, 'webex' | 'sandbox' | 'publicUrl' | 'slack'>,
  slack: SlackDelivery,
  users: Pick<SlackUserDirectory, 'userIdForEmail'>,
  teams?: ChatPort,
): ChatRegistry {
  return {
    slack: new SlackChat(slack, users, config),
    ...(config.webex ? { webex: new WebexChat(webexClientFor(config)) } : {}),
    ...(teams ? { teams } : {}),
  };
}
