/**
 * The sandbox: Slack and TheHive stand-ins plus the web console, mounted on the bot's own port. The
 * bot reaches the stand-ins through its normal clients (`@slack/web-api` with `slackApiUrl`, the TheHive
 * client with `THEHIVE_URL`), and the stand-ins reach the bot's routes (`/slack/events`,
 * `/thehive/webhook`, `/ingest`) over HTTP, signed and authenticated as the real services would.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { createLogger, type Logger } from '../observability/logger';
import { createConsole, type ConsoleSample } from './console';
import { MessageEventSender } from './events';
import { InteractionSender } from './interactions';
import { createSlackApi } from './slack-api';
import { SandboxSlackOAuth } from './slack-oauth';
import { SANDBOX_USERS, SlackWorkspace } from './slack-workspace';
import { createTheHiveApi } from './thehive-api';
import { SandboxTheHive } from './thehive-instance';
import { WebhookNotifier } from './thehive-webhook';
import { createWebexApi } from './webex-api';
import { createWebexConsole } from './webex-console';
import { SANDBOX_WEBEX_ROOM_TITLE, WebexSpace } from './webex-space';
import { TeamsActivitySender } from './teams-activities';
import { createTeamsApi } from './teams-api';
import { createTeamsConsole } from './teams-console';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, SandboxTeamsTenant } from './teams-tenant';

export { SANDBOX_BOT, SANDBOX_TEAM, SANDBOX_USERS, SlackWorkspace } from './slack-workspace';
export { SandboxTheHive, SANDBOX_API_USER, SANDBOX_ORGANISATION, CASE_STATUSES } from './thehive-instance';
import { MESSAGE_SHORTCUTS } from './app-manifest';
export { slackSignature } from './interactions';

export interface SandboxOptions {
  /** Where the sandbox is reached (the console, permalinks, `response_url`s). */
  publicUrl: string;
  signingSecret: string;
  theHiveApiKey: string;
  webhookSecret: string;
  ingestSecret: string;
  alertChannel: string;
  /** Where the stand-ins keep their state (`slack.json`, `thehive.json`); in memory only when absent. */
  dataDir?: string;
  /** The findings the console offers to inject. */
  samples: ConsoleSample[];
  /** The bot's `/slack/events`; defaults to `<publicUrl>/slack/events`. */
  botEventsUrl?: string;
  /** The bot's `/thehive/webhook`; defaults to `<publicUrl>/thehive/webhook`. */
  theHiveWebhookUrl?: string;
  /** The bot's `/ingest`; defaults to `<publicUrl>/ingest`. */
  ingestUrl?: string;
  /** The Webex spaces the stand-in holds (the configured rooms); none: no Webex stand-in. */
  webexRooms?: string[];
  logger?: Logger;
  /** The clock, in epoch milliseconds (tests pin it). */
  now?: () => number;
  /** The Slack app's client credentials: the OAuth install's stand-in serves them. */
  oauth?: { clientId: string; clientSecret: string };
}

export interface Sandbox {
  /** Serves `/`, `/sandbox/...`; resolves true when it served the request, false when it is not its path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  workspace: SlackWorkspace;
  theHive: SandboxTheHive;
  /** The Webex stand-in, when Webex is configured. */
  webex?: WebexSpace;
  /** The Teams tenant (its team, channel and chats) and what it sends the bot. */
  teams: SandboxTeamsTenant;
  teamsSender: TeamsActivitySender;
  /**
   * Adds the app to the sandbox team, as a person does in Teams: the bot keeps the conversation
   * reference; resolves to the bot's answer (status 0: unreachable).
   */
  installTeamsApp(): Promise<{ status: number }>;
  /**
   * Sends sample `index` to the bot's `/ingest` as the console's Inject does, so a finding it skips
   * shows in the console as a notice; resolves to `/ingest`'s answer (status 0: unreachable).
   */
  injectSample(index: number): Promise<{ status: number; body: unknown }>;
  /** Ends the console's streams, waits for webhook deliveries and saves the state. */
  close(): Promise<void>;
}

/**
 * Builds the sandbox.
 *
 * @example
 *   const sandbox = createSandbox({ publicUrl: 'http://localhost:3000', …, samples });
 *   startServer(runtime, { port: 3000, mounted: [sandbox] });
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const publicUrl = options.publicUrl.replace(/\/$/, '');
  const logger = options.logger ?? createLogger('hivewire-sandbox');
  const workspace = new SlackWorkspace({
    alertChannel: options.alertChannel,
    stateFile: options.dataDir ? join(options.dataDir, 'slack.json') : undefined,
    publicUrl,
    now: options.now,
  });
  const notifier = new WebhookNotifier({
    url: options.theHiveWebhookUrl ?? `${publicUrl}/thehive/webhook`,
    secret: options.webhookSecret,
    logger,
  });
  const theHive = new SandboxTheHive({
    users: SANDBOX_USERS.map((user) => user.email),
    notifier,
    stateFile: options.dataDir ? join(options.dataDir, 'thehive.json') : undefined,
    publicUrl,
    now: options.now,
  });
  const oauth = options.oauth ? new SandboxSlackOAuth({ ...options.oauth, now: options.now }) : undefined;
  const interactions = new InteractionSender({
    workspaceOf: (channel) => oauth?.workspaceOf(channel),
    workspace,
    signingSecret: options.signingSecret,
    eventsUrl: options.botEventsUrl ?? `${publicUrl}/slack/events`,
    publicUrl,
    now: options.now,
  });
  const webex =
    options.webexRooms && options.webexRooms.length > 0
      ? new WebexSpace({
          rooms: options.webexRooms.map((id, index) => ({
            id,
            title: index === 0 ? SANDBOX_WEBEX_ROOM_TITLE : `${SANDBOX_WEBEX_ROOM_TITLE} ${index + 1}`,
          })),
          stateFile: options.dataDir ? join(options.dataDir, 'webex.json') : undefined,
          publicUrl,
          logger,
          now: options.now,
        })
      : undefined;
  const webexApi = webex ? createWebexApi(webex) : async () => false;
  const webexConsole = webex ? createWebexConsole(webex) : undefined;
  const events = new MessageEventSender({
    signingSecret: options.signingSecret,
    eventsUrl: options.botEventsUrl ?? `${publicUrl}/slack/events`,
    logger,
    now: options.now,
  });
  const slackApi = createSlackApi({ workspace, publicUrl, oauth });
  const teams = new SandboxTeamsTenant({
    now: options.now,
    stateFile: options.dataDir ? join(options.dataDir, 'teams.json') : undefined,
    publicUrl,
  });
  const teamsApi = createTeamsApi({
    tenant: teams,
    publicUrl,
    appId: SANDBOX_TEAMS.appId,
    appPassword: SANDBOX_TEAMS.appPassword,
  });
  const teamsSender = new TeamsActivitySender({ tenant: teams, publicUrl });
  const teamsConsole = createTeamsConsole({ tenant: teams, sender: teamsSender });
  const theHiveApi = createTheHiveApi({ theHive, apiKey: options.theHiveApiKey });
  const webConsole = createConsole({
    workspace,
    theHive,
    interactions,
    events,
    samples: options.samples,
    ingestUrl: options.ingestUrl ?? `${publicUrl}/ingest`,
    ingestSecret: options.ingestSecret,
    logger,
    messageShortcuts: MESSAGE_SHORTCUTS,
  });

  return {
    async handle(req, res) {
      return (
        (await slackApi(req, res)) ||
        (await theHiveApi(req, res)) ||
        (await webexApi(req, res)) ||
        (webexConsole !== undefined && (await webexConsole.handle(req, res))) ||
        (await teamsConsole(req, res)) ||
        (await teamsApi(req, res)) ||
        (oauth !== undefined && (await oauth.handle(req, res))) ||
        webConsole.handle(req, res)
      );
    },
    workspace,
    theHive,
    webex,
    injectSample: webConsole.injectSample,
    teams,
    teamsSender,
    async installTeamsApp() {
      return teamsSender.send(teamsSender.installation(SANDBOX_TEAMS_PEOPLE[0]!)).catch((error: unknown) => {
        logger.warn('teams app not installed in the sandbox team', { error: String(error) });
        return { status: 0 };
      });
    },
    async close() {
      webConsole.close();
      webexConsole?.close();
      await notifier.idle();
      await webex?.idle();
      webex?.flush();
      teams.flush();
      workspace.flush();
      theHive.flush();
    },
  };
}
