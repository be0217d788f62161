import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, slackSignature, type Sandbox } from '../../src/sandbox';
import { serveHandler, startRecorder, type LocalServer, type Recorder } from './local-server';

const INGEST_SECRET = 'test-ingest-secret';
const SIGNING_SECRET = 'test-signing-secret';
const WEBHOOK_SECRET = 'test-webhook-secret';
const SAMPLES = [
  { name: 'GuardDuty: SSH brute force', event: { 'detail-type': 'GuardDuty Finding', id: 'sample-1' } },
  { name: 'MozDef: session', event: { summary: 'ssh session', category: 'session' } },
];

let bot: Recorder;
let sandbox: Sandbox;
let server: LocalServer;

beforeEach(async () => {
  bot = await startRecorder();
  bot.answer = {
    status: 202,
    body: '{"fingerprints":["fp-1"]}',
    headers: { 'content-type': 'application/json' },
  };
  server = await serveHandler((req, res) => sandbox.handle(req, res));
  sandbox = createSandbox({
    publicUrl: server.url,
    signingSecret: SIGNING_SECRET,
    theHiveApiKey: 'sandbox',
    webhookSecret: WEBHOOK_SECRET,
    ingestSecret: INGEST_SECRET,
    alertChannel: 'C0SANDBOX',
    samples: SAMPLES,
    botEventsUrl: `${bot.url}/slack/events`,
    theHiveWebhookUrl: `${bot.url}/thehive/webhook`,
    ingestUrl: `${bot.url}/ingest`,
  });
});

afterEach(async () => {
  await sandbox.close();
  await server.close();
  await bot.close();
});

async function consolePost(
  path: string,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/sandbox/console/${path}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function state(user = 'U0ALICE'): Promise<Record<string, unknown>> {
  return (await (await fetch(`${server.url}/sandbox/console/state?user=${user}`)).json()) as Record<
    string,
    unknown
  >;
}

function openCase(): string {
  const alert = sandbox.theHive.createAlert(
    { type: 'hivewire', source: 'guardduty', sourceRef: 'fp-1', title: 'SSH brute force', description: 'd' },
    'hivewire@thehive.local',
  );
  return sandbox.theHive.promoteAlert(alert._id, {}, 'hivewire@thehive.local')._id;
}

describe('the console page', () => {
  it('is served at / with a strict Content-Security-Policy and no inline script', async () => {
    const response = await fetch(`${server.url}/`);
    const html = await response.text();

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(html).toContain('<script src="/sandbox/console/render.js"></script>');
    expect(html).toContain('<script src="/sandbox/console/app.js"></script>');
    expect(html).not.toMatch(/<script>|on(click|load|error)=/);
    for (const testid of [
      'user-picker',
      'timeline',
      'case-panel',
      'case-list',
      'notices',
      'inject-samples',
      'inject-json',
    ])
      expect(html).toContain(`data-testid="${testid}"`);
  });

  it.each([
    ['render.js', 'text/javascript; charset=utf-8'],
    ['app.js', 'text/javascript; charset=utf-8'],
    ['console.css', 'text/css; charset=utf-8'],
  ])('serves %s', async (file, type) => {
    const response = await fetch(`${server.url}/sandbox/console/${file}`);
    expect([response.status, response.headers.get('content-type')]).toEqual([200, type]);
    expect(await response.text()).toBe(
      readFileSync(join(__dirname, '../../src/sandbox/console', file), 'utf8'),
    );
  });

  it('serves its emoji images, cached, and nothing else from the emoji path', async () => {
    const emoji = await fetch(`${server.url}/sandbox/console/emoji/1f534.svg`);
    expect([emoji.status, emoji.headers.get('content-type'), emoji.headers.get('cache-control')]).toEqual([
      200,
      'image/svg+xml',
      'max-age=3600',
    ]);
    expect(await emoji.text()).toMatch(
      /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="36" height="36" viewBox="0 0 36 36">/,
    );
    for (const path of ['emoji/1f984.svg', 'emoji/..%2fapp.js', 'emoji/app.js', 'emoji/1F534.svg'])
      expect((await fetch(`${server.url}/sandbox/console/${path}`)).status).toBe(404);
  });

  it('never uses markup-parsing DOM APIs in its scripts', () => {
    for (const file of ['render.js', 'app.js']) {
      const source = readFileSync(join(__dirname, '../../src/sandbox/console', file), 'utf8');
      expect(source).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function/,
      );
    }
  });
});

describe('the console state', () => {
  it('shows the channel with threads, the reader’s own ephemeral messages and modal, the cases, the sample names', async () => {
    const parent = sandbox.workspace.postMessage({
      channel: 'C0SANDBOX',
      user: 'U0HIVEWIRE',
      botId: 'B0HIVEWIRE',
      content: {
        text: 'alert',
        metadata: { event_type: 'hivewire_alert', event_payload: { fingerprint: 'fp-1' } },
      },
    }).message;
    sandbox.workspace.postMessage({
      channel: 'C0SANDBOX',
      user: 'U0HIVEWIRE',
      content: { text: 'Case #1' },
      threadTs: parent.ts,
    });
    sandbox.workspace.postEphemeral({
      channel: 'C0SANDBOX',
      user: 'U0ALICE',
      content: { text: 'for Alice' },
    });
    sandbox.workspace.postEphemeral({ channel: 'C0SANDBOX', user: 'U0BOB', content: { text: 'for Bob' } });
    sandbox.workspace.openConversation(['U0BOB']);
    openCase();

    const forAlice = await state('U0ALICE');
    const messages = (
      forAlice.messages as Record<string, { text: string; metadata?: unknown; replies: { text: string }[] }[]>
    ).C0SANDBOX!;

    expect(forAlice.alertChannel).toBe('C0SANDBOX');
    expect(messages.map((m) => [m.text, m.replies.map((r) => r.text)])).toEqual([['alert', ['Case #1']]]);
    expect(messages[0]!.metadata).toEqual({
      event_type: 'hivewire_alert',
      event_payload: { fingerprint: 'fp-1' },
    });
    expect((forAlice.ephemerals as { text: string }[]).map((e) => e.text)).toEqual(['for Alice']);
    expect((forAlice.conversations as { id: string }[]).map((c) => c.id)).toEqual(['C0SANDBOX']);
    expect((await state('U0BOB')).conversations).toEqual([
      { id: 'C0SANDBOX', kind: 'channel', name: 'security-alerts' },
      { id: 'D0BOB', kind: 'im', name: 'bob', members: ['U0BOB'] },
    ]);
    expect(forAlice.cases).toEqual([
      expect.objectContaining({ number: 1, title: 'SSH brute force', status: 'New' }),
    ]);
    expect(forAlice.samples).toEqual([
      { index: 0, name: 'GuardDuty: SSH brute force' },
      { index: 1, name: 'MozDef: session' },
    ]);
    const text = JSON.stringify(forAlice);
    for (const secret of [INGEST_SECRET, SIGNING_SECRET, WEBHOOK_SECRET]) expect(text).not.toContain(secret);
  });

  it('announces every change on the event stream', async () => {
    const received: string[] = [];
    let gotTwo!: () => void;
    const two = new Promise<void>((resolve) => (gotTwo = resolve));
    const stream = request(`${server.url}/sandbox/console/events`, (response) => {
      expect(response.headers['content-type']).toBe('text/event-stream');
      response.setEncoding('utf8');
      // An event ends at a blank line; a read may hold part of one, or several.
      let buffered = '';
      response.on('data', (chunk: string) => {
        buffered += chunk;
        const events = buffered.split('\n\n');
        buffered = events.pop()!;
        const before = received.length;
        for (const event of events)
          received.push(...event.split('\n').filter((line) => line.startsWith('data: ')));
        if (before === 0 && received.length >= 1)
          sandbox.workspace.postMessage({
            channel: 'C0SANDBOX',
            user: 'U0HIVEWIRE',
            content: { text: 'new alert' },
          });
        if (received.length >= 2) gotTwo();
      });
    });
    stream.end();

    await two;
    stream.destroy();

    expect(received).toEqual(['data: {"version":0}', 'data: {"version":1}']);
  });
});

describe('console actions', () => {
  it('injects a sample finding through /ingest with the ingest secret, and shows the answer', async () => {
    const result = await consolePost('inject', { sample: 1 });
    const ingest = await bot.next();

    expect(result).toEqual({ status: 200, body: { status: 202, body: { fingerprints: ['fp-1'] } } });
    expect(ingest.path).toBe('/ingest');
    expect(ingest.headers.authorization).toBe(`Bearer ${INGEST_SECRET}`);
    expect(ingest.headers['content-type']).toBe('application/json');
    expect(JSON.parse(ingest.body)).toEqual(SAMPLES[1]!.event);
  });

  it('keeps a notice for each finding /ingest skipped, from Inject, a paste or a sample loaded at start', async () => {
    bot.answer = {
      status: 202,
      body: JSON.stringify({
        fingerprints: ['fp-low'],
        skipped: [
          { index: 0, reason: 'below the severity threshold', fingerprint: 'fp-low', threshold: 'MEDIUM' },
        ],
        rejected: [],
      }),
      headers: { 'content-type': 'application/json' },
    };
    await consolePost('inject', { sample: 0 });
    await sandbox.injectSample(1);
    bot.answer = {
      status: 202,
      body: '{"fingerprints":[],"skipped":[{"index":2,"reason":"detail-type AWS API Call via CloudTrail"}],"rejected":[]}',
      headers: { 'content-type': 'application/json' },
    };
    await consolePost('inject', { raw: '{"detail-type":"AWS API Call via CloudTrail"}' });
    bot.answer = { status: 202, body: '{"fingerprints":["fp-1"],"skipped":[],"rejected":[]}' };
    await consolePost('inject', { sample: 1 });

    const { notices } = (await state()) as { notices: Record<string, unknown>[] };
    const below = {
      index: 0,
      reason: 'below the severity threshold',
      fingerprint: 'fp-low',
      threshold: 'MEDIUM',
    };
    expect(notices.map(({ id: _id, at: _at, ...notice }) => notice)).toEqual([
      { ...below, source: SAMPLES[0]!.name },
      { ...below, source: SAMPLES[1]!.name },
      { index: 2, reason: 'detail-type AWS API Call via CloudTrail', source: 'Pasted event' },
    ]);

    await consolePost('notice/dismiss', { id: notices[0]!.id });
    expect(((await state()) as { notices: unknown[] }).notices).toHaveLength(2);
  });

  it('sends pasted JSON to /ingest as it was pasted', async () => {
    bot.answer = { status: 400, body: '{"error":"body: not JSON"}' };
    const result = await consolePost('inject', { raw: '{"not": "closed"' });
    const ingest = await bot.next();

    expect(ingest.body).toBe('{"not": "closed"');
    expect(result.body).toEqual({ status: 400, body: { error: 'body: not JSON' } });
  });

  it('changes a case in TheHive as the chosen user, which notifies the webhook', async () => {
    const caseId = openCase();
    await bot.next();

    const result = await consolePost('case', {
      caseId,
      userId: 'U0BOB',
      changes: {
        status: 'FalsePositive',
        summary: 'Pen test',
        impactStatus: 'NoImpact',
        assignee: 'alice@example.com',
      },
    });
    const webhook = await bot.next();
    const body = JSON.parse(webhook.body);

    expect(result.body).toEqual({
      details: expect.objectContaining({
        status: 'FalsePositive',
        stage: 'Closed',
        assignee: 'alice@example.com',
      }),
    });
    expect(webhook.headers.authorization).toBe(`Bearer ${WEBHOOK_SECRET}`);
    expect(body).toMatchObject({
      action: 'update',
      objectType: 'Case',
      objectId: caseId,
      _createdBy: 'bob@example.com',
      object: {
        status: 'FalsePositive',
        stage: 'Closed',
        summary: 'Pen test',
        _updatedBy: 'bob@example.com',
      },
    });
  });

  it('answers TheHive’s own error for a change TheHive refuses', async () => {
    const caseId = openCase();
    const result = await consolePost('case', { caseId, userId: 'U0BOB', changes: { status: 'Resolved' } });
    expect(result.status).toBe(400);
    expect(result.body.type).toBe('BadRequest');
  });

  it('posts what a person types in a thread, escaped as the Slack client escapes it', async () => {
    const parent = sandbox.workspace.postMessage({
      channel: 'C0SANDBOX',
      user: 'U0HIVEWIRE',
      content: { text: 'alert' },
    }).message;

    const result = await consolePost('message', {
      channel: 'C0SANDBOX',
      threadTs: parent.ts,
      userId: 'U0CAROL',
      text: 'looks like <b>our</b> scanner & co',
    });

    expect(sandbox.workspace.getMessage('C0SANDBOX', String(result.body.ts))).toMatchObject({
      user: 'U0CAROL',
      text: 'looks like &lt;b&gt;our&lt;/b&gt; scanner &amp; co',
      threadTs: parent.ts,
    });
    // And, as Slack does for an app subscribed to message.channels, tells the bot in a signed event.
    const delivered = await bot.next();
    const timestamp = Number(delivered.headers['x-slack-request-timestamp']);
    expect(delivered.path).toBe('/slack/events');
    expect(delivered.headers['content-type']).toBe('application/json');
    expect(delivered.headers['x-slack-signature']).toBe(
      slackSignature(SIGNING_SECRET, timestamp, delivered.body),
    );
    expect(JSON.parse(delivered.body)).toMatchObject({
      type: 'event_callback',
      team_id: 'T0SANDBOX',
      event: {
        type: 'message',
        channel: 'C0SANDBOX',
        user: 'U0CAROL',
        text: 'looks like &lt;b&gt;our&lt;/b&gt; scanner &amp; co',
        ts: result.body.ts,
        thread_ts: parent.ts,
      },
    });
  });

  it('adds a comment on a case in TheHive as the chosen user, which notifies the webhook', async () => {
    const caseId = openCase();
    await bot.next();
    const result = await consolePost('comment', { caseId, userId: 'U0BOB', message: 'Contained' });
    const body = JSON.parse((await bot.next()).body);

    expect(result.body).toMatchObject({ message: 'Contained', createdBy: 'bob@example.com' });
    expect(body).toMatchObject({
      action: 'create',
      objectType: 'Comment',
      objectId: result.body._id,
      rootId: caseId,
      _createdBy: 'bob@example.com',
      object: { message: 'Contained', createdBy: 'bob@example.com' },
    });
    expect(sandbox.theHive.commentsOf(caseId).map((c) => c.message)).toEqual(['Contained']);
  });

  it('dismisses an ephemeral message', async () => {
    const ephemeral = sandbox.workspace.postEphemeral({
      channel: 'C0SANDBOX',
      user: 'U0ALICE',
      content: { text: 'x' },
    });
    await consolePost('ephemeral/dismiss', { ts: ephemeral.ts, userId: 'U0ALICE' });
    expect(sandbox.workspace.ephemeralsFor('U0ALICE')).toEqual([]);
  });

  it('opens a case page with its observables and comments', async () => {
    const caseId = openCase();
    sandbox.theHive.addComment(caseId, { message: 'Escalated from Slack' }, 'hivewire@thehive.local');

    const detail = (await (
      await fetch(`${server.url}/sandbox/console/cases/${encodeURIComponent(caseId)}`)
    ).json()) as {
      case: { number: number };
      comments: { message: string }[];
    };
    const missing = await fetch(`${server.url}/sandbox/console/cases/~1`);

    expect(detail.case.number).toBe(1);
    expect(detail.comments.map((c) => c.message)).toEqual(['Escalated from Slack']);
    expect(missing.status).toBe(404);
  });

  it('refuses actions that are not JSON from the console itself', async () => {
    const form = await consolePost(
      'inject',
      { sample: 0 },
      { 'content-type': 'application/x-www-form-urlencoded' },
    );
    const crossSite = await consolePost(
      'inject',
      { sample: 0 },
      { 'content-type': 'application/json', origin: 'https://evil.example' },
    );
    const badBody = await consolePost('inject', { sample: 'zero' });

    expect(form.status).toBe(403);
    expect(crossSite.status).toBe(403);
    expect(badBody).toEqual({
      status: 400,
      body: { error: 'sample: Invalid input: expected number, received string' },
    });
    expect(bot.requests).toEqual([]);
  });
});

describe('the mounted sandbox', () => {
  it('leaves the bot’s own routes to the bot', async () => {
    for (const path of ['/slack/events', '/thehive/webhook', '/ingest', '/healthz', '/favicon.ico']) {
      const response = await fetch(`${server.url}${path}`, { method: path === '/healthz' ? 'GET' : 'POST' });
      expect([path, response.status]).toEqual([path, 404]);
    }
  });

  it('keeps Slack and TheHive state in its data directory across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hivewire-sandbox-'));
    try {
      const options = {
        publicUrl: server.url,
        signingSecret: SIGNING_SECRET,
        theHiveApiKey: 'sandbox',
        webhookSecret: WEBHOOK_SECRET,
        ingestSecret: INGEST_SECRET,
        alertChannel: 'C0SANDBOX',
        samples: [],
        dataDir,
        theHiveWebhookUrl: `${bot.url}/thehive/webhook`,
      };
      const first = createSandbox(options);
      first.workspace.postMessage({ channel: 'C0SANDBOX', user: 'U0HIVEWIRE', content: { text: 'kept' } });
      const alert = first.theHive.createAlert(
        { type: 'hivewire', source: 'siem', sourceRef: 'fp-9', title: 't', description: 'd' },
        'hivewire@thehive.local',
      );
      first.theHive.promoteAlert(alert._id, {}, 'hivewire@thehive.local');
      await first.close();

      const second = createSandbox(options);
      expect(second.workspace.history('C0SANDBOX').messages.map((m) => m.text)).toEqual(['kept']);
      expect(second.theHive.getCase('1').title).toBe('t');
      await second.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
