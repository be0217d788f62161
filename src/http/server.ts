/**
 * The local server (`hivewire serve`): the product's HTTP routes on one port, plus the sandbox
 * stand-ins and console when no Slack token is configured. Each route hands the request, read into
 * the product's own request type, to the same endpoint module the Lambda handlers use (src/http/routes.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SocketModeReceiver } from '@slack/bolt';
import type { LocalRuntime } from '../local/runtime';
import { createSlackApp } from '../slack/app';
import { bodyFromBytes, jsonResponse, MAX_BODY_BYTES, type HttpResponse } from './request';
import { createRoutes } from './routes';
import { errorMessage } from '../observability/logger';

/** How often the local reconcile timer asks TheHive for changes the webhooks missed. */
export const RECONCILE_INTERVAL_MS = 5 * 60 * 1000;

export interface Mountable {
  /** Serves the request when it is one of its routes; resolves false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

class BodyTooLargeError extends Error {}

/**
 * Reads the body, up to MAX_BODY_BYTES. Past that (or when Content-Length says so) it rejects with
 * BodyTooLargeError but keeps draining what the client still sends, so the connection is not reset
 * under the client before it reads the 413.
 */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    let tooLarge = declared > MAX_BODY_BYTES;
    if (tooLarge) reject(new BodyTooLargeError());
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      tooLarge = true;
      chunks.length = 0;
      reject(new BodyTooLargeError());
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: HttpResponse): void {
  res.writeHead(response.status, response.headers ?? {});
  res.end(response.body);
}

/**
 * The 413 for a body the server stopped reading: the rest of it is still on the connection, so the
 * connection cannot carry another request. `Connection: close` tells a pooling client so, and the
 * server closes it once the answer is out.
 */
function refuseOversizedBody(res: ServerResponse): void {
  send(res, {
    status: 413,
    headers: { 'content-type': 'application/json', connection: 'close' },
    body: JSON.stringify({ error: `body: larger than ${MAX_BODY_BYTES} bytes` }),
  });
}

/** Routes a request to the product's endpoints. */
export function createRouter(runtime: LocalRuntime) {
  const { deps } = runtime;
  const routes = createRoutes(runtime);

  return async (req: IncomingMessage, res: ServerResponse, mounted: Mountable[]): Promise<void> => {
    const [path = '/', query] = (req.url ?? '/').split('?', 2);
    const route = routes[`${req.method} ${path}`];
    try {
      if (!route) {
        for (const mount of mounted) if (await mount.handle(req, res)) return;
        send(res, jsonResponse(404, { error: 'not found' }));
        return;
      }
      const body = bodyFromBytes(await readBody(req));
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers))
        headers[key] = Array.isArray(value) ? value.join(',') : value;
      send(res, await route({ method: req.method ?? 'GET', path, query, headers, ...body }));
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        refuseOversizedBody(res);
        return;
      }
      deps.logger.error('request failed', {
        path,
        error: errorMessage(error),
      });
      if (!res.headersSent) send(res, jsonResponse(500, { error: 'internal error' }));
    }
  };
}

/**
 * Starts the HTTP server (and Socket Mode when `SLACK_APP_TOKEN` is set) and the reconcile timer.
 */
export async function startServer(
  runtime: LocalRuntime,
  options: { port: number; host?: string; mounted?: Mountable[]; reconcileEveryMs?: number },
): Promise<RunningServer> {
  const { deps } = runtime;
  const route = createRouter(runtime);
  const mounted = options.mounted ?? [];
  const server = createServer((req, res) => void route(req, res, mounted));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let socketApp: ReturnType<typeof createSlackApp> | undefined;
  if (deps.config.slack.appToken) {
    socketApp = createSlackApp(new SocketModeReceiver({ appToken: deps.config.slack.appToken }), deps);
    await socketApp.start();
  }

  const interval = options.reconcileEveryMs ?? RECONCILE_INTERVAL_MS;
  const timer =
    interval > 0
      ? setInterval(() => {
          void deps.queue.enqueue({ kind: 'reconcile', requestedAt: deps.now().toISOString() });
        }, interval)
      : undefined;
  timer?.unref();

  return {
    server,
    port,
    url: `http://127.0.0.1:${port}`,
    async close() {
      if (timer) clearInterval(timer);
      await socketApp?.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
