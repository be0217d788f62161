/**
 * Where an alert is on each chat platform: its root message there (Slack's `channel`/`ts`, the other
 * platforms' `posts`), with the adapter registered for it (`Deps.chats`). Apart from the fan-out
 * (platforms.ts), which renders alerts, so that use cases the alert's rendering reads (response actions)
 * can find a thread without a cycle.
 */
import type { ChatMessageRef, ChatPlatform, ChatPort } from '../chat/port';
import type { Deps } from '../wiring/deps';
import type { AlertRecord, PlatformPost } from '../domain/alert';

/** The platforms an alert may be on besides Slack, in the order they are posted and replied to. */
export const OTHER_PLATFORMS = ['webex', 'teams'] as const;
export type OtherPlatform = (typeof OTHER_PLATFORMS)[number];

/** The alert's root message on Slack, once posted. */
export function slackRoot(alert: AlertRecord): ChatMessageRef | undefined {
  return alert.ts ? { platform: 'slack', channel: alert.channel, messageId: alert.ts } : undefined;
}

function rootOf(platform: OtherPlatform, post: PlatformPost | undefined): ChatMessageRef | undefined {
  return post?.messageId ? { platform, channel: post.channel, messageId: post.messageId } : undefined;
}

/** The alert's posted root messages on the other platforms whose adapters are registered. */
export function otherRoots(
  alert: AlertRecord,
  deps: Pick<Deps, 'chats'>,
): { root: ChatMessageRef; chat: ChatPort }[] {
  return OTHER_PLATFORMS.flatMap((platform) => {
    const root = rootOf(platform, alert.posts?.[platform]);
    const chat = deps.chats[platform];
    return root && chat ? [{ root, chat }] : [];
  });
}

/** Every posted root message of the alert, Slack's first, with its platform's adapter. */
export function alertRoots(
  alert: AlertRecord,
  deps: Pick<Deps, 'chats'>,
): { root: ChatMessageRef; chat: ChatPort }[] {
  const slack = slackRoot(alert);
  return [...(slack ? [{ root: slack, chat: deps.chats.slack }] : []), ...otherRoots(alert, deps)];
}

/** The alert's root message on `platform` with its adapter, when posted there and the adapter is registered. */
export function alertRootOn(
  alert: AlertRecord,
  platform: ChatPlatform,
  deps: Pick<Deps, 'chats'>,
): { root: ChatMessageRef; chat: ChatPort } | undefined {
  return alertRoots(alert, deps).find(({ root }) => root.platform === platform);
}
