/**
 * Installing Hivewire in many Slack workspaces (OAuth v2), with @slack/oauth's InstallProvider doing
 * the protocol: `GET /slack/install` answers an "Add to Slack" page that sets the state cookie and links
 * Slack's authorize URL with exactly the manifest's bot scopes and a signed `state`;
 * `GET /slack/oauth_redirect` checks that state (signature, age, this browser's cookie, first use),
 * exchanges the code with `oauth.v2.access` and keeps the installation, encrypted, in the store.
 *
 * The routes see the product's plain requests (API Gateway or the local server), so the provider gets a
 * request and a response of the shape Node's http module gives it, built here.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ClearStateStore,
  InstallProvider,
  InvalidStateError,
  type CodedError,
  type Installation,
  type InstallURLOptions,
  type OrgInstallation,
  type StateStore,
} from '@slack/oauth';
import type { Config, SlackOAuthConfig } from '../config';
import type { Deps } from '../deps';
import type { HttpRequest, HttpResponse } from '../http/request';
import { requestPathClientOptions } from './delivery';
import { InstallationVault } from './installations';

/** (manifest.yml `oauth_config.scopes.bot`, checked by a test) What an install asks of a workspace. */
export const BOT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'channels:history',
  'groups:history',
  'commands',
  'app_mentions:read',
  'users:read',
  'users:read.email',
  'im:write',
  'usergroups:read',
] as const;

/** How long an install may take between the "Add to Slack" page and Slack's redirect back. */
export const STATE_MAX_AGE_SECONDS = 600;

export const INSTALL_PATH = '/slack/install';
export const REDIRECT_PATH = '/slack/oauth_redirect';

type OAuthDeps = Pick<Deps, 'store' | 'now' | 'logger' | 'config'>;

/**
 * The signed state (a JWT made by @slack/oauth's ClearStateStore with `SLACK_STATE_SECRET`), aged by
 * Hivewire's clock and usable once: the first redirect that presents it claims it in the store, so a
 * replayed redirect is refused even within its ten minutes.
 */
export class SingleUseStateStore implements StateStore {
  private readonly signed: ClearStateStore;

  constructor(
    secret: string,
    private readonly deps: Pick<Deps, 'store' | 'now'>,
  ) {
    this.signed = new ClearStateStore(secret, STATE_MAX_AGE_SECONDS);
  }

  generateStateParam(installOptions: InstallURLOptions): Promise<string> {
    return this.signed.generateStateParam(installOptions, this.deps.now());
  }

  async verifyStateParam(_now: Date, state: string): Promise<InstallURLOptions> {
    const options = await this.signed.verifyStateParam(this.deps.now(), state);
    const used = createHash('sha256').update(state).digest('hex');
    if (!(await this.deps.store.claimDelivery(`slack-oauth-state#${used}`, STATE_MAX_AGE_SECONDS)))
      throw new InvalidStateError('The state value was already used');
    return options;
  }
}

/** The InstallProvider of this deployment, or undefined when the app is not set up for OAuth. */
export function createInstaller(deps: OAuthDeps): InstallProvider | undefined {
  const oauth = deps.config.slack.oauth;
  if (!oauth) return undefined;
  return installerFor(oauth, deps);
}

function installerFor(oauth: SlackOAuthConfig, deps: OAuthDeps): InstallProvider {
  return new InstallProvider({
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateStore: new SingleUseStateStore(oauth.stateSecret, deps),
    installationStore: new InstallationVault(deps.store, oauth.installationKey),
    installUrlOptions: { scopes: [...BOT_SCOPES], redirectUri: redirectUriOf(deps.config) },
    authorizationUrl: oauth.authorizationUrl,
    renderHtmlForInstallPath: installPage,
    clientOptions: requestPathClientOptions(deps.config.slack.apiUrl),
    // The provider logs at info by default; nothing it logs is needed, and a token must never be.
    logLevel: 'error' as never,
  });
}

function redirectUriOf(config: Config): string {
  return `${config.publicUrl}${REDIRECT_PATH}`;
}

/** What the provider writes to its response, kept to become the route's answer. */
class RecordedResponse {
  status = 200;
  readonly headers: Record<string, string | string[]> = {};
  body = '';
  setHeader(name: string, value: string | string[]) {
    this.headers[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string) {
    return this.headers[name.toLowerCase()];
  }
  writeHead(status: number, headers?: Record<string, string>) {
    this.status = status;
    for (const [name, value] of Object.entries(headers ?? {})) this.setHeader(name, value);
    return this;
  }
  end(body?: string) {
    this.body = body ?? '';
    return this;
  }
  answer(): HttpResponse {
    const headers: Record<string, string> = {};
    // Several cookies fold into one line here: the state cookie is the only one the provider sets.
    for (const [name, value] of Object.entries(this.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return { status: this.status, headers, body: this.body };
  }
}

function incomingOf(request: HttpRequest): IncomingMessage {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  headers.host ??= 'localhost';
  const url = request.query ? `${request.path}?${request.query}` : request.path;
  return { url, method: request.method, headers } as unknown as IncomingMessage;
}

/** Text for an HTML page (the pages here show product text and Slack's workspace name). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(status: number, title: string, text: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    );
  };
}

/** The "Add to Slack" page: the product's own, with no image or script from elsewhere. */
function installPage(authorizeUrl: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><title>Add Hivewire to Slack</title></head><body>' +
    '<h1>Add Hivewire to Slack</h1><p>Hivewire will post security alerts in the channel its operator ' +
    `configured for your workspace.</p><p><a id="add-to-slack" href="${escapeHtml(authorizeUrl)}">Add to Slack</a></p>` +
    '</body></html>'
  );
}

function installedTeam(installation: Installation | OrgInstallation): string {
  return installation.isEnterpriseInstall
    ? (installation.enterprise?.name ?? installation.enterprise?.id ?? 'your organisation')
    : (installation.team?.name ?? installation.team?.id ?? 'your workspace');
}

/**
 * The two install routes. Every install and every refusal is audited (never a token: the audit names
 * the workspace, the installer and the scopes).
 */
export function createInstallEndpoints(deps: OAuthDeps): {
  install(request: HttpRequest): Promise<HttpResponse>;
  redirect(request: HttpRequest): Promise<HttpResponse>;
} {
  const installer = createInstaller(deps);
  const notSetUp = async (): Promise<HttpResponse> => ({
    status: 404,
    headers: { 'content-type': 'text/plain' },
    body: 'This Hivewire is not set up for installing in other workspaces (SLACK_CLIENT_ID).',
  });
  if (!installer) return { install: notSetUp, redirect: notSetUp };
  const audit = (action: string, details: Record<string, unknown>) =>
    deps.store.appendAudit({
      fingerprint: INSTALLATIONS_AUDIT_KEY,
      actor: { kind: 'system' },
      action,
      details,
    });

  return {
    async install(request) {
      const res = new RecordedResponse();
      await installer.handleInstallPath(incomingOf(request), res as unknown as ServerResponse);
      return res.answer();
    },
    async redirect(request) {
      const res = new RecordedResponse();
      await installer.handleCallback(incomingOf(request), res as unknown as ServerResponse, {
        successAsync: async (installation, _options, _req, response) => {
          await audit('slack-installed', {
            team: installation.team?.id,
            enterprise: installation.enterprise?.id,
            orgWide: Boolean(installation.isEnterpriseInstall),
            installer: installation.user.id,
            botUser: installation.bot?.userId,
            scopes: installation.bot?.scopes,
          });
          deps.logger.info('slack app installed', {
            team: installation.team?.id,
            enterprise: installation.enterprise?.id,
          });
          page(
            200,
            'Hivewire is installed',
            `Hivewire now posts alerts in ${installedTeam(installation)}.`,
          )(response);
        },
        failureAsync: async (error: CodedError, _options, _req, response) => {
          await audit('slack-install-refused', { code: error.code, reason: error.message });
          deps.logger.warn('slack install refused', { code: error.code, reason: error.message });
          page(
            400,
            'Hivewire was not installed',
            `${error.code}: the install was refused. Start again from ${INSTALL_PATH}.`,
          )(response);
        },
      });
      return res.answer();
    },
  };
}

/** Where the audit trail keeps installs and uninstalls (audit events are keyed like alerts). */
export const INSTALLATIONS_AUDIT_KEY = 'slack-installations';
