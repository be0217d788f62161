/**
 * `GET /slack/install` and `GET /slack/oauth_redirect`, the same in AWS and locally: @slack/oauth's
 * InstallProvider (src/slack/oauth.ts) answers them. The provider reads and writes Node's http request
 * and response, so it gets ones of that shape built from the product's plain request here, and what it
 * writes becomes the route's answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CodedError, Installation, OrgInstallation } from '@slack/oauth';
import {
  createInstaller,
  escapeHtml,
  INSTALL_PATH,
  INSTALLATIONS_AUDIT_KEY,
  type OAuthDeps,
} from '../../slack/oauth';
import type { HttpRequest, HttpResponse } from '../request';

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

function page(status: number, title: string, text: string): (res: ServerResponse) => void {
  return (res) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
        `<body><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></body></html>`,
    );
  };
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
