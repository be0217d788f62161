/**
 * Installing Hivewire in many Slack workspaces (OAuth v2), with @slack/oauth's InstallProvider doing
 * the protocol: `GET /slack/install` answers an "Add to Slack" page that sets the state cookie and links
 * Slack's authorize URL with exactly the manifest's bot scopes and a signed `state`;
 * `GET /slack/oauth_redirect` checks that state (signature, age, this browser's cookie, first use),
 * exchanges the code with `oauth.v2.access` and keeps the installation, encrypted, in the store.
 * The routes themselves are src/http/endpoints/slack-install.ts.
 */
import { createHash } from 'node:crypto';
import {
  ClearStateStore,
  InstallProvider,
  InvalidStateError,
  type InstallURLOptions,
  type StateStore,
} from '@slack/oauth';
import type { Config, SlackOAuthConfig } from '../config/config';
import type { Deps } from '../wiring/deps';
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

export type OAuthDeps = Pick<Deps, 'store' | 'now' | 'logger' | 'config'>;

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

/** Text for an HTML page (the pages here show product text and Slack's workspace name). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
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

/** Where the audit trail keeps installs and uninstalls (audit events are keyed like alerts). */
export const INSTALLATIONS_AUDIT_KEY = 'slack-installations';
