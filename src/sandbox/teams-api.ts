/**
 * The Microsoft Teams stand-in at `/sandbox/teams/`: the Bot Connector REST API subset the bot uses
 * (create conversation, send, reply to and update activities, a conversation's members), the Entra
 * token endpoint the bot gets its connector token from (client credentials), and the OpenID metadata
 * and keys the bot checks inbound tokens against. Answers follow the Bot Framework REST reference:
 * `ResourceResponse {id}`, `ConversationResourceResponse {id, activityId, serviceUrl}`, errors as
 * `{error: {code, message}}`; every connector call needs a bearer token the token endpoint issued.
 */
import { createPublicKey, verify } from 'node:crypto';
import type { ConversationResource, Resource, TeamsChannelAccount } from '@microsoft/teams.api';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { secretsEqual } from '../http/auth';
import { sandboxTeamsEndpoints, TEAMS_SANDBOX_PATH } from '../chat/teams/settings';
import { mediaType, readBody, requestTarget, RequestBodyTooLargeError, sendJson } from './http';
import {
  BOT_FRAMEWORK_ISSUER,
  SANDBOX_TEAMS,
  SANDBOX_TEAMS_PEOPLE,
  type SandboxTeamsTenant,
  type TeamsPerson,
} from './teams-tenant';

/** (published) The scope a bot asks its connector token for. */
const CONNECTOR_SCOPE = 'https://api.botframework.com/.default';
/** The audience of the connector tokens the token endpoint issues. */
const CONNECTOR_AUDIENCE = 'https://api.botframework.com';
/** The Bot Connector takes activities up to about 260 KB; a bigger body is a bug in the caller. */
const MAX_BODY_BYTES = 512 * 1024;

export interface TeamsApiOptions {
  tenant: SandboxTeamsTenant;
  publicUrl: string;
  appId: string;
  appPassword: string;
}

class ConnectorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const ACTIVITY_PATH = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/;
const MEMBER_PATH = /^\/v3\/conversations\/([^/]+)\/members(?:\/([^/]+))?$/;

function teamsAccount(person: TeamsPerson): TeamsChannelAccount {
  return {
    id: person.id,
    name: person.name,
    aadObjectId: person.aadObjectId,
    email: person.email,
    userPrincipalName: person.email,
    tenantId: SANDBOX_TEAMS.tenantId,
    userRole: 'user',
  };
}

function objectBody(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ConnectorError(400, 'BadArgument', 'body is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ConnectorError(400, 'BadArgument', 'body must be an object');
  return value as Record<string, unknown>;
}

function activityContent(body: Record<string, unknown>) {
  if (body.type !== 'message')
    throw new ConnectorError(400, 'BadArgument', 'only message activities are kept');
  const attachments = body.attachments;
  if (attachments !== undefined && !Array.isArray(attachments))
    throw new ConnectorError(400, 'BadArgument', 'attachments must be an array');
  if (typeof body.text !== 'string' && !attachments?.length)
    throw new ConnectorError(400, 'BadArgument', 'a message needs text or attachments');
  return {
    text: typeof body.text === 'string' ? body.text : undefined,
    attachments: attachments as unknown[] | undefined,
  };
}

/** Builds the `/sandbox/teams/` handler; resolves false for other paths. */
export function createTeamsApi(options: TeamsApiOptions) {
  const { tenant } = options;
  const endpoints = sandboxTeamsEndpoints(options.publicUrl);
  const publicKey = createPublicKey({ key: tenant.publicJwk() as never, format: 'jwk' });

  /** Checks a connector call's bearer token: signed by the sandbox, for the connector, not expired. */
  function authorise(req: IncomingMessage): void {
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const parts = token?.split('.');
    if (!parts || parts.length !== 3) throw new ConnectorError(401, 'Unauthorized', 'no bearer token');
    const valid = verify(
      'sha256',
      Buffer.from(`${parts[0]}.${parts[1]}`),
      publicKey,
      Buffer.from(parts[2]!, 'base64url'),
    );
    const claims = valid
      ? (JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>)
      : {};
    const fresh = typeof claims.exp === 'number' && claims.exp * 1000 > Date.now();
    if (!valid || !fresh || claims.aud !== CONNECTOR_AUDIENCE || claims.appid !== options.appId)
      throw new ConnectorError(401, 'Unauthorized', 'token not valid for the connector');
  }

  function token(form: URLSearchParams) {
    const secretOk =
      form.get('client_id') === options.appId &&
      secretsEqual(form.get('client_secret') ?? '', options.appPassword);
    if (form.get('grant_type') !== 'client_credentials' || !secretOk)
      throw new ConnectorError(401, 'invalid_client', 'AADSTS7000215: Invalid client secret provided.');
    if (form.get('scope') !== CONNECTOR_SCOPE)
      throw new ConnectorError(
        400,
        'invalid_scope',
        `AADSTS70011: the scope ${form.get('scope')} is not valid.`,
      );
    const lifetime = 3600;
    return {
      token_type: 'Bearer',
      expires_in: lifetime,
      ext_expires_in: lifetime,
      access_token: tenant.signToken(
        {
          iss: endpoints.tokenIssuer,
          aud: CONNECTOR_AUDIENCE,
          appid: options.appId,
          tid: SANDBOX_TEAMS.tenantId,
        },
        lifetime,
      ),
    };
  }

  async function connector(req: IncomingMessage, path: string): Promise<{ status: number; body: unknown }> {
    authorise(req);
    const method = req.method ?? 'GET';
    if (method === 'POST' && path === '/v3/conversations') {
      const body = objectBody(await readBody(req, MAX_BODY_BYTES));
      const members = Array.isArray(body.members) ? (body.members as { id?: unknown }[]) : [];
      const person = members.length === 1 ? tenant.person(String(members[0]?.id)) : undefined;
      if (!person)
        throw new ConnectorError(400, 'BadArgument', 'a 1:1 conversation needs one member of the tenant');
      const conversation = tenant.personalConversation(person);
      const first = body.activity
        ? tenant.add(conversation.id, botMessage(activityContent(body.activity as never)))
        : undefined;
      return {
        status: 201,
        body: {
          id: conversation.id,
          serviceUrl: endpoints.serviceUrl,
          activityId: first?.id ?? '',
        } satisfies ConversationResource,
      };
    }
    const members = MEMBER_PATH.exec(path);
    if (members && method === 'GET') {
      // A team's roster is read with the team id as the conversation id, as in Teams.
      const conversationId = decodeURIComponent(members[1]!);
      const conversation =
        conversationId === SANDBOX_TEAMS.team.id
          ? { kind: 'channel' as const }
          : tenant.conversation(conversationId);
      if (!conversation) throw new ConnectorError(404, 'ConversationNotFound', 'Conversation not found.');
      const inIt = SANDBOX_TEAMS_PEOPLE.filter(
        (person) => conversation.kind === 'channel' || conversation.member === person.id,
      );
      if (!members[2]) return { status: 200, body: inIt.map(teamsAccount) };
      const wanted = decodeURIComponent(members[2]);
      // Teams finds a member by channel account id, Entra object id or user principal name.
      const person = inIt.find(
        (one) => one.id === wanted || one.aadObjectId === wanted || one.email === wanted.toLowerCase(),
      );
      if (!person)
        throw new ConnectorError(
          404,
          'MemberNotFoundInConversation',
          'The member is not in the conversation.',
        );
      return { status: 200, body: teamsAccount(person) };
    }
    const activity = ACTIVITY_PATH.exec(path);
    if (!activity) throw new ConnectorError(404, 'NotFound', `no connector route ${method} ${path}`);
    const conversationId = decodeURIComponent(activity[1]!);
    if (!tenant.conversation(conversationId))
      throw new ConnectorError(404, 'ConversationNotFound', 'Conversation not found.');
    const activityId = activity[2] === undefined ? undefined : decodeURIComponent(activity[2]);
    if (activityId !== undefined && !tenant.activity(conversationId, activityId))
      throw new ConnectorError(404, 'ActivityNotFound', 'Activity not found.');
    if (method === 'DELETE' && activityId !== undefined) {
      tenant.remove(conversationId, activityId);
      return { status: 200, body: {} };
    }
    const body = objectBody(await readBody(req, MAX_BODY_BYTES));
    const content = activityContent(body);
    if (method === 'POST') {
      const replyToId = activityId ?? (typeof body.replyToId === 'string' ? body.replyToId : undefined);
      const sent = tenant.add(conversationId, botMessage(content), replyToId);
      return { status: 201, body: { id: sent.id } satisfies Resource };
    }
    if (method === 'PUT' && activityId !== undefined) {
      tenant.update(conversationId, activityId, content);
      return { status: 200, body: { id: activityId } satisfies Resource };
    }
    throw new ConnectorError(405, 'MethodNotAllowed', `${method} is not allowed here`);
  }

  function botMessage(content: { text?: string; attachments?: unknown[] }) {
    return { from: { id: `28:${options.appId}`, name: SANDBOX_TEAMS.botName }, ...content };
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { path } = requestTarget(req);
    if (!path.startsWith(`${TEAMS_SANDBOX_PATH}/`)) return false;
    const rest = path.slice(TEAMS_SANDBOX_PATH.length);
    try {
      if (req.method === 'GET' && rest === '/v1/.well-known/openidconfiguration') {
        sendJson(res, 200, {
          issuer: BOT_FRAMEWORK_ISSUER,
          authorization_endpoint: `${endpoints.loginEndpoint}/${SANDBOX_TEAMS.tenantId}/oauth2/v2.0/authorize`,
          jwks_uri: endpoints.keysUrl,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
        return true;
      }
      if (req.method === 'GET' && rest === '/v1/.well-known/keys') {
        sendJson(res, 200, { keys: [{ ...tenant.publicJwk(), endorsements: ['msteams'] }] });
        return true;
      }
      if (req.method === 'POST' && /^\/login\/[^/]+\/oauth2\/v2\.0\/token$/.test(rest)) {
        if (mediaType(req) !== 'application/x-www-form-urlencoded')
          throw new ConnectorError(
            400,
            'invalid_request',
            'AADSTS900144: the request body must be form-encoded.',
          );
        sendJson(res, 200, token(new URLSearchParams(await readBody(req, MAX_BODY_BYTES))));
        return true;
      }
      const answer = await connector(req, rest);
      tenant.flush();
      sendJson(res, answer.status, answer.body);
    } catch (error) {
      if (error instanceof RequestBodyTooLargeError)
        sendJson(res, 413, { error: { code: 'BadArgument', message: error.message } });
      else if (error instanceof ConnectorError) {
        const oauth = error.code.startsWith('invalid_');
        sendJson(
          res,
          error.status,
          oauth
            ? { error: error.code, error_description: error.message }
            : { error: { code: error.code, message: error.message } },
        );
      } else throw error;
    }
    return true;
  };
}
