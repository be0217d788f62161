/**
 * Fuzzing every route that reads a body, over real HTTP into the local server (the real Bolt app for
 * Slack, with signed requests): deep nesting, huge strings, bytes that are not UTF-8, hostile keys
 * (`__proto__`, `constructor`, very long ones), in bodies shaped like what each route expects and in
 * arbitrary ones. Every request is properly authenticated, so the body is really parsed. Whatever is
 * sent: never a 5xx, never a 401, and every 4xx leaves a dead letter. Bounded and seeded, so the
 * suite stays deterministic.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { MAX_BODY_BYTES } from '../../src/http/request';
import type { DeadLetter } from '../../src/store/store';
import { sandboxSlackHeaders, startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

// Fixed, so the suite is deterministic; FUZZ_SEED and FUZZ_RUNS explore further by hand.
const SEED = Number(process.env.FUZZ_SEED ?? 20261204);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const GUARDDUTY_EVENT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
  'utf8',
);
const MOZDEF_ALERT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'siem', 'mozdef-alert-ssh-sensitive-host.json'),
  'utf8',
);

let product: InProcessSandbox;

// No nock: the product talks only to its own sandbox stand-ins on 127.0.0.1.
beforeAll(async () => {
  product = await startInProcessSandbox();
});

afterAll(async () => {
  await product?.close();
});

const hostileKey = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'title', 'type'),
  fc.string({ maxLength: 12 }),
  fc.integer({ min: 1_000, max: 20_000 }).map((length) => 'k'.repeat(length)),
);

const hostileString = fc.oneof(
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.constantFrom(
    '<!channel> <@U0BOSS> <https://evil.example|Open in TheHive>',
    'invoice\u202Efdp.exe',
    'adm\u200Bin \uFEFF \u2066x\u2069',
    'https://3232235777/login www.evil.example',
    '`*_~>#|[x](javascript:alert(1))',
    '\u0000\r\n\u2028',
    '\uD800 lone surrogate',
  ),
  fc.integer({ min: 10_000, max: 150_000 }).map((length) => 'A\u202E'.repeat(length / 2)),
);

const deepArray = fc
  .integer({ min: 400, max: 10_000 })
  .map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

/** JSON text (built as text, so `__proto__` stays an own key and duplicate keys are possible). */
const { value: hostileJson } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    hostileString.map((text) => JSON.stringify(text)),
    fc.constantFrom('1', '-0', '1e400', 'true', 'null', '""'),
    deepArray,
    tie('array'),
    tie('object'),
  ),
  array: fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(',')}]`),
  object: fc
    .array(fc.tuple(hostileKey, tie('value')), { maxLength: 3 })
    .map((entries) => `{${entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(',')}}`),
}));

/** Hostile members appended to an object's text (later duplicates win, so they override fields). */
const hostileMembers = fc
  .array(
    fc.tuple(
      fc.oneof(hostileKey, fc.constantFrom('title', 'description', 'summary', 'user', 'text', 'value')),
      // Deep arrays often, so some land in a field nothing validates and ride along as `raw`.
      fc.oneof(hostileJson as fc.Arbitrary<string>, deepArray),
    ),
    { minLength: 1, maxLength: 3 },
  )
  .map((entries) => entries.map(([key, value]) => `${JSON.stringify(key)}:${value}`).join(','));

/**
 * `members` added to the object's text: at its end, or (`inner`) at the end of the last object nested
 * in it, such as a GuardDuty event's `detail`, where a finding's fields (and its `raw`) come from.
 */
function withMembers(objectText: string, members: string, inner: boolean): string {
  const trimmed = objectText.trimEnd();
  const nested = /\}\s*\}$/.exec(trimmed);
  const at = inner && nested ? nested.index : trimmed.length - 1;
  return `${trimmed.slice(0, at)},${members}${trimmed.slice(at)}`;
}

/** Bytes that are not UTF-8 put in at a few places, or none. */
const corruption = fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 3 });

function corrupt(text: string, at: [number, number][]): Buffer {
  let bytes = Buffer.from(text, 'utf8');
  for (const [position, byte] of at) {
    const index = position % (bytes.length + 1);
    bytes = Buffer.concat([bytes.subarray(0, index), Buffer.from([byte]), bytes.subarray(index)]);
  }
  return bytes;
}

/** A body shaped like `shape` with hostile members, or arbitrary hostile JSON; maybe corrupted. */
function bodies(shapes: string[]): fc.Arbitrary<Buffer> {
  const text = fc.oneof(
    fc
      .tuple(fc.constantFrom(...shapes), hostileMembers, fc.boolean())
      .map(([shape, members, inner]) => withMembers(shape, members, inner)),
    hostileJson as fc.Arbitrary<string>,
  );
  return fc.tuple(text, corruption).map(([json, at]) => corrupt(json, at));
}

async function post(path: string, headers: Record<string, string>, body: Buffer) {
  const response = await fetch(`${product.server.url}${path}`, { method: 'POST', headers, body });
  return { status: response.status, text: await response.text() };
}

/** Sends one body and checks the answer: below 500, not 401, and a 4xx keeps a dead letter. */
async function sendAndCheck(route: string, send: () => Promise<{ status: number; text: string }>) {
  // The real store keeps every letter; the spy only counts them (listing them all each time would
  // make the run slower with every letter kept).
  const keeping = jest.spyOn(product.runtime.deps.store, 'putDeadLetter');
  try {
    const { status, text } = await send();
    const kept = await Promise.all(keeping.mock.results.map((result) => result.value as Promise<DeadLetter>));
    const context = `${route} answered ${status} ${text.slice(0, 200)}`;
    expect({ context, serverError: status >= 500, unauthorized: status === 401 }).toEqual({
      context,
      serverError: false,
      unauthorized: false,
    });
    if (status >= 400) expect({ context, kept: kept.length > 0 }).toEqual({ context, kept: true });
  } finally {
    keeping.mockRestore();
  }
}

const bearer = (secret: string) => ({
  authorization: `Bearer ${secret}`,
  'content-type': 'application/json',
});

const RUN_OPTIONS = { seed: SEED, numRuns: RUNS, endOnFailure: true } as const;
// Huge strings make some bodies large; the local server refuses bodies over 1 MiB before reading
// them (a 413 that cannot be kept, tested on its own in hostile-bodies.test.ts).
const fits = (body: Buffer) => body.length <= MAX_BODY_BYTES;

/** Sends `RUNS` generated requests to `path` and checks each answer. */
async function fuzzRoute(
  path: string,
  requests: fc.Arbitrary<{ body: Buffer; headers: Record<string, string> }>,
) {
  await fc.assert(
    fc.asyncProperty(requests, async ({ body, headers }) => {
      fc.pre(fits(body));
      await sendAndCheck(path, () => post(path, headers, body));
    }),
    RUN_OPTIONS,
  );
}

/** `bodies` sent with `headers`. */
function withHeaders(generated: fc.Arbitrary<Buffer>, headers: Record<string, string>) {
  return generated.map((body) => ({ body, headers }));
}

describe('fuzzing the routes (seeded, bounded)', () => {
  jest.setTimeout(120_000);

  it('POST /ingest: never a 5xx, every rejection kept', async () => {
    await fuzzRoute(
      '/ingest',
      withHeaders(
        bodies([GUARDDUTY_EVENT, MOZDEF_ALERT, '{"detail-type":"GuardDuty Finding"}']),
        bearer(SANDBOX_DEFAULTS.ingestSecret),
      ),
    );
  });

  it('POST /thehive/webhook: never a 5xx, every rejection kept', async () => {
    const caseUpdate = JSON.stringify({
      _id: '~900',
      action: 'update',
      objectType: 'Case',
      objectId: '~123',
      rootId: '~123',
      requestId: 'req-1',
      details: { status: 'InProgress' },
      object: {
        _id: '~123',
        _type: 'Case',
        number: 42,
        title: 'x',
        status: 'InProgress',
        stage: 'InProgress',
      },
      organisation: { organisationId: '~4096', organisation: 'SOC' },
    });
    await fuzzRoute(
      '/thehive/webhook',
      withHeaders(bodies([caseUpdate]), bearer(SANDBOX_DEFAULTS.theHiveWebhookSecret)),
    );
  });

  it('POST /triage: never a 5xx, every rejection kept', async () => {
    const request = JSON.stringify({
      identifier: '9Zo02m4B7gIfixq3c4Xh',
      alert: 'duo_bypass_codes_generated',
      identityConfidence: 'lowest',
      summary: 'DUO bypass codes have been generated for your account.',
      user: 'jdoe@example.com',
    });
    await fuzzRoute('/triage', withHeaders(bodies([request]), bearer(SANDBOX_DEFAULTS.ingestSecret)));
  });

  it('POST /slack/events, signed (events, interactions, commands): never a 5xx, every rejection kept', async () => {
    const mention = JSON.stringify({
      type: 'event_callback',
      team_id: 'T0SANDBOX',
      api_app_id: 'A0HIVEWIRE',
      event_id: 'Ev0FUZZ',
      event_time: 1,
      event: {
        type: 'app_mention',
        user: 'U0ALICE',
        text: '<@U0HIVEWIRE> help',
        channel: 'C0SANDBOX',
        ts: '1.2',
      },
    });
    const click = JSON.stringify({
      type: 'block_actions',
      team: { id: 'T0SANDBOX' },
      user: { id: 'U0ALICE' },
      api_app_id: 'A0HIVEWIRE',
      container: { type: 'message', channel_id: 'C0SANDBOX', message_ts: '1.2' },
      actions: [
        {
          type: 'button',
          action_id: 'hivewire.create_case',
          block_id: 'b',
          value: 'gd-none',
          action_ts: '1',
        },
      ],
    });
    const asForm = fc
      .tuple(bodies([click, mention]), fc.boolean())
      .map(([json, command]) =>
        command
          ? Buffer.concat([Buffer.from('command=%2Fhivewire&team_id=T0SANDBOX&user_id=U0ALICE&text='), json])
          : Buffer.concat([
              Buffer.from('payload='),
              Buffer.from(encodeURIComponent(json.toString('latin1'))),
            ]),
      );
    const requests = fc.oneof(
      bodies([mention, click]).map((body) => ({ body, type: 'application/json' })),
      asForm.map((body) => ({ body, type: 'application/x-www-form-urlencoded' })),
    );
    await fuzzRoute(
      '/slack/events',
      requests.map(({ body, type }) => ({ body, headers: sandboxSlackHeaders(body, type) })),
    );
  });
});
