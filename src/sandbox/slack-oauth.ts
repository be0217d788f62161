/**
 * The sandbox's stand-in for Slack's OAuth v2 install: the authorize page
 * (`/sandbox/slack/oauth/v2/authorize`, where a person picks the workspace and allows the app) and the
 * `oauth.v2.access` method that exchanges the code, with Slack's semantics: a code works once, for the
 * client it was issued to and the redirect URI it was issued with, for ten minutes; the answer has the
 * shape of `@slack/web-api`'s `OauthV2AccessResponse`. The sandbox's second workspace is installed this
 * way, so "Add to Slack" runs end to end with no Slack.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OauthV2AccessResponse } from '@slack/web-api';
import { SANDBOX_DEFAULTS } from '../config/config';
import { readBody, requestTarget } from './http';
import { SANDBOX_BOT, SlackPlatformError } from './slack-workspace';

export const AUTHORIZE_PATH = '/sandbox/slack/oauth/v2/authorize';
const CODE_LIFETIME_MS = 10 * 60 * 1000;

/** The workspaces an install can pick, besides the one the sandbox's own token belongs to. */
export const INSTALLABLE_WORKSPACES = [
  { id: 'T0SANDBOX2', name: 'Globex (sandbox)', domain: SANDBOX_DEFAULTS.slackWorkspaceDomains[1] },
] as const;

export interface SlackOAuthOptions {
  clientId: string;
  clientSecret: string;
  now?: () => number;
}

interface Grant {
  team: (typeof INSTALLABLE_WORKSPACES)[number];
  clientId: string;
  redirectUri: string;
  scope: string;
  installer: string;
  issuedAt: number;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The bot token an install gives a workspace: Slack's `xoxb-` shape, unguessable. */
function newBotToken(team: string): string {
  return `xoxb-${team}-${randomBytes(12).toString('hex')}`;
}

export class SandboxSlackOAuth {
  private readonly grants = new Map<string, Grant>();
  /** Bot token → workspace, for every token an install gave. */
  readonly tokens = new Map<string, (typeof INSTALLABLE_WORKSPACES)[number]>();
  /** Channel → workspace, learned from the token the bot posts there with (a channel is in one workspace). */
  private readonly channels = new Map<string, (typeof INSTALLABLE_WORKSPACES)[number]>();
  private readonly now: () => number;

  constructor(private readonly options: SlackOAuthOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Serves the authorize page and its "Allow"; resolves false for any other path. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { path, query } = requestTarget(req);
    if (path !== AUTHORIZE_PATH) return false;
    const args = req.method === 'POST' ? new URLSearchParams(await readBody(req, 64 * 1024)) : query;
    const clientId = args.get('client_id') ?? '';
    const redirectUri = args.get('redirect_uri') ?? '';
    const scope = args.get('scope') ?? '';
    const state = args.get('state') ?? '';
    if (clientId !== this.options.clientId || !/^https?:\/\//.test(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><p>invalid_client_id or redirect_uri</p>');
      return true;
    }
    if (req.method !== 'POST') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(this.page({ clientId, redirectUri, scope, state }));
      return true;
    }
    const team = INSTALLABLE_WORKSPACES.find((workspace) => workspace.id === args.get('team'));
    const target = new URL(redirectUri);
    if (!team) target.searchParams.set('error', 'access_denied');
    else {
      const code = `${Date.now()}.${randomBytes(16).toString('hex')}`;
      this.grants.set(code, {
        team,
        clientId,
        redirectUri,
        scope,
        installer: 'U0ALICE',
        issuedAt: this.now(),
      });
      target.searchParams.set('code', code);
    }
    target.searchParams.set('state', state);
    res.writeHead(302, { location: target.toString() });
    res.end();
    return true;
  }

  /** Notes that the bot posted in `channel` with `token`: an installed workspace's token makes it that workspace's. */
  notePost(channel: string, token: string): void {
    const team = this.tokens.get(token);
    if (team && !this.channels.has(channel)) this.channels.set(channel, team);
  }

  /** The installed workspace a channel is in; undefined for the sandbox's own workspace. */
  workspaceOf(channel: string): { id: string; domain: string } | undefined {
    return this.channels.get(channel);
  }

  /** `oauth.v2.access`: the code for the bot token, once. */
  access(args: Record<string, unknown>): Omit<OauthV2AccessResponse, 'ok'> {
    const code = String(args.code ?? '');
    const grant = this.grants.get(code);
    this.grants.delete(code);
    if (args.client_id !== this.options.clientId || args.client_secret !== this.options.clientSecret)
      throw new SlackPlatformError('invalid_client_id');
    if (!grant || grant.clientId !== args.client_id || this.now() - grant.issuedAt > CODE_LIFETIME_MS)
      throw new SlackPlatformError('invalid_code');
    if (args.redirect_uri !== undefined && args.redirect_uri !== grant.redirectUri)
      throw new SlackPlatformError('bad_redirect_uri');
    const token = newBotToken(grant.team.id);
    this.tokens.set(token, grant.team);
    return {
      app_id: SANDBOX_BOT.appId,
      authed_user: { id: grant.installer },
      scope: grant.scope,
      token_type: 'bot',
      access_token: token,
      bot_user_id: SANDBOX_BOT.userId,
      team: { id: grant.team.id, name: grant.team.name },
      enterprise: undefined,
      is_enterprise_install: false,
    };
  }

  private page(input: { clientId: string; redirectUri: string; scope: string; state: string }): string {
    const hidden = Object.entries({
      client_id: input.clientId,
      redirect_uri: input.redirectUri,
      scope: input.scope,
      state: input.state,
    })
      .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`)
      .join('');
    const options = INSTALLABLE_WORKSPACES.map(
      (workspace) => `<option value="${workspace.id}">${escapeHtml(workspace.name)}</option>`,
    ).join('');
    return (
      '<!doctype html><html><head><meta charset="utf-8"><title>Hivewire is requesting permission</title></head><body>' +
      '<h1>Hivewire is requesting permission to access a workspace (sandbox)</h1>' +
      `<p>It asks for: ${escapeHtml(input.scope.split(',').join(', '))}</p>` +
      `<form method="post" action="${AUTHORIZE_PATH}">${hidden}` +
      `<label>Workspace <select name="team">${options}</select></label> ` +
      '<button type="submit" id="allow">Allow</button></form></body></html>'
    );
  }
}
