/**
 * The sandbox's Teams channel in a browser, at `/sandbox/teams/console`: the channel's messages as the
 * Bot Connector stand-in stores them, each card drawn by the real `adaptivecards` renderer (its own
 * browser build, served from node_modules, with markdown-it for the Markdown subset Teams renders).
 * A click on a card's `Action.Execute` goes to the server, which sends the bot the `adaptiveCard/action`
 * invoke Teams would send, signed with the tenant's key, to `/teams/messages`: the bot's real JWT check
 * runs, and its answer (a private message or a card for the clicker) goes back to the page.
 * The bot's 1:1 chats ("was this you?") are shown under the channel; a click there is sent from that
 * chat, and only as the person it is with.
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import * as z from '../validation/zod';
import { mediaType, readBody, requestTarget, sendJson } from './http';
import type { TeamsActivitySender } from './teams-activities';
import { SANDBOX_TEAMS, SANDBOX_TEAMS_PEOPLE, type SandboxTeamsTenant } from './teams-tenant';

const BASE = '/sandbox/teams/console';
const NODE_MODULES = join(__dirname, '..', '..', 'node_modules');
const MAX_BODY_BYTES = 64 * 1024;

/** The page's files: its own, and the two renderers' browser builds. */
const FILES: Record<string, { path: string; type: string }> = {
  [BASE]: { path: join(__dirname, 'console', 'teams.html'), type: 'text/html; charset=utf-8' },
  [`${BASE}/teams.js`]: {
    path: join(__dirname, 'console', 'teams.js'),
    type: 'text/javascript; charset=utf-8',
  },
  [`${BASE}/teams.css`]: { path: join(__dirname, 'console', 'teams.css'), type: 'text/css; charset=utf-8' },
  [`${BASE}/adaptivecards.js`]: {
    path: join(NODE_MODULES, 'adaptivecards', 'dist', 'adaptivecards.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  [`${BASE}/markdown-it.js`]: {
    path: join(NODE_MODULES, 'markdown-it', 'dist', 'markdown-it.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
};

/**
 * Scripts and styles from this server only; the renderer sets element styles from script (CSSOM),
 * which `style-src` allows, and never framed.
 */
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A click as the page sends it: who, on which message, the action's verb and data (with the card's inputs). */
const clickSchema = z.strictObject({
  person: z.string().check(z.minLength(1)),
  replyToId: z.string().check(z.minLength(1)),
  verb: z.string().check(z.minLength(1)),
  data: z.record(z.string(), z.unknown()),
  /** A 1:1 chat's id when the card is there; the channel otherwise. */
  conversation: z.optional(z.string().check(z.minLength(1))),
});
/** An @mention of the bot as the page sends it. */
const mentionSchema = z.strictObject({
  person: z.string().check(z.minLength(1)),
  text: z.string().check(z.minLength(1), z.maxLength(4000)),
});

export function createTeamsConsole(options: { tenant: SandboxTeamsTenant; sender: TeamsActivitySender }) {
  const { tenant, sender } = options;

  function personOf(id: string) {
    const person = tenant.person(id);
    if (!person) throw new Error('person: not a person of the sandbox tenant');
    return person;
  }

  async function json<T>(req: IncomingMessage, schema: z.ZodMiniType<T>): Promise<T> {
    if (mediaType(req) !== 'application/json') throw new Error('body: expected application/json');
    return z.parse(schema, JSON.parse(await readBody(req, MAX_BODY_BYTES)) as unknown);
  }

  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const { path } = requestTarget(req);
    if (path !== BASE && !path.startsWith(`${BASE}/`)) return false;
    try {
      const file = req.method === 'GET' ? FILES[path] : undefined;
      if (file) {
        res.writeHead(200, {
          'content-type': file.type,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        res.end(await readFile(file.path));
      } else if (req.method === 'GET' && path === `${BASE}/state`) {
        sendJson(res, 200, {
          channel: SANDBOX_TEAMS.channel,
          team: SANDBOX_TEAMS.team,
          people: SANDBOX_TEAMS_PEOPLE,
          activities: tenant.history(SANDBOX_TEAMS.channel.id),
          chats: tenant
            .listConversations()
            .filter((conversation) => conversation.kind === 'personal')
            .map((chat) => ({
              id: chat.id,
              name: chat.name,
              member: chat.member,
              activities: tenant.history(chat.id),
            })),
        });
      } else if (req.method === 'POST' && path === `${BASE}/click`) {
        const click = await json(req, clickSchema);
        const person = personOf(click.person);
        const chat = click.conversation === undefined ? undefined : tenant.conversation(click.conversation);
        if (click.conversation !== undefined && (chat?.kind !== 'personal' || chat.member !== person.id))
          throw new Error('conversation: not a 1:1 chat of this person');
        const answer = await sender.send(
          sender.channelActivity(person, {
            type: 'invoke',
            name: 'adaptiveCard/action',
            ...(chat
              ? {
                  conversation: {
                    id: chat.id,
                    conversationType: 'personal',
                    tenantId: SANDBOX_TEAMS.tenantId,
                  },
                  channelData: { tenant: { id: SANDBOX_TEAMS.tenantId } },
                }
              : {}),
            replyToId: click.replyToId,
            value: { action: { type: 'Action.Execute', verb: click.verb, data: click.data } },
          }),
        );
        sendJson(res, 200, answer);
      } else if (req.method === 'POST' && path === `${BASE}/mention`) {
        const mention = await json(req, mentionSchema);
        const tag = `<at>${SANDBOX_TEAMS.botName}</at>`;
        const answer = await sender.send(
          sender.channelActivity(personOf(mention.person), {
            type: 'message',
            text: `${tag} ${mention.text}`,
            entities: [
              {
                type: 'mention',
                text: tag,
                mentioned: { id: `28:${SANDBOX_TEAMS.appId}`, name: SANDBOX_TEAMS.botName },
              },
            ],
          }),
        );
        sendJson(res, 200, { status: answer.status });
      } else sendJson(res, 404, { error: 'not found' });
    } catch (error) {
      sendJson(res, 400, { error: error instanceof Error ? error.message : 'bad request' });
    }
    return true;
  };
}
