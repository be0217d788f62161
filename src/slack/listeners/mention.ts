/**
 * An @-mention of the bot gets the help, in the mention's thread. Slack retries an event it thinks was
 * not delivered (up to 3 times, with the same `event_id`): the first delivery claims the id, so the
 * help is posted once.
 */
import type { App } from '@slack/bolt';
import { helpMessage } from '../../../blocks/analyst/help';
import type { SlackAppDeps } from '../../wiring/deps';

/** How long an event id is remembered: Slack's last retry comes about 5 minutes after the first try. */
const EVENT_ID_TTL_SECONDS = 60 * 60;

/** Registers the app_mention listener. */
export function registerMention(app: App, deps: SlackAppDeps): void {
  app.event('app_mention', async ({ event, body, client }) => {
    const eventId = (body as { event_id?: string }).event_id;
    if (eventId && !(await deps.store.claimDelivery(`slack-event:${eventId}`, EVENT_ID_TTL_SECONDS))) {
      deps.logger.info('app_mention redelivered: already answered', { eventId });
      return;
    }
    const help = helpMessage();
    // The delivery is claimed already, so a retry from Slack would be dropped: a failed answer is
    // logged rather than turned into a 500 (a thread that does not exist, a channel the bot left).
    await client.chat
      .postMessage({
        channel: event.channel,
        thread_ts: event.thread_ts ?? event.ts,
        text: help.text,
        blocks: help.blocks as never,
        unfurl_links: false,
        unfurl_media: false,
      })
      .catch((error: unknown) => deps.logger.warn('help not posted', { eventId, error: String(error) }));
  });
}
