/**
 * The Webex REST stand-in, `/sandbox/webex/v1/<resource>`: the subset Hivewire and the console use
 * (messages, attachment actions, people, rooms, webhooks), JSON in and out, the token in
 * `Authorization: Bearer`, Webex's statuses and error body (`{message, errors, trackingId}`, the
 * tracking id also in the `trackingid` header). The semantics live in `webex-space.ts`.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, requestTarget, RequestBodyTooLargeError, sendJson } from './http';
import { WebexApiError, WebexSpace, type WebexPersonRecord } from './webex-space';

export const WEBEX_API_PATH = '/sandbox/webex/v1/';

/** Webex refuses bodies over about 1 MB. */
const MAX_BODY_BYTES = 1024 * 1024;

function sendError(res: ServerResponse, status: number, message: string): void {
  const trackingId = `SANDBOX_${randomUUID()}`;
  sendJson(
    res,
    status,
    { message, errors: [{ description: message }], trackingId },
    { trackingid: trackingId },
  );
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const text = await readBody(req, MAX_BODY_BYTES);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new WebexApiError(400, 'Unable to parse the request body as JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new WebexApiError(400, 'The request body must be a JSON object');
  return parsed as Record<string, unknown>;
}

/** The message as the API shows it (the edit count is the sandbox's own bookkeeping). */
function shownMessage(message: ReturnType<WebexSpace['message']>) {
  const { edits: _edits, ...shown } = message;
  return shown;
}

function shownPerson(person: WebexPersonRecord) {
  const { token: _token, ...shown } = person;
  return shown;
}

type Route = (
  caller: WebexPersonRecord,
  req: IncomingMessage,
  query: URLSearchParams,
  id: string | undefined,
) => Promise<[number, unknown]>;

function routes(space: WebexSpace): Record<string, Route> {
  return {
    'POST messages': async (caller, req) => [
      200,
      shownMessage(space.createMessage(caller, await jsonBody(req))),
    ],
    'GET messages/:id': async (_caller, _req, _query, id) => [200, shownMessage(space.message(id!))],
    'PUT messages/:id': async (caller, req, _query, id) => [
      200,
      shownMessage(space.editMessage(caller, id!, await jsonBody(req))),
    ],
    'DELETE messages/:id': async (caller, _req, _query, id) => {
      space.deleteMessage(caller, id!);
      return [204, undefined];
    },
    'POST attachment/actions': async (caller, req) => [200, space.submitCard(caller, await jsonBody(req))],
    'GET attachment/actions/:id': async (caller, _req, _query, id) => [
      200,
      space.attachmentAction(caller, id!),
    ],
    'GET people/me': async (caller) => [200, shownPerson(caller)],
    'GET people': async (_caller, _req, query) => {
      const email = query.get('email');
      if (!email) throw new WebexApiError(400, 'Email, displayName, or id list should be specified.');
      return [200, { items: space.peopleByEmail(email).map(shownPerson) }];
    },
    'GET people/:id': async (_caller, _req, _query, id) => [200, shownPerson(space.person(id!))],
    'GET rooms': async (caller, _req, query) => {
      const type = query.get('type');
      const rooms = space.roomsOf(caller).filter((room) => !type || room.type === type);
      return [200, { items: rooms.map(WebexSpace.shownRoom) }];
    },
    'GET rooms/:id': async (caller, _req, _query, id) => [200, WebexSpace.shownRoom(space.room(id!, caller))],
    'GET webhooks': async (caller) => [200, { items: space.webhooks(caller).map(WebexSpace.shown) }],
    'POST webhooks': async (caller, req) => [
      200,
      WebexSpace.shown(space.createWebhook(caller, await jsonBody(req))),
    ],
    'PUT webhooks/:id': async (caller, req, _query, id) => [
      200,
      WebexSpace.shown(space.updateWebhook(caller, id!, await jsonBody(req))),
    ],
    'DELETE webhooks/:id': async (caller, _req, _query, id) => {
      space.deleteWebhook(caller, id!);
      return [204, undefined];
    },
  };
}

/** The route for `method` and the path below `/v1/`, with the id it names. */
function match(
  table: Record<string, Route>,
  method: string,
  path: string,
): [Route, string | undefined] | undefined {
  const exact = table[`${method} ${path}`];
  if (exact) return [exact, undefined];
  const cut = path.lastIndexOf('/');
  if (cut < 0) return undefined;
  const route = table[`${method} ${path.slice(0, cut)}/:id`];
  return route ? [route, decodeURIComponent(path.slice(cut + 1))] : undefined;
}

/** Serves `/sandbox/webex/v1/…`; resolves false for any other path. */
export function createWebexApi(space: WebexSpace) {
  const table = routes(space);
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { path, query } = requestTarget(req);
    if (!path.startsWith(WEBEX_API_PATH)) return false;
    const found = match(table, req.method ?? 'GET', path.slice(WEBEX_API_PATH.length).replace(/\/+$/, ''));
    if (!found) {
      sendError(res, 404, 'The requested resource could not be found.');
      return true;
    }
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const caller = token === undefined ? undefined : space.personByToken(token);
    if (!caller) {
      sendError(
        res,
        401,
        'The request requires a valid access token set in the Authorization request header.',
      );
      return true;
    }
    try {
      const [status, body] = await found[0](caller, req, query, found[1]);
      space.flush();
      if (status === 204) {
        res.writeHead(204).end();
      } else {
        sendJson(res, status, body);
      }
    } catch (error) {
      if (error instanceof WebexApiError) sendError(res, error.status, error.message);
      else if (error instanceof RequestBodyTooLargeError) sendError(res, 413, 'Request entity too large');
      else throw error;
    }
    return true;
  };
}
