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
import { slackPerson } from '../../blocks/escape';
import { renderAlert } from '../alerts/render';
import { alreadyEscalatedEphemeral, notice } from '../../blocks/replies';
import { requestEscalation, type EscalationRequest } from '../cases/request-escalation';
import type { SlackAppDeps } from '../wiring/deps';
import { requestPathClientOptions } from './delivery';
import { registerCommand } from './listeners/command';
import { registerEnrich } from './listeners/enrich';
import { registerIgnore } from './listeners/ignore';
import { registerMention } from './listeners/mention';
import { registerReport } from './listeners/report';
import { registerResponseActions } from './listeners/response-actions';
import { registerThreadMessages } from './listeners/thread-message';
import { registerTriage } from './listeners/triage';
import { registerInstallations } from './listeners/installations';
import { clickerName } from './listeners/clicker';
import { registerTenancy } from './listeners/tenancy';
import { createInstaller } from './oauth';

/** Answers the clicker privately: never a public message for a double click. */
function answerFor(result: Exclude<EscalationRequest, { outcome: 'requested' }>) {
  switch (result.outcome) {
    case 'already-escalated':
      return alreadyEscalatedEphemeral(result.alert);
    case 'in-progress':
      return notice(
        `A case is already being created for this alert${result.alert.escalatedBy ? ` (requested by ${slackPerson({ person: result.alert.escalatedBy, personName: result.alert.escalatedByName })})` : ''}.`,
      );
    case 'ignored':
      return notice('This alert was ignored; its buttons no longer apply.');
    case 'unknown-alert':
      return notice('Hivewire does not know this alert (it may come from another installation).');
  }
}

/** Registers Hivewire's listeners on a Bolt app. */
export function registerListeners(app: App, deps: SlackAppDeps): void {
  registerTenancy(app, deps);
  registerInstallations(app, deps);
  app.action<BlockButtonAction>(CREATE_CASE, async ({ ack, body, action, client }) => {
    await ack();
    const userId = body.user.id;
    const log = deps.logger.createChild({
      persistentKeys: { fingerprint: action.value, action: CREATE_CASE, userId },
    });
    // The clicker's Slack name goes with the job: the other platforms' threads name them by it.
    const result = await requestEscalation(
      { fingerprint: action.value ?? '', userId, userName: clickerName(body) },
      deps,
    );
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
  registerReport(app, deps);
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
 * Bolt's `authorize`: the single `SLACK_BOT_TOKEN` for its own workspace (as before OAuth), and for
 * every other workspace the installation the OAuth install kept (its org's, for an org-wide install).
 * A workspace with neither is refused by Bolt before any listener runs.
 */
export function workspaceAuthorize(deps: SlackAppDeps): Authorize<boolean> {
  const { botToken, apiUrl } = deps.config.slack;
  const single = botToken ? cachedBotIdentity(botToken, apiUrl) : undefined;
  const installer = createInstaller(deps);
  return async (source, body) => {
    if (single) {
      const identity = await single(source, body);
      if (!installer || !identity.teamId || identity.teamId === source.teamId) return identity;
    }
    if (!installer) throw new Error('no Slack bot token and no OAuth install configured');
    return installer.authorize(source);
  };
}

/**
 * Builds the Bolt app around a receiver (src/slack/receiver.ts in AWS and in the local server, Socket Mode
 * when an app token is set).
 */
export function createSlackApp(
  receiver: Receiver | undefined,
  deps: SlackAppDeps,
  extra: Partial<AppOptions> = {},
): App {
  const app = new App({
    authorize: workspaceAuthorize(deps),
    receiver,
    clientOptions: requestPathClientOptions(deps.config.slack.apiUrl),
    ...extra,
  });
  registerListeners(app, deps);
  return app;
}
