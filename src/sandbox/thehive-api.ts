/**
 * The TheHive 5 API v1 stand-in, mounted at `/sandbox/thehive` (so `THEHIVE_URL` is
 * `<publicUrl>/sandbox/thehive`): the endpoints Hivewire's TheHive client uses, with TheHive's
 * statuses and `{type, message}` errors, behind `Authorization: Bearer <API key>`. A case's web page
 * (`/cases/<id>/details`, the link Hivewire shows) opens the case in the console.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, requestTarget, RequestBodyTooLargeError, sendJson } from './http';
import { badRequest, TheHiveApiError } from './thehive-error';
import { SANDBOX_API_USER, type SandboxTheHive } from './thehive-instance';

const THEHIVE_PATH = '/sandbox/thehive';

/** TheHive's default `play.http.parser.maxMemoryBuffer` (attachments aside). */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface TheHiveApiOptions {
  theHive: SandboxTheHive;
  apiKey: string;
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Answers [status, body]; a body of undefined means no content (204). */
  run(params: string[], body: unknown, res: ServerResponse): [number, unknown];
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The organisation a request acts in: its `X-Organisation`, else the API user's own. */
function organisationOf(req: IncomingMessage): string | undefined {
  const header = req.headers['x-organisation'];
  return typeof header === 'string' && header.trim() ? header.trim() : undefined;
}

/** Builds the handler for `/sandbox/thehive/...`; resolves false for any other path. */
export function createTheHiveApi(options: TheHiveApiOptions) {
  const { theHive, apiKey } = options;
  const actor = SANDBOX_API_USER;

  const routes: Route[] = [
    {
      method: 'POST',
      pattern: /^\/api\/v1\/alert$/,
      run: (_, body) => [201, theHive.createAlert(body, actor)],
    },
    { method: 'GET', pattern: /^\/api\/v1\/alert\/([^/]+)$/, run: ([id]) => [200, theHive.getAlert(id!)] },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/alert\/([^/]+)\/case$/,
      // The case belongs to the organisation the request acts in (X-Organisation), for its notifications.
      run: ([id], body, res) => [201, theHive.promoteAlert(id!, body, actor, organisationOf(res.req))],
    },
    { method: 'GET', pattern: /^\/api\/v1\/case\/([^/]+)$/, run: ([id]) => [200, theHive.getCase(id!)] },
    {
      method: 'PATCH',
      pattern: /^\/api\/v1\/case\/([^/]+)$/,
      run: ([id], body) => {
        theHive.updateCase(id!, body, actor);
        return [204, undefined];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/case\/([^/]+)\/observable$/,
      run: ([id], body) => [201, theHive.addObservables(id!, body, actor)],
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/case\/([^/]+)\/comment$/,
      run: ([id], body) => [201, theHive.addComment(id!, body, actor)],
    },
    {
      method: 'PATCH',
      pattern: /^\/api\/v1\/comment\/([^/]+)$/,
      run: ([id], body) => {
        theHive.updateComment(id!, body, actor);
        return [204, undefined];
      },
    },
    {
      method: 'DELETE',
      pattern: /^\/api\/v1\/comment\/([^/]+)$/,
      run: ([id]) => {
        theHive.deleteComment(id!, actor);
        return [204, undefined];
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/v1\/query$/,
      run: (_, body, res) => {
        const { result, total } = theHive.query(body);
        if (total !== undefined) res.setHeader('X-Total', String(total));
        return [200, result];
      },
    },
  ];

  function authenticated(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    return header.startsWith('Bearer ') && sameSecret(header.slice(7).trim(), apiKey);
  }

  async function parseBody(req: IncomingMessage): Promise<unknown> {
    const raw = await readBody(req, MAX_BODY_BYTES);
    if (!raw.trim()) return undefined;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      throw badRequest('Invalid Json');
    }
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { path: fullPath } = requestTarget(req);
    if (fullPath !== THEHIVE_PATH && !fullPath.startsWith(`${THEHIVE_PATH}/`)) return false;
    const path = fullPath.slice(THEHIVE_PATH.length);
    const method = req.method ?? 'GET';

    const casePage = /^\/cases\/([^/]+)\/details$/.exec(path);
    if (method === 'GET' && casePage) {
      res.writeHead(302, { location: `/#/thehive/${casePage[1]}` });
      res.end();
      return true;
    }
    if (method === 'GET' && path === '/api/v1/status/public') {
      sendJson(res, 200, { version: '5.5.0-sandbox', sso: false, ssoProviders: [], imports: [] });
      return true;
    }
    if (!authenticated(req)) {
      sendJson(res, 401, { type: 'AuthenticationError', message: 'Authentication failure' });
      return true;
    }
    try {
      for (const route of routes) {
        const match = route.method === method ? route.pattern.exec(path) : null;
        if (!match) continue;
        const params = match.slice(1).map((param) => decodeURIComponent(param));
        const body = method === 'GET' || method === 'DELETE' ? undefined : await parseBody(req);
        const [status, answer] = route.run(params, body, res);
        // What TheHive acknowledged exists, even if this process is killed right after: saved before answering.
        theHive.flush();
        if (answer === undefined) {
          res.writeHead(status);
          res.end();
        } else sendJson(res, status, answer);
        return true;
      }
      sendJson(res, 404, { type: 'NotFoundError', message: `${method} ${path} not found` });
    } catch (error) {
      if (error instanceof TheHiveApiError) sendJson(res, error.status, error.toBody());
      else if (error instanceof RequestBodyTooLargeError)
        sendJson(res, 413, { type: 'BadRequest', message: 'Request entity too large' });
      else if (error instanceof URIError) sendJson(res, 400, badRequest('Invalid path encoding').toBody());
      else throw error;
    }
    return true;
  };
}
