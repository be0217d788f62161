/**
 * The Microsoft Teams bot: the Teams SDK's App behind Hivewire's own `POST /teams/messages` route.
 * The SDK checks each request's Bot Framework JWT (signature against the keys its OpenID metadata
 * names, issuer, audience = the app id, the `serviceurl` claim against the activity) before anything
 * reads the activity; only then is the activity parsed with zod and handed to the same use cases as
 * Slack's clicks. The SDK also holds the connector client and its token: the sandbox points both at
 * its stand-in through the SDK's cloud environment, so the real validation path runs locally too.
 */
import {
  App,
  toThreadedConversationId,
  type HttpMethod,
  type HttpRouteHandler,
  type IHttpServerAdapter,
  type IHttpServerResponse,
} from '@microsoft/teams.apps';
import {
  PUBLIC,
  stripMentionsText,
  type Client as ApiClient,
  withOverrides,
  type CloudEnvironment,
} from '@microsoft/teams.api';
import { teamsMessage } from '../../../cards/teams';
import { schemaRejection } from '../../findings/outcome';
import { parseJsonText } from '../../validation/json';
import { errorMessage, type Logger } from '../../observability/logger';
import { bodyTextOf, headerOf, jsonResponse, type HttpRequest, type HttpResponse } from '../../http/request';
import { activitySchema, cardActionSchema, type TeamsActivity } from './activity';
import { handleCardAction, handleTriageAnswer, typedTriageAnswer, type TeamsBotDeps } from './clicks';
import { typedTriageResponse } from '../../domain/triage';
import { runTeamsCommand, type TeamsSpeaker } from './commands';

export type { TeamsBotDeps };
import { saveInstallation } from './installations';
import { sdkLogger } from './sdk-logger';

/** (contract) The messaging endpoint, as registered with the Azure Bot / Teams Developer Portal. */
export const TEAMS_MESSAGES_PATH = '/teams/messages';
/** Teams resends a slow message within minutes; a day covers it with room to spare. */
const MESSAGE_CLAIM_SECONDS = 24 * 60 * 60;
/** How much of a refused activity the dead letter keeps. */
const KEEP_CHARS = 64 * 1024;

export interface TeamsSettings {
  /** `TEAMS_APP_ID`: the Entra app (client) id; the audience of every token Teams sends. */
  appId: string;
  /** `TEAMS_APP_PASSWORD`: the app's client secret, for the connector token. */
  appPassword: string;
  /** `TEAMS_TENANT_ID`: the tenant the app is registered in (single-tenant bots). */
  tenantId?: string;
  /**
   * The sandbox's stand-ins: its OpenID metadata and token endpoint. Unset in production, where the
   * SDK's public cloud (login.botframework.com, login.microsoftonline.com) is used.
   */
  sandbox?: { openIdMetadataUrl: string; tokenUrl: string; serviceUrl: string };
}

/** The SDK's server adapter for a route Hivewire serves itself: it only keeps the SDK's handler. */
class RouteAdapter implements IHttpServerAdapter {
  handler: HttpRouteHandler | undefined;

  registerRoute(method: HttpMethod, path: string, handler: HttpRouteHandler): void {
    if (method === 'POST' && path === TEAMS_MESSAGES_PATH) this.handler = handler;
  }
}

/**
 * The connector token from the sandbox's token endpoint: the same client-credentials request Entra
 * answers. (MSAL, which the SDK uses against Entra, only talks to https authorities.)
 */
function sandboxToken(settings: TeamsSettings, tokenUrl: string) {
  return async (scope: string | string[]): Promise<string> => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: settings.appId,
        client_secret: settings.appPassword,
        scope: Array.isArray(scope) ? scope.join(' ') : scope,
      }),
    });
    const answer = (await response.json()) as { access_token?: string; error_description?: string };
    if (!response.ok || !answer.access_token)
      throw new Error(`token endpoint: ${response.status} ${answer.error_description ?? ''}`.trim());
    return answer.access_token;
  };
}

function cloudFor(settings: TeamsSettings): CloudEnvironment {
  if (!settings.sandbox) return PUBLIC;
  return withOverrides(PUBLIC, { openIdMetadataUrl: settings.sandbox.openIdMetadataUrl });
}

/** The person an activity comes from; their email is asked of the connector only when needed. */
function speakerOf(activity: TeamsActivity, api: ApiClient): TeamsSpeaker {
  return {
    id: activity.from.id,
    ...(activity.from.aadObjectId ? { aadObjectId: activity.from.aadObjectId } : {}),
    ...(activity.from.name ? { name: activity.from.name } : {}),
    email: async () => {
      const conversation = activity.conversation.id.split(';')[0]!;
      const member = await api.conversations
        .members(conversation)
        .getById(encodeURIComponent(activity.from.id));
      return member.email ?? member.userPrincipalName;
    },
  };
}

export interface TeamsBot {
  app: App;
  /** `POST /teams/messages`. */
  handle(request: HttpRequest): Promise<HttpResponse>;
}

/**
 * The Teams SDK's App for `settings`, serving no HTTP of its own (`adapter` keeps its handler for
 * Hivewire's route). The connector client (`app.api`) fetches its token on first use.
 */
export function teamsApp(settings: TeamsSettings, logger: Logger, adapter = new RouteAdapter()): App {
  return new App({
    clientId: settings.appId,
    ...(settings.sandbox
      ? { token: sandboxToken(settings, settings.sandbox.tokenUrl), serviceUrl: settings.sandbox.serviceUrl }
      : { clientSecret: settings.appPassword }),
    ...(settings.tenantId ? { tenantId: settings.tenantId } : {}),
    cloud: cloudFor(settings),
    logger: sdkLogger(logger),
    httpServerAdapter: adapter,
    messagingEndpoint: TEAMS_MESSAGES_PATH,
  });
}

/** Builds the Teams bot (once per process) and registers Hivewire's handlers on it. */
export async function createTeamsBot(settings: TeamsSettings, deps: TeamsBotDeps): Promise<TeamsBot> {
  const adapter = new RouteAdapter();
  const app = teamsApp(settings, deps.logger, adapter);

  /** What a request's body was when it could not be decoded, by the placeholder handed to the SDK. */
  const undecodable = new WeakMap<object, { error: string; text: string }>();
  /** The activity as zod read it, by the body the SDK hands on. */
  const parsed = new WeakMap<object, TeamsActivity>();
  /** The same, by activity id, while its request is being processed. */
  const parsedById = new Map<string, TeamsActivity>();

  await app.initialize();
  // Between the SDK's authentication and its processing: the only place the activity is parsed.
  const process = app.server.onRequest!;
  app.server.onRequest = async (event) => {
    const body = event.body as object;
    const refused = undecodable.get(body);
    const result = refused ? undefined : activitySchema.safeParse(body);
    if (refused || !result?.success) {
      const error = refused?.error ?? schemaRejection('activity', result!.error!).error;
      await deps.store.putDeadLetter({
        kind: 'rejected-teams-activity',
        error,
        payload: refused ? refused.text.slice(0, KEEP_CHARS) : JSON.stringify(body).slice(0, KEEP_CHARS),
      });
      return { status: 400, body: { error } };
    }
    parsed.set(body, result.data);
    const id = result.data.id;
    if (id) parsedById.set(id, result.data);
    try {
      return await process(event);
    } finally {
      if (id && parsedById.get(id) === result.data) parsedById.delete(id);
    }
  };

  app.on('install.add', async ({ activity }) => {
    const read = parsed.get(activity as object);
    if (read) await saveInstallation(read, deps);
  });
  app.on('conversationUpdate', async ({ activity }) => {
    const read = parsed.get(activity as object);
    if (read?.membersAdded?.some((member) => member.id === read.recipient.id))
      await saveInstallation(read, deps);
  });
  app.on('message', async ({ activity, api }) => {
    // The SDK hands message handlers its own copy of the activity: the one parsed is found by its id.
    const read = parsed.get(activity as object) ?? parsedById.get(activity.id);
    if (!read) return;
    // Teams sends a message again when the bot took over 15 s to answer it: the copy is not run again
    // (a second lookup, a second answer). Activity ids are unique within their conversation.
    if (
      !(await deps.store.claimDelivery(
        `teams:message:${read.conversation.id}:${read.id}`,
        MESSAGE_CLAIM_SECONDS,
      ))
    )
      return;
    // In a channel the bot only receives messages that @mention it; the mention is not the command.
    const text = stripMentionsText(activity, { accountId: read.recipient.id }) ?? '';
    // In the person's 1:1 chat every message is delivered: one may answer their question.
    const typed = read.conversation.conversationType === 'personal' ? typedTriageResponse(text) : undefined;
    if (typed) {
      const shown = await typedTriageAnswer(read, typed, deps);
      if ('question' in shown)
        await api.conversations
          .activities(shown.question.channel)
          .update(shown.question.messageId, teamsMessage(shown.card) as never);
      else
        await api.conversations.activities(read.conversation.id).create(teamsMessage(shown.reply) as never);
      return;
    }
    // The answer goes in the mention's reply chain (a channel conversation id names its thread's root).
    const [conversation, root = read.id] = read.conversation.id.split(';messageid=');
    const card = await runTeamsCommand(
      text,
      speakerOf(read, api),
      read.channelData?.team?.id,
      // The worker's later answer (a lookup's results) goes where this activity came from, as this one does.
      root ? { channel: conversation!, messageId: root, serviceUrl: read.serviceUrl } : undefined,
      deps,
    );
    const thread = root ? toThreadedConversationId(conversation!, root) : conversation!;
    await api.conversations.activities(thread).create(teamsMessage(card) as never);
  });
  app.on('card.action', async ({ activity, api }) => {
    const read = parsed.get(activity as object);
    const value = cardActionSchema.safeParse(read?.value);
    if (!read || !value.success) {
      const error = value.success
        ? 'activity: not read'
        : schemaRejection('activity.value', value.error).error;
      await deps.store.putDeadLetter({ kind: 'rejected-teams-activity', error, payload: read ?? null });
      return {
        statusCode: 400 as const,
        type: 'application/vnd.microsoft.error' as const,
        value: { code: 'BadRequest', message: error, innerHttpError: { statusCode: 400, body: null } },
      };
    }
    const data = value.data.action.data;
    // An alert's button names its alert; a "was this you?" answer names its question.
    return 'fingerprint' in data
      ? handleCardAction(data, read, speakerOf(read, api), deps)
      : handleTriageAnswer(data, read, deps);
  });

  return {
    app,
    async handle(request) {
      const text = bodyTextOf(request);
      const decoded = text === undefined ? undefined : parseJsonText(text);
      let body: unknown;
      if (decoded?.ok && typeof decoded.value === 'object' && decoded.value !== null) body = decoded.value;
      else {
        // The SDK authenticates first; the placeholder tells the parsing step why there is no activity.
        body = {};
        undecodable.set(body as object, {
          error:
            decoded === undefined
              ? 'body: not UTF-8'
              : decoded.ok
                ? 'body: not an object'
                : `body: ${decoded.error}`,
          text: text ?? request.body,
        });
      }
      const headers: Record<string, string> = {};
      const authorization = headerOf(request.headers, 'authorization');
      if (authorization) headers.authorization = authorization;
      let response: IHttpServerResponse;
      try {
        response = await adapter.handler!({ body, headers });
      } catch (error) {
        deps.logger.error('teams activity failed', { error: errorMessage(error) });
        return jsonResponse(500, { error: 'internal error' });
      }
      return response.body === undefined
        ? { status: response.status, body: '' }
        : jsonResponse(response.status, response.body);
    },
  };
}
