/**
 * Hostile bodies on every route of the local server, over real HTTP: a body nested past the limit is
 * answered 400 naming the limit and kept as a dead letter; a finding nested just under it goes
 * through; a 413 that leaves the rest of the body unread closes the connection, so a pooled
 * client's next request goes out on a fresh one.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { MAX_JSON_DEPTH } from '../../src/validation/json';
import type { DeadLetter } from '../../src/store/store';
import { sandboxSlackHeaders, startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

const GUARDDUTY_EVENT = JSON.parse(
  readFileSync(
    join(__dirname, '..', '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
    'utf8',
  ),
) as { detail: { service: Record<string, unknown> } };

let product: InProcessSandbox;

// No nock here: it replaces node:http's client, and the keep-alive test needs the real agent. The
// sandbox product talks only to its own stand-ins on 127.0.0.1.
beforeAll(async () => {
  product = await startInProcessSandbox();
});

afterAll(async () => {
  await product?.close();
});

/** A valid GuardDuty event whose finding carries an array nested `depth` levels deep (kept as `raw`). */
function findingNested(depth: number): string {
  const event = JSON.stringify(GUARDDUTY_EVENT);
  const marker = '"additionalInfo"';
  const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
  expect(event).toContain(marker);
  return event.replace(marker, `"hostile":${deep},${marker}`);
}

function nested(depth: number): string {
  return `{"a":${'['.repeat(depth - 1)}${']'.repeat(depth - 1)}}`;
}

type Sent = { status: number; headers: Headers; body: string };

async function post(path: string, headers: Record<string, string>, body: string): Promise<Sent> {
  const response = await fetch(`${product.server.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, headers: response.headers, body: await response.text() };
}

const BEARER_INGEST = { authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}` };
const BEARER_WEBHOOK = { authorization: `Bearer ${SANDBOX_DEFAULTS.theHiveWebhookSecret}` };

/** Runs `send` and gives its answer and the dead letters kept meanwhile. */
async function keptBy<T>(send: () => Promise<T>): Promise<{ answer: T; kept: DeadLetter[] }> {
  const store = product.runtime.deps.store;
  const before = new Set((await store.listDeadLetters(10_000)).map((letter) => letter.id));
  const answer = await send();
  const kept = (await store.listDeadLetters(10_000)).filter((letter) => !before.has(letter.id));
  return { answer, kept };
}

const TOO_DEEP = MAX_JSON_DEPTH + 1;
const ROUTES: [string, (body: string) => Promise<Sent>, string][] = [
  ['/ingest', (body) => post('/ingest', BEARER_INGEST, body), 'rejected-ingest'],
  ['/thehive/webhook', (body) => post('/thehive/webhook', BEARER_WEBHOOK, body), 'rejected-webhook'],
  ['/triage', (body) => post('/triage', BEARER_INGEST, body), 'rejected-triage'],
  [
    '/slack/events (JSON)',
    (body) => post('/slack/events', sandboxSlackHeaders(body, 'application/json'), body),
    'rejected-slack',
  ],
  [
    '/slack/events (form payload)',
    (body) => {
      const form = `payload=${encodeURIComponent(body)}`;
      return post('/slack/events', sandboxSlackHeaders(form, 'application/x-www-form-urlencoded'), form);
    },
    'rejected-slack',
  ],
];

describe('a body nested past the limit', () => {
  it('on /ingest, a valid finding carrying an array 5,000 levels deep: 400 naming the limit, kept', async () => {
    const body = findingNested(5000);
    const { answer, kept } = await keptBy(() => post('/ingest', BEARER_INGEST, body));
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toEqual({ error: 'body: nested deeper than 512 levels' });
    expect(kept).toMatchObject([
      { kind: 'rejected-ingest', error: 'body: nested deeper than 512 levels', payload: body },
    ]);
  });

  it.each(ROUTES)('on %s: 400 naming the limit, kept as a dead letter', async (_route, send, kind) => {
    const { answer, kept } = await keptBy(() => send(nested(TOO_DEEP)));
    expect(answer.status).toBe(400);
    const { error } = JSON.parse(answer.body) as { error: string };
    expect(error).toMatch(/^(body|payload): nested deeper than 512 levels$/);
    expect(kept).toMatchObject([{ kind, error }]);
  });

  it('a huge one is kept cut, within the store item limit', async () => {
    const body = `{"pad":"${'x'.repeat(900 * 1024)}","deep":${nested(TOO_DEEP)}}`;
    const { answer, kept } = await keptBy(() => post('/thehive/webhook', BEARER_WEBHOOK, body));
    expect(answer.status).toBe(400);
    expect(kept.map((letter) => letter.payload)).toEqual([body.slice(0, 64 * 1024)]);
  });
});

describe('a finding nested just under the limit', () => {
  it('is accepted (202) and posted: its job serialises', async () => {
    const response = await post('/ingest', BEARER_INGEST, findingNested(MAX_JSON_DEPTH - 10));
    expect(response.status).toBe(202);
    const { fingerprints } = JSON.parse(response.body) as { fingerprints: string[] };
    await product.runtime.queue.drain();
    const alert = await product.runtime.deps.store.getAlert(fingerprints[0]!);
    expect(alert?.ts).toEqual(expect.any(String));
  });
});

describe('a body over 1 MiB', () => {
  /** One request on `agent`, body written in full; resolves with the answer (or the socket error). */
  function send(agent: Agent, path: string, body: Buffer | undefined) {
    return new Promise<{ status?: number; connection?: string; text?: string; error?: string }>((done) => {
      const req = request(
        `${product.server.url}${path}`,
        { agent, method: body ? 'POST' : 'GET', headers: BEARER_INGEST },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => done({ status: res.statusCode, connection: res.headers.connection, text }));
        },
      );
      req.on('error', (error) => done({ error: error.message }));
      req.end(body);
    });
  }

  it.each([
    ['with Content-Length', false],
    ['chunked', true],
  ])('%s: 413 with Connection: close, and the next request on the pool succeeds', async (_name, chunked) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await send(agent, '/healthz', undefined)).toMatchObject({
        status: 200,
        connection: 'keep-alive',
      });
      const huge = Buffer.alloc(2 * 1024 * 1024, 'x');
      const refused = chunked
        ? await new Promise<Awaited<ReturnType<typeof send>>>((done) => {
            const req = request(
              `${product.server.url}/ingest`,
              { agent, method: 'POST', headers: { ...BEARER_INGEST, 'transfer-encoding': 'chunked' } },
              (res) => {
                res.resume();
                res.on('end', () => done({ status: res.statusCode, connection: res.headers.connection }));
              },
            );
            req.on('error', (error) => done({ error: error.message }));
            for (let i = 0; i < 8; i += 1) req.write(huge.subarray(i * 262_144, (i + 1) * 262_144));
            req.end();
          })
        : await send(agent, '/ingest', huge);
      expect(refused).toMatchObject({ status: 413, connection: 'close' });
      if (refused.text !== undefined)
        expect(JSON.parse(refused.text)).toEqual({ error: 'body: larger than 1048576 bytes' });
      expect(await send(agent, '/healthz', undefined)).toMatchObject({ status: 200 });
    } finally {
      agent.destroy();
    }
  });
});
