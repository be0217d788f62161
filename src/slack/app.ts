/**
 * The Bolt app's listeners: thin by design. Each one parses what Slack sent, acknowledges, and hands a
 * typed command to a use case; what is slow happens in the worker.
 */
import {
  App,
  type AppOptions,
  type Authorize,
  type AuthorizeResult,
  type BlockButtonAction,
  type Receiver,
} from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { CREATE_CASE } from '../../blocks/actions';
import { mention } from '../../blocks/escape';
import { renderAlert } from '../alerts/render';
import { alreadyEscalatedEphemeral, notice } from '../../blocks/replies';
import { requestEscalation, type EscalationRequest } from '../cases/request-escalation';
import type { SlackAppDeps } from '../deps';
import { requestPathClientOptions } from './delivery';
import { registerCommand } from './listeners/command';
import { registerEnrich } from './listeners/enrich';
import { registerIgnore } from './listeners/ignore';
import { registerMention } from './listeners/mention';
import { registerResponseActions } from './listeners/response-actions';
import { registerThreadMessages } from './listeners/thread-message';
import { registerTriage } from './listeners/triage';

/** Answers the clicker privately: never a public message for a double click. */
function answerFor(result: Exclude<EscalationRequest, { outcome: 'requested' }>) {
  switch (result.outcome) {
    case 'already-escalated':
      return alreadyEscalatedEphemeral(result.alert);
    case 'in-progress':
      return notice(
        `A case is already being created for this alert${result.alert.escalatedBy ? ` (requested by ${mention(result.alert.escalatedBy)})` : ''}.`,
      );
    case 'ignored':
      return notice('This alert was ignored; its buttons no longer apply.');
    case 'unknown-alert':
      return notice('Hivewire does not know this alert (it may come from another installation).');
  }
}

/** Registers Hivewire's listeners on a Bolt app. */
export function registerListeners(app: App, deps: SlackAppDeps): void {
  app.action<BlockButtonAction>(CREATE_CASE, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    const log = deps.logger.createChild({
      persistentKeys: { fingerprint: action.value, action: CREATE_CASE, userId },
    });
    const result = await requestEscalation({ fingerprint: action.value ?? '', userId }, deps);
    log.info('create case clicked', { outcome: result.outcome });
    if (result.outcome === 'requested') {
      const { alert } = result;
      if (!alert.ts) return;
      // Shows at once who escalated; the worker re-renders it again when the case exists.
      await client.chat
        .update({
          channel: alert.channel,
          ts: alert.ts,
          ...renderAlert(alert, deps.config),
        } as never)
        .catch((error: unknown) =>
          log.warn('alert not re-rendered after the click', { error: String(error) }),
        );
      return;
    }
    const channel = body.container?.channel_id ?? body.channel?.id;
    if (!channel) return;
    await client.chat
      .postEphemeral({ channel, user: userId, ...answerFor(result) } as never)
      .catch((error: unknown) => log.warn('ephemeral answer not delivered', { error: String(error) }));
  });
  registerIgnore(app, deps);
  registerCommand(app, deps);
  registerMention(app, deps);
  registerEnrich(app, deps);
  registerTriage(app, deps);
  registerResponseActions(app, deps);
  registerThreadMessages(app, deps);
}

/**
 * The bot's identity, asked of Slack once per process. Without it Bolt 5 calls `auth.test` on every
 * request when token verification is off — a Slack round trip inside every 3-second window. A failed
 * lookup is not cached: the next request asks again.
 */
export function cachedBotIdentity(token: string, apiUrl?: string): Authorize<boolean> {
  let identity: Promise<AuthorizeResult> | undefined;
  return async () => {
    identity ??= new WebClient(token, requestPathClientOptions(apiUrl)).auth
      .test()
      .then((answer) => ({
        botToken: token,
        botId: answer.bot_id,
        botUserId: answer.user_id,
        teamId: answer.team_id,
      }))
      .catch(() => {
        identity = undefined;
        return { botToken: token };
      });
    return identity;
  };
}

/**
 * Builds the Bolt app around a receiver (AwsLambdaReceiver in AWS and in the local server, Socket Mode
 * when an app token is set).
 */
export function createSlackApp(
  receiver: Receiver | undefined,
  deps: SlackAppDeps,
  extra: Partial<AppOptions> = {},
): App {
  const app = new App({
    authorize: cachedBotIdentity(deps.config.slack.botToken, deps.config.slack.apiUrl),
    receiver,
    clientOptions: requestPathClientOptions(deps.config.slack.apiUrl),
    ...extra,
  });
  registerListeners(app, deps);
  return app;
}
