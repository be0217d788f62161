/**
 * Real HTTP servers on 127.0.0.1 for the sandbox tests: one serving a sandbox handler, one recording
 * what the sandbox sends (signed interactions, webhooks, ingest calls).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalServer {
  url: string;
  close(): Promise<void>;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** Serves `handle`; paths it does not serve answer 404. */
export async function serveHandler(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<boolean>,
): Promise<LocalServer> {
  const server = createServer((req, res) => {
    handle(req, res)
      .then((served) => {
        if (!served) {
          res.writeHead(404);
          res.end();
        }
      })
      .catch((error: unknown) => {
        res.writeHead(500);
        res.end(String(error));
      });
  });
  const url = await listen(server);
  return { url, close: () => stop(server) };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Recorder extends LocalServer {
  requests: RecordedRequest[];
  /** Resolves with the next request (or the one already received and not yet taken). */
  next(): Promise<RecordedRequest>;
  /** What the recorder answers next (default 200, empty body). */
  answer: { status: number; body: string; headers?: Record<string, string> };
}

/** Records every request and answers with `recorder.answer`. */
export async function startRecorder(): Promise<Recorder> {
  const waiting: ((request: RecordedRequest) => void)[] = [];
  const unclaimed: RecordedRequest[] = [];
  const recorder = {
    requests: [] as RecordedRequest[],
    answer: { status: 200, body: '' } as Recorder['answer'],
    next(): Promise<RecordedRequest> {
      const ready = unclaimed.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const request: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      recorder.requests.push(request);
      const waiter = waiting.shift();
      if (waiter) waiter(request);
      else unclaimed.push(request);
      res.writeHead(recorder.answer.status, recorder.answer.headers ?? {});
      res.end(recorder.answer.body);
    });
  });
  const url = await listen(server);
  return Object.assign(recorder, { url, close: () => stop(server) });
}
