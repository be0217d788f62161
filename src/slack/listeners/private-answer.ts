/**
 * Answers the person who clicked, privately: an ephemeral message in the channel (and thread) where
 * the click happened. Best effort: a lost ephemeral is logged, never retried (the click's own work is
 * done or queued by then).
 */
import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../observability/logger';

/** Where a click happened, as Bolt's block_actions body gives it. */
export interface ClickPlace {
  user: { id: string };
  channel?: { id: string };
  container?: { channel_id?: string; thread_ts?: string; message_ts?: string };
  message?: { [key: string]: unknown; thread_ts?: string };
}

/** Posts `reply` to the clicker only; does nothing when the click has no channel (a modal, a Home tab). */
export async function answerPrivately(
  client: WebClient,
  place: ClickPlace,
  reply: { text: string; blocks: unknown[] },
  logger: Logger,
): Promise<void> {
  const channel = place.container?.channel_id ?? place.channel?.id;
  if (!channel) return;
  await client.chat
    .postEphemeral({
      channel,
      user: place.user.id,
      thread_ts: (place.message?.thread_ts as string | undefined) ?? place.container?.thread_ts,
      text: reply.text,
      blocks: reply.blocks as never,
    })
    .catch((error: unknown) => logger.warn('ephemeral answer not delivered', { error: String(error) }));
}
