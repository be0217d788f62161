/**
 * The console's Webex space (`/sandbox/console/webex`): the stand-in's spaces as a Webex client shows
 * them, cards drawn in the page by the real `adaptivecards` renderer (served from node_modules, with
 * markdown-it for the TextBlocks' Markdown, as Webex's clients render a Markdown subset), replies in
 * threads under their root message. A click on a card's `Action.Submit` goes where Webex's own client
 * sends it: the stand-in creates the attachment action as the person acting, and delivers the signed
 * `attachmentActions` webhook to the bot, which reads the submission back through the Webex API.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as z from '../validation/zod';
import { CONSOLE_FILE_HEADERS, liveUpdates, sameOrigin } from './console';
import { readBody, RequestBodyTooLargeError, requestTarget, sendJson } from './http';
import {
  SANDBOX_WEBEX_BOT,
  SANDBOX_WEBEX_PEOPLE,
  WebexApiError,
  type WebexMessageRecord,
  type WebexSpace,
} from './webex-space';

const PAGE_PATH = '/sandbox/console/webex';
const API_PATH = '/sandbox/console/webex/';
/** Root messages shown per space (the most recent). */
const MESSAGES_SHOWN = 200;
/** A card submission's inputs are small. */
const MAX_BODY_BYTES = 64 * 1024;

/** The page's files: its own, and the two browser builds of the libraries it draws with. */
const FILES: Record<string, { path: string; type: string }> = {
  [PAGE_PATH]: { path: join(__dirname, 'console', 'webex.html'), type: 'text/html; charset=utf-8' },
  '/sandbox/console/webex.js': {
    path: join(__dirname, 'console', 'webex.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/sandbox/console/webex.css': {
    path: join(__dirname, 'console', 'webex.css'),
    type: 'text/css; charset=utf-8',
  },
  '/sandbox/console/adaptivecards.min.js': {
    path: require.resolve('adaptivecards/dist/adaptivecards.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  '/sandbox/console/markdown-it.min.js': {
    path: require.resolve('markdown-it/dist/markdown-it.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

const submitRequest = z.object({
  personId: z
    .string()
    .check(z.refine((id) => SANDBOX_WEBEX_PEOPLE.some((person) => person.id === id), 'not a sandbox person')),
  messageId: z.string().check(z.minLength(1)),
  inputs: z.record(z.string(), z.unknown()),
});

function shown(message: WebexMessageRecord) {
  const card = message.attachments?.[0]?.content;
  return {
    id: message.id,
    personId: message.personId,
    created: message.created,
    markdown: message.markdown ?? message.text ?? '',
    ...(card ? { card } : {}),
  };
}

/** Serves the Webex space page, its state, its live updates and its card submissions. */
export function createWebexConsole(space: WebexSpace) {
  const updates = liveUpdates();
  const stopListening = space.onChange(() => updates.announce());

  function state(roomId: string | null) {
    const rooms = space.rooms();
    const room = rooms.find((candidate) => candidate.id === roomId) ?? rooms[0];
    const messages = room ? space.messages(room.id) : [];
    return {
      version: updates.version,
      // Direct rooms too: the bot's 1:1 spaces (the "was this you?" questions), marked as such.
      rooms: rooms.map(({ id, title, type }) => ({ id, title, type })),
      room: room?.id,
      people: [SANDBOX_WEBEX_BOT, ...SANDBOX_WEBEX_PEOPLE].map(({ id, displayName, type }) => ({
        id,
        displayName,
        type,
      })),
      messages: messages
        .filter((message) => !message.parentId)
        .slice(-MESSAGES_SHOWN)
        .map((root) => ({
          ...shown(root),
          replies: messages.filter((message) => message.parentId === root.id).map(shown),
        })),
    };
  }

  async function submit(req: IncomingMessage, res: ServerResponse) {
    if (!sameOrigin(req)) {
      sendJson(res, 403, { error: 'console actions take a JSON body from the console page' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req, MAX_BODY_BYTES));
    } catch (error) {
      sendJson(res, error instanceof RequestBodyTooLargeError ? 413 : 400, { error: 'body: not JSON' });
      return;
    }
    const parsed = submitRequest.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      sendJson(res, 400, { error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` });
      return;
    }
    const person = SANDBOX_WEBEX_PEOPLE.find((candidate) => candidate.id === parsed.data.personId)!;
    try {
      const action = space.submitCard(person, {
        type: 'submit',
        messageId: parsed.data.messageId,
        inputs: parsed.data.inputs,
      });
      sendJson(res, 200, { id: action.id });
    } catch (error) {
      if (!(error instanceof WebexApiError)) throw error;
      sendJson(res, error.status, { error: error.message });
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const { path, query } = requestTarget(req);
    const method = req.method ?? 'GET';
    const file = FILES[path];
    if (file && method === 'GET') {
      res.writeHead(200, { 'content-type': file.type, ...CONSOLE_FILE_HEADERS, 'cache-control': 'no-store' });
      res.end(await readFile(file.path));
      return true;
    }
    if (!path.startsWith(API_PATH)) return false;
    const name = path.slice(API_PATH.length);
    if (method === 'GET' && name === 'state') {
      sendJson(res, 200, state(query.get('room')), { 'cache-control': 'no-store' });
      return true;
    }
    if (method === 'GET' && name === 'events') {
      updates.serve(req, res);
      return true;
    }
    if (method === 'POST' && name === 'submit') {
      await submit(req, res);
      return true;
    }
    sendJson(res, 404, { error: 'not found' });
    return true;
  }

  return {
    handle,
    /** Ends the live-update streams and stops listening to the space. */
    close(): void {
      stopListening();
      updates.close();
    },
  };
}
