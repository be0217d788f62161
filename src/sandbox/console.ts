/**
 * The sandbox web console: the page at `/` (static files from `console/`, no build step), its state
 * (`/sandbox/console/state`), live updates (Server-Sent Events from the stand-ins' change events) and
 * the actions a person takes in it. Every action that reaches the bot goes over HTTP, server-side, the
 * way Slack and TheHive would send it: signed interactions to `/slack/events`, TheHive changes through
 * the TheHive stand-in (whose webhook notifies the bot), findings to `/ingest` with the ingest secret.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as z from '../validation/zod';
import type { Logger } from '../observability/logger';
import { mediaType, readBody, requestTarget, RequestBodyTooLargeError, sendJson } from './http';
import type { MessageEventSender } from './events';
import type { MessageShortcut } from './app-manifest';
import { InteractionRequestError, type InteractionSender } from './interactions';
import { SANDBOX_USERS, SlackPlatformError, type SlackWorkspace } from './slack-workspace';
import { TheHiveApiError } from './thehive-error';
import { CASE_STATUSES, IMPACT_STATUSES, type SandboxTheHive } from './thehive-instance';

const CONSOLE_PATH = '/sandbox/console/';
/** The console's emoji images (`console/emoji/<code points>.svg`), shown in place of emoji characters. */
const EMOJI_FILE = /^emoji\/([0-9a-f]+(?:-[0-9a-f]+)*|unknown)\.svg$/;

/** The console's own files, by the name they are served under. */
const STATIC_FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  [`${CONSOLE_PATH}render.js`]: { file: 'render.js', type: 'text/javascript; charset=utf-8' },
  [`${CONSOLE_PATH}app.js`]: { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  [`${CONSOLE_PATH}console.css`]: { file: 'console.css', type: 'text/css; charset=utf-8' },
};

/** The page runs only its own script and style, talks only to this server, and is never framed. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Messages per conversation the console shows (the most recent). */
const MESSAGES_SHOWN = 200;
/** Skip notices kept (the most recent). */
const NOTICES_KEPT = 20;
/** Console requests are small; a pasted finding may be large. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;
const SSE_HEARTBEAT_MS = 20_000;

/** A console request that is not what the console sends; answered 400 with the reason. */
export class ConsoleRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConsoleRequestError';
  }
}

export interface ConsoleSample {
  name: string;
  event: unknown;
}

/** A finding the console sent to `/ingest` that Hivewire accepted but did not post, and why. */
export interface SkipNotice {
  id: number;
  /** Epoch milliseconds. */
  at: number;
  /** The sample's name, or "Pasted event". */
  source: string;
  /** The finding's position in the event. */
  index: number;
  reason: string;
  fingerprint?: string;
  /** The severity threshold the finding was below. */
  threshold?: string;
}

/** The part of `/ingest`'s 202 answer the console reads: the findings it skipped. */
const ingestAnswer = z.object({
  skipped: z.optional(
    z.array(
      z.object({
        index: z.int(),
        reason: z.string(),
        fingerprint: z.optional(z.string()),
        threshold: z.optional(z.string()),
      }),
    ),
  ),
});

export interface ConsoleOptions {
  workspace: SlackWorkspace;
  theHive: SandboxTheHive;
  interactions: InteractionSender;
  /** Tells the bot of messages people post (Slack's `message` events). */
  events: MessageEventSender;
  samples: ConsoleSample[];
  /** The bot's `/ingest`. */
  ingestUrl: string;
  ingestSecret: string;
  logger: Logger;
  /** The app's message shortcuts (from its manifest), offered on every message. */
  messageShortcuts?: readonly MessageShortcut[];
}

const userId = z
  .string()
  .check(z.refine((id) => SANDBOX_USERS.some((user) => user.id === id), 'not a sandbox user'));

const requests = {
  click: z.object({
    channel: z.string().check(z.minLength(1)),
    ts: z.string().check(z.minLength(1)),
    actionId: z.string().check(z.minLength(1)),
    blockId: z.string().check(z.minLength(1)),
    userId,
    ephemeral: z.optional(z.boolean()),
    selectedValue: z.optional(z.string()),
  }),
  viewSubmit: z.object({
    viewId: z.string().check(z.minLength(1)),
    userId,
    values: z.record(
      z.string(),
      z.record(
        z.string(),
        z.object({ value: z.optional(z.string()), selected: z.optional(z.array(z.string())) }),
      ),
    ),
  }),
  viewClose: z.object({ viewId: z.string().check(z.minLength(1)), userId }),
  replay: z.object({
    channel: z.string().check(z.minLength(1)),
    ts: z.string().check(z.minLength(1)),
    userId,
  }),
  shortcut: z.object({
    channel: z.string().check(z.minLength(1)),
    ts: z.string().check(z.minLength(1)),
    callbackId: z.string().check(z.minLength(1)),
    userId,
  }),
  noticeDismiss: z.object({ id: z.int() }),
  dismiss: z.object({ ts: z.string().check(z.minLength(1)), userId }),
  message: z.object({
    channel: z.string().check(z.minLength(1)),
    threadTs: z.optional(z.string()),
    userId,
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }),
  comment: z.object({
    caseId: z.string().check(z.minLength(1)),
    userId,
    message: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  }),
  caseChange: z.object({
    caseId: z.string().check(z.minLength(1)),
    userId,
    changes: z.object({
      status: z.optional(z.string()),
      summary: z.optional(z.string()),
      impactStatus: z.optional(z.string()),
      assignee: z.optional(z.nullable(z.string())),
      severity: z.optional(z.int()),
    }),
  }),
  inject: z
    .object({
      sample: z.optional(z.int().check(z.gte(0))),
      raw: z.optional(z.string().check(z.minLength(1))),
    })
    .check(
      z.refine(
        (body) => (body.sample === undefined) !== (body.raw === undefined),
        'give either sample or raw',
      ),
    ),
};

/** What a person types is escaped by the Slack client before it is sent: `&`, `<`, `>`. */
function escapeTyped(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function parseRequest<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ConsoleRequestError(`${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Console actions change things: they must come from the console itself. A JSON body cannot be sent
 * cross-site without a CORS preflight (which this server never grants), and a browser's Origin must
 * be this host.
 */
export function sameOrigin(req: IncomingMessage): boolean {
  if (mediaType(req) !== 'application/json') return false;
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

/**
 * A page's live updates: Server-Sent Events carrying a version number that grows with every change
 * announced, and a heartbeat that keeps idle streams open through proxies.
 */
export function liveUpdates() {
  const streams = new Set<ServerResponse>();
  let version = 0;
  const heartbeat = setInterval(() => {
    for (const stream of streams) stream.write(': heartbeat\n\n');
  }, SSE_HEARTBEAT_MS);
  heartbeat.unref();
  return {
    get version() {
      return version;
    },
    announce(): void {
      version += 1;
      for (const stream of streams) stream.write(`data: ${JSON.stringify({ version })}\n\n`);
    },
    serve(req: IncomingMessage, res: ServerResponse): void {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(`retry: 2000\ndata: ${JSON.stringify({ version })}\n\n`);
      streams.add(res);
      req.on('close', () => streams.delete(res));
    },
    close(): void {
      clearInterval(heartbeat);
      for (const stream of streams) stream.end();
      streams.clear();
    },
  };
}

/** The headers every console page and script is served with. */
export const CONSOLE_FILE_HEADERS = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
} as const;

/** Builds the console's request handler; resolves false for paths that are not the console's. */
export function createConsole(options: ConsoleOptions) {
  const { workspace, theHive, interactions, logger } = options;
  const updates = liveUpdates();
  let notices: SkipNotice[] = [];
  let lastNoticeId = 0;

  const announce = () => updates.announce();
  workspace.on('change', announce);
  theHive.on('change', announce);

  /** Everything the page shows, as seen by `forUser`. */
  function state(forUser: string) {
    const user = SANDBOX_USERS.find((u) => u.id === forUser) ?? SANDBOX_USERS[0]!;
    const conversations = workspace
      .listConversations()
      .filter((c) => c.kind === 'channel' || c.members?.includes(user.id));
    const messages = Object.fromEntries(
      conversations.map((c) => [
        c.id,
        workspace
          .history(c.id, { limit: MESSAGES_SHOWN })
          .messages.reverse()
          .map((m) => ({
            ...workspace.apiMessage(m, true),
            replies: (m.replies?.length ? workspace.replies(c.id, m.ts).messages.slice(1) : []).map((r) =>
              workspace.apiMessage(r, true),
            ),
          })),
      ]),
    );
    const modal = workspace.modalFor(user.id);
    return {
      version: updates.version,
      alertChannel: workspace.alertChannel,
      currentUser: user.id,
      users: SANDBOX_USERS.map(({ id, name, realName, email, title }) => ({
        id,
        name,
        realName,
        email,
        title,
      })),
      conversations,
      messages,
      ephemerals: workspace.ephemeralsFor(user.id),
      modal: modal ? { id: modal.id, view: modal.view } : null,
      cases: theHive.listCases().map((c) => ({
        _id: c._id,
        number: c.number,
        title: c.title,
        status: c.status,
        stage: c.stage,
        severity: c.severity,
        assignee: c.assignee,
        summary: c.summary,
        impactStatus: c.impactStatus,
        _createdAt: c._createdAt,
        _updatedAt: c._updatedAt,
      })),
      caseStatuses: CASE_STATUSES,
      impactStatuses: IMPACT_STATUSES,
      samples: options.samples.map((sample, index) => ({ index, name: sample.name })),
      replayable: interactions.replayableClicks(),
      shortcuts: options.messageShortcuts ?? [],
      notices,
    };
  }

  /** Keeps a notice for each finding `/ingest` skipped, so the console shows what became of it. */
  function noteSkipped(source: string, answer: unknown) {
    const parsed = ingestAnswer.safeParse(answer);
    if (!parsed.success) {
      logger.warn('sandbox console: /ingest answered 202 with an unexpected body', {
        issue: parsed.error.issues[0]?.message,
      });
      return;
    }
    const skipped = parsed.data.skipped ?? [];
    if (skipped.length === 0) return;
    const at = Date.now();
    const added = skipped.map((skip) => ({ ...skip, id: (lastNoticeId += 1), at, source }));
    notices = [...notices, ...added].slice(-NOTICES_KEPT);
    announce();
  }

  async function inject(body: z.infer<typeof requests.inject>) {
    let payload: string;
    let source: string;
    if (body.sample !== undefined) {
      const sample = options.samples[body.sample];
      if (!sample) throw new ConsoleRequestError(`sample: no sample ${body.sample}`);
      payload = JSON.stringify(sample.event);
      source = sample.name;
    } else {
      payload = body.raw ?? '';
      source = 'Pasted event';
    }
    try {
      const response = await fetch(options.ingestUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${options.ingestSecret}`, 'content-type': 'application/json' },
        body: payload,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await response.text();
      let answer: unknown = text;
      try {
        answer = JSON.parse(text);
      } catch {
        // Not JSON: shown as text.
      }
      if (response.status === 202) noteSkipped(source, answer);
      return { status: response.status, body: answer };
    } catch (error) {
      logger.warn('sandbox console: ingest unreachable', { error: (error as { message?: string }).message });
      return { status: 0, body: 'Hivewire could not be reached at /ingest' };
    }
  }

  const actions: Record<string, (body: unknown) => Promise<unknown> | unknown> = {
    click: (body) => interactions.clickMessageAction(parseRequest(requests.click, body)),
    'view/submit': (body) => interactions.submitModal(parseRequest(requests.viewSubmit, body)),
    'click/replay': (body) => interactions.replayClick(parseRequest(requests.replay, body)),
    shortcut: (body) => interactions.messageShortcut(parseRequest(requests.shortcut, body)),
    'notice/dismiss': (body) => {
      const { id } = parseRequest(requests.noticeDismiss, body);
      notices = notices.filter((notice) => notice.id !== id);
      announce();
      return {};
    },
    'view/close': async (body) =>
      (await interactions.closeModal(parseRequest(requests.viewClose, body))) ?? {},
    'ephemeral/dismiss': (body) => {
      const input = parseRequest(requests.dismiss, body);
      workspace.dismissEphemeral(input.userId, input.ts);
      return {};
    },
    message: async (body) => {
      const input = parseRequest(requests.message, body);
      const { message } = workspace.postMessage({
        channel: input.channel,
        user: input.userId,
        content: { text: escapeTyped(input.text) },
        threadTs: input.threadTs,
      });
      // The bot is in every sandbox channel, subscribed to `message.channels`: Slack tells it.
      if (workspace.conversation(input.channel).kind === 'channel')
        await options.events.messagePosted(message);
      return { ts: message.ts };
    },
    comment: (body) => {
      const input = parseRequest(requests.comment, body);
      const actor = SANDBOX_USERS.find((u) => u.id === input.userId)!.email;
      return theHive.addComment(input.caseId, { message: input.message }, actor);
    },
    case: (body) => {
      const input = parseRequest(requests.caseChange, body);
      const actor = SANDBOX_USERS.find((u) => u.id === input.userId)!.email;
      return { details: theHive.updateCase(input.caseId, input.changes, actor) };
    },
    inject: (body) => inject(parseRequest(requests.inject, body)),
  };

  async function serveStatic(
    res: ServerResponse,
    file: { file: string; type: string },
    cacheControl = 'no-store',
  ) {
    const content = await readFile(join(__dirname, 'console', file.file));
    res.writeHead(200, { 'content-type': file.type, ...CONSOLE_FILE_HEADERS, 'cache-control': cacheControl });
    res.end(content);
  }

  /** An emoji image; 404 for one the console has no drawing for (the page then shows `unknown`). */
  async function serveEmoji(res: ServerResponse, name: string) {
    try {
      // Cached: the page rebuilds its DOM on every live update, and an emoji never changes within a run.
      await serveStatic(res, { file: `emoji/${name}.svg`, type: 'image/svg+xml' }, 'max-age=3600');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      sendJson(res, 404, { error: 'no such emoji' });
    }
  }

  async function serveAction(req: IncomingMessage, res: ServerResponse, name: string) {
    const action = actions[name];
    if (!action) {
      sendJson(res, 404, { error: 'no such console action' });
      return;
    }
    if (!sameOrigin(req)) {
      sendJson(res, 403, { error: 'console actions take a JSON body from the console page' });
      return;
    }
    try {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
      } catch (error) {
        if (error instanceof RequestBodyTooLargeError) throw error;
        throw new ConsoleRequestError('body: not JSON');
      }
      sendJson(res, 200, await action(body));
    } catch (error) {
      if (error instanceof ConsoleRequestError || error instanceof InteractionRequestError)
        sendJson(res, 400, { error: error.message });
      else if (error instanceof SlackPlatformError)
        sendJson(res, 400, { error: error.code, errors: error.errors });
      else if (error instanceof TheHiveApiError)
        sendJson(res, error.status, { error: error.message, type: error.type });
      else if (error instanceof RequestBodyTooLargeError) sendJson(res, 413, { error: 'body too large' });
      else throw error;
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { path, query } = requestTarget(req);
    const method = req.method ?? 'GET';
    const file = STATIC_FILES[path];
    if (file && method === 'GET') {
      await serveStatic(res, file);
      return true;
    }
    if (!path.startsWith(CONSOLE_PATH)) return false;
    const name = path.slice(CONSOLE_PATH.length);
    if (method === 'GET' && name === 'state') {
      sendJson(res, 200, state(query.get('user') ?? ''), { 'cache-control': 'no-store' });
      return true;
    }
    const emoji = EMOJI_FILE.exec(name);
    if (method === 'GET' && emoji) {
      await serveEmoji(res, emoji[1]!);
      return true;
    }
    if (method === 'GET' && name === 'events') {
      updates.serve(req, res);
      return true;
    }
    const caseDetail = /^cases\/([^/]+)$/.exec(name);
    if (method === 'GET' && caseDetail) {
      try {
        const theCase = theHive.getCase(decodeURIComponent(caseDetail[1]!));
        sendJson(res, 200, {
          case: theCase,
          observables: theHive.observablesOf(theCase._id),
          comments: theHive.commentsOf(theCase._id),
        });
      } catch (error) {
        if (!(error instanceof TheHiveApiError)) throw error;
        sendJson(res, error.status, { error: error.message, type: error.type });
      }
      return true;
    }
    if (method === 'POST') {
      await serveAction(req, res, name);
      return true;
    }
    sendJson(res, 404, { error: 'not found' });
    return true;
  }

  return {
    handle,
    /** Sends sample `index` to `/ingest` as the console's Inject does (for the samples loaded at start). */
    injectSample: (index: number) => inject({ sample: index }),
    /** Ends the live-update streams and stops listening to the stand-ins. */
    close(): void {
      workspace.off('change', announce);
      theHive.off('change', announce);
      updates.close();
    },
  };
}
