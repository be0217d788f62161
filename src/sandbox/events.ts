/**
 * What Slack's Events API sends an app subscribed to `message.channels` when a person posts in a
 * channel it is in: an `event_callback` envelope around a `message` event, as JSON, signed with the
 * signing secret like every Slack request. The sandbox sends it from the server when someone posts in
 * the console, so the bot's real verification path and its Bolt listener run.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from '../observability/logger';
import { sendSigned } from './interactions';
import { SANDBOX_BOT, SANDBOX_TEAM, type StoredMessage } from './slack-workspace';

export interface MessageEventSenderOptions {
  signingSecret: string;
  /** The bot's `/slack/events`. */
  eventsUrl: string;
  logger: Logger;
  now?: () => number;
}

export class MessageEventSender {
  private readonly now: () => number;

  constructor(private readonly options: MessageEventSenderOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Sends the `message` event of a person's message in a channel (Slack sends none for DMs without `message.im`). */
  async messagePosted(message: StoredMessage): Promise<void> {
    const event = {
      type: 'message',
      channel: message.channel,
      user: message.user,
      text: message.text,
      ts: message.ts,
      ...(message.threadTs && message.threadTs !== message.ts ? { thread_ts: message.threadTs } : {}),
      event_ts: message.ts,
      channel_type: 'channel',
    };
    const envelope = {
      token: 'sandbox-verification-token',
      team_id: SANDBOX_TEAM.id,
      api_app_id: SANDBOX_BOT.appId,
      event,
      type: 'event_callback',
      event_id: `Ev${randomBytes(6).toString('hex').toUpperCase()}`,
      event_time: Math.floor(this.now() / 1000),
    };
    const outcome = await sendSigned({
      url: this.options.eventsUrl,
      signingSecret: this.options.signingSecret,
      contentType: 'application/json',
      body: JSON.stringify(envelope),
      nowMs: this.now(),
    });
    // Slack would retry; the console shows the message anyway, and the log says what the bot answered.
    if (outcome.result !== 'ok')
      this.options.logger.warn('sandbox Slack: message event not accepted', {
        status: outcome.status,
        result: outcome.result,
      });
  }
}
