/**
 * The Slack Web API stand-in (`/sandbox/slack/api/<method>`) and the `response_url` endpoint
 * (`/sandbox/slack/response/<id>`), with Slack's own semantics: HTTP 200 with `{ok:true,…}` or
 * `{ok:false,error}`, arguments form-encoded (JSON values such as `blocks` as JSON strings, which is what
 * `@slack/web-api` sends) or as a JSON body, and the token in `Authorization: Bearer`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type {
  AuthTestResponse,
  ChatGetPermalinkResponse,
  ChatPostEphemeralResponse,
  ChatPostMessageResponse,
  ChatUpdateResponse,
  ConversationsHistoryResponse,
  ConversationsOpenResponse,
  ConversationsRepliesResponse,
  UsersInfoResponse,
  UsersLookupByEmailResponse,
  ViewsOpenResponse,
} from '@slack/web-api';
import type { SandboxSlackOAuth } from './slack-oauth';
import { mediaType, readBody, requestTarget, RequestBodyTooLargeError, sendJson } from './http';
import {
  SANDBOX_BOT,
  SANDBOX_TEAM,
  SlackPlatformError,
  type MessageContent,
  type SandboxUser,
  type SlackWorkspace,
} from './slack-workspace';

const SLACK_API_PATH = '/sandbox/slack/api/';
const SLACK_RESPONSE_PATH = '/sandbox/slack/response/';

/** Slack accepts about 1 MB of arguments; a bigger body is a bug in the caller. */
const MAX_BODY_BYTES = 1024 * 1024;

type Args = Record<string, unknown>;

export interface SlackApiOptions {
  workspace: SlackWorkspace;
  /** The OAuth install's stand-in: `oauth.v2.access`, and the workspaces of the tokens it gave. */
  oauth?: SandboxSlackOAuth;
  /** Where the console is reached: permalinks point into it. */
  publicUrl: string;
}

function stringArg(args: Args, name: string): string | undefined {
  const value = args[name];
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : String(value);
}

function booleanArg(args: Args, name: string): boolean {
  const value = args[name];
  return value === true || value === 'true' || value === '1' || value === 1;
}

function numberArg(args: Args, name: string): number | undefined {
  const value = Number(args[name]);
  return args[name] === undefined || Number.isNaN(value) ? undefined : value;
}

/** A JSON-valued argument: a JSON string in a form body, a value in a JSON body. */
function jsonArg(args: Args, name: string, errorCode: string): unknown {
  const value = args[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new SlackPlatformError(errorCode);
  }
}

function contentArgs(args: Args): MessageContent {
  return {
    text: stringArg(args, 'text'),
    blocks: jsonArg(args, 'blocks', 'invalid_blocks_format'),
    attachments: jsonArg(args, 'attachments', 'invalid_attachments') as unknown[] | undefined,
    metadata: jsonArg(args, 'metadata', 'invalid_metadata_format') as MessageContent['metadata'],
  };
}

/** A user as `users.info` answers it. */
function apiUser(user: SandboxUser): NonNullable<UsersInfoResponse['user']> {
  return {
    id: user.id,
    team_id: SANDBOX_TEAM.id,
    name: user.name,
    deleted: false,
    real_name: user.realName,
    tz: 'Europe/London',
    tz_label: 'Greenwich Mean Time',
    tz_offset: 0,
    profile: {
      title: user.title,
      real_name: user.realName,
      real_name_normalized: user.realName,
      display_name: user.name,
      display_name_normalized: user.name,
      ...(user.email ? { email: user.email } : {}),
      ...(user.isBot ? { bot_id: SANDBOX_BOT.botId, api_app_id: SANDBOX_BOT.appId } : {}),
      team: SANDBOX_TEAM.id,
    },
    is_admin: false,
    is_owner: false,
    is_primary_owner: false,
    is_restricted: false,
    is_ultra_restricted: false,
    is_bot: Boolean(user.isBot),
    is_app_user: false,
    is_email_confirmed: !user.isBot,
  };
}

function withWarnings(body: Args, warnings: string[]): Args {
  return warnings.length ? { ...body, warning: warnings.join(','), response_metadata: { warnings } } : body;
}

type Method = (args: Args, token: string) => Args;

/**
 * A method's answer before `ok: true` is added, held to `@slack/web-api`'s type of that method's
 * response with `satisfies`: the compiler refuses a field Slack's type does not have or of another type,
 * so the bot cannot come to read a field the real Slack never sends.
 */
type Answer<T> = Omit<T, 'ok'>;

/** Builds the handler for the Web API and `response_url` paths; resolves false for any other path. */
export function createSlackApi(options: SlackApiOptions) {
  const { workspace } = options;
  const publicUrl = options.publicUrl.replace(/\/$/, '');
  const bot = SANDBOX_BOT.userId;

  const permalink = (channel: string, ts: string): string => {
    const message = workspace.getMessage(channel, ts);
    if (!message) throw new SlackPlatformError('message_not_found');
    const base = `${publicUrl}/#/${encodeURIComponent(channel)}/${ts}`;
    return message.threadTs && message.threadTs !== ts
      ? `${base}?thread_ts=${message.threadTs}&cid=${encodeURIComponent(channel)}`
      : base;
  };

  const methods: Record<string, Method> = {
    'auth.test': (_args, token) => {
      // A token an install gave belongs to the workspace it was installed in; any other, to the sandbox's.
      const team = options.oauth?.tokens.get(token) ?? SANDBOX_TEAM;
      return {
        url: `https://${team.domain}.slack.com/`,
        team: team.name,
        user: SANDBOX_BOT.name,
        team_id: team.id,
        user_id: bot,
        bot_id: SANDBOX_BOT.botId,
        is_enterprise_install: false,
      } satisfies Answer<AuthTestResponse>;
    },
    'chat.postMessage': (args, token) => {
      options.oauth?.notePost(stringArg(args, 'channel') ?? '', token);
      const { message, warnings } = workspace.postMessage({
        channel: stringArg(args, 'channel'),
        user: bot,
        botId: SANDBOX_BOT.botId,
        content: contentArgs(args),
        threadTs: stringArg(args, 'thread_ts') || undefined,
        broadcast: booleanArg(args, 'reply_broadcast'),
      });
      return withWarnings(
        {
          channel: message.channel,
          ts: message.ts,
          message: workspace.apiMessage(message, true),
        } satisfies Answer<ChatPostMessageResponse>,
        warnings,
      );
    },
    'chat.update': (args) => {
      const channel = stringArg(args, 'channel');
      const ts = stringArg(args, 'ts');
      if (!channel) throw new SlackPlatformError('channel_not_found');
      if (!ts) throw new SlackPlatformError('message_not_found');
      const { message, warnings } = workspace.updateMessage(channel, ts, bot, contentArgs(args));
      const shown = workspace.apiMessage(message, true);
      return withWarnings(
        { channel, ts, text: message.text, message: shown } satisfies Answer<ChatUpdateResponse>,
        warnings,
      );
    },
    'chat.getPermalink': (args) => {
      const channel = stringArg(args, 'channel');
      if (!channel) throw new SlackPlatformError('channel_not_found');
      return {
        channel,
        permalink: permalink(channel, stringArg(args, 'message_ts') ?? ''),
      } satisfies Answer<ChatGetPermalinkResponse>;
    },
    'chat.postEphemeral': (args) => {
      const ephemeral = workspace.postEphemeral({
        channel: stringArg(args, 'channel'),
        user: stringArg(args, 'user'),
        content: contentArgs(args),
        threadTs: stringArg(args, 'thread_ts') || undefined,
      });
      return { message_ts: ephemeral.ts } satisfies Answer<ChatPostEphemeralResponse>;
    },
    'conversations.history': (args) => {
      const channel = stringArg(args, 'channel');
      if (!channel) throw new SlackPlatformError('channel_not_found');
      const includeMetadata = booleanArg(args, 'include_all_metadata');
      const { messages, nextCursor } = workspace.history(channel, {
        limit: numberArg(args, 'limit'),
        cursor: stringArg(args, 'cursor') || undefined,
        latest: stringArg(args, 'latest') || undefined,
        oldest: stringArg(args, 'oldest') || undefined,
        inclusive: booleanArg(args, 'inclusive'),
      });
      return {
        messages: messages.map((m) => workspace.apiMessage(m, includeMetadata)),
        has_more: nextCursor !== undefined,
        pin_count: 0,
        channel_actions_count: 0,
        response_metadata: { next_cursor: nextCursor ?? '' },
      } satisfies Answer<ConversationsHistoryResponse>;
    },
    'conversations.replies': (args) => {
      const channel = stringArg(args, 'channel');
      if (!channel) throw new SlackPlatformError('channel_not_found');
      const includeMetadata = booleanArg(args, 'include_all_metadata');
      const { messages, nextCursor } = workspace.replies(channel, stringArg(args, 'ts') ?? '', {
        limit: numberArg(args, 'limit') ?? 1000,
        cursor: stringArg(args, 'cursor') || undefined,
      });
      return {
        messages: messages.map((m) => workspace.apiMessage(m, includeMetadata)),
        has_more: nextCursor !== undefined,
        response_metadata: { next_cursor: nextCursor ?? '' },
      } satisfies Answer<ConversationsRepliesResponse>;
    },
    'conversations.open': (args) => {
      const channel = stringArg(args, 'channel');
      if (channel)
        return {
          channel: { id: workspace.conversation(channel).id },
        } satisfies Answer<ConversationsOpenResponse>;
      const users = (stringArg(args, 'users') ?? '').split(',');
      const { conversation, alreadyOpen } = workspace.openConversation(users);
      const full = booleanArg(args, 'return_im');
      return {
        ...(alreadyOpen ? { no_op: true, already_open: true } : {}),
        channel: full
          ? {
              id: conversation.id,
              is_im: conversation.kind === 'im',
              user: conversation.kind === 'im' ? conversation.members?.[0] : undefined,
              is_open: true,
            }
          : { id: conversation.id },
      } satisfies Answer<ConversationsOpenResponse>;
    },
    'users.info': (args) => {
      const user = workspace.userById(stringArg(args, 'user') ?? '');
      if (!user) throw new SlackPlatformError('user_not_found');
      return { user: apiUser(user) } satisfies Answer<UsersInfoResponse>;
    },
    'users.lookupByEmail': (args) => {
      const user = workspace.userByEmail(stringArg(args, 'email') ?? '');
      if (!user) throw new SlackPlatformError('users_not_found');
      return { user: apiUser(user) } satisfies Answer<UsersLookupByEmailResponse>;
    },
    'oauth.v2.access': (args) => {
      if (!options.oauth) throw new SlackPlatformError('unknown_method');
      return options.oauth.access(args);
    },
    'views.open': (args) => {
      const view = jsonArg(args, 'view', 'invalid_arguments');
      const modal = workspace.openModal(stringArg(args, 'trigger_id') || undefined, view);
      return { view: modal.view } satisfies Answer<ViewsOpenResponse>;
    },
  };

  async function readArgs(req: IncomingMessage, query: URLSearchParams): Promise<Args> {
    const args: Args = Object.fromEntries(query);
    if (req.method !== 'POST') return args;
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (!raw) return args;
    const type = mediaType(req);
    if (type === 'application/json') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw);
      } catch {
        throw new SlackPlatformError('invalid_json');
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new SlackPlatformError('invalid_json');
      return { ...args, ...(parsed as Args) };
    }
    if (type === 'application/x-www-form-urlencoded' || type === '')
      return { ...args, ...Object.fromEntries(new URLSearchParams(raw)) };
    throw new SlackPlatformError('invalid_form_data');
  }

  /** The call's token; `oauth.v2.access` takes the client's credentials instead. */
  function authenticate(req: IncomingMessage, args: Args, name: string): string {
    if (name === 'oauth.v2.access') return '';
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : stringArg(args, 'token');
    if (!token) throw new SlackPlatformError('not_authed');
    if (!/^xox[a-z]-/.test(token)) throw new SlackPlatformError('invalid_auth');
    return token;
  }

  async function serveMethod(
    req: IncomingMessage,
    res: ServerResponse,
    name: string,
    query: URLSearchParams,
  ) {
    try {
      const args = await readArgs(req, query);
      const token = authenticate(req, args, name);
      const method = methods[name];
      if (!method) throw new SlackPlatformError('unknown_method');
      const answer = method(args, token);
      // What Slack acknowledged exists, even if this process is killed right after: saved before answering.
      workspace.flush();
      sendJson(res, 200, { ok: true, ...answer });
    } catch (error) {
      if (error instanceof RequestBodyTooLargeError) {
        sendJson(res, 413, { ok: false, error: 'request_too_large' });
        return;
      }
      if (!(error instanceof SlackPlatformError)) throw error;
      // Every method fails with this shape; chat.postMessage's response type names all of its fields.
      sendJson(res, 200, {
        ok: false,
        error: error.code,
        ...(error.errors.length
          ? { errors: error.errors, response_metadata: { messages: error.errors.map((e) => `[ERROR] ${e}`) } }
          : {}),
      } satisfies ChatPostMessageResponse);
    }
  }

  /** A `response_url` call: replace or delete the clicked message, or post a new (ephemeral) one. */
  async function serveResponse(req: IncomingMessage, res: ServerResponse, id: string) {
    if (req.method !== 'POST') {
      sendJson(res, 405, { ok: false, error: 'method_not_allowed' });
      return;
    }
    let body: Args;
    try {
      const parsed = JSON.parse(await readBody(req, MAX_BODY_BYTES)) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      body = parsed as Args;
    } catch (error) {
      if (error instanceof RequestBodyTooLargeError) {
        sendJson(res, 413, { ok: false, error: 'request_too_large' });
        return;
      }
      sendJson(res, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    const target = workspace.useResponseTarget(id);
    if (!target) {
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      return;
    }
    const content = contentArgs(body);
    const threadTs = stringArg(body, 'thread_ts') || target.threadTs;
    try {
      if (booleanArg(body, 'delete_original')) {
        if (target.ephemeral) workspace.dismissEphemeral(target.userId, target.messageTs ?? '');
        else workspace.deleteMessage(target.channel, target.messageTs ?? '');
      } else if (booleanArg(body, 'replace_original')) {
        if (target.ephemeral) workspace.replaceEphemeral(target.userId, target.messageTs ?? '', content);
        else workspace.updateMessage(target.channel, target.messageTs ?? '', bot, content);
      } else if (stringArg(body, 'response_type') === 'in_channel') {
        workspace.postMessage({
          channel: target.channel,
          user: bot,
          botId: SANDBOX_BOT.botId,
          content,
          threadTs,
        });
      } else {
        workspace.postEphemeral({ channel: target.channel, user: target.userId, content, threadTs });
      }
      workspace.flush();
      sendJson(res, 200, { ok: true });
    } catch (error) {
      if (!(error instanceof SlackPlatformError)) throw error;
      sendJson(res, 400, {
        ok: false,
        error: error.code,
        ...(error.errors.length ? { errors: error.errors } : {}),
      });
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { path, query } = requestTarget(req);
    if (path.startsWith(SLACK_API_PATH)) {
      // Method names are plain ASCII (`chat.postMessage`): nothing to decode.
      await serveMethod(req, res, path.slice(SLACK_API_PATH.length), query);
      return true;
    }
    if (path.startsWith(SLACK_RESPONSE_PATH)) {
      await serveResponse(req, res, path.slice(SLACK_RESPONSE_PATH.length));
      return true;
    }
    return false;
  };
}
