/**
 * Messages in threads (`message.channels` / `message.groups` events): a person's reply, its edit or
 * its deletion is queued for the worker, which copies it to the case of the alert the thread belongs
 * to. Only what a person wrote in a thread is queued: bots' messages (Hivewire's own are already
 * dropped by Bolt), joins and other system messages are not. Slack retries an event it thinks was
 * not delivered; the copy's store item makes that harmless.
 */
import type { App } from '@slack/bolt';
import * as z from '../../validation/zod';
import { threadMessage, type ThreadMessage } from '../../queue/jobs';
import type { SlackAppDeps } from '../../wiring/deps';

/** Subtypes of a message a person writes; every other subtype is a system or bot message. */
const PERSON_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast', 'me_message']);

const file = z.looseObject({
  name: z.optional(z.string()),
  title: z.optional(z.string()),
  permalink: z.optional(z.string()),
});

const message = z.looseObject({
  subtype: z.optional(z.string()),
  user: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  text: z.optional(z.string()),
  ts: z.string(),
  thread_ts: z.optional(z.string()),
  files: z.optional(z.array(file)),
  edited: z.optional(z.looseObject({ ts: z.string() })),
});

const messageEvent = z.looseObject({
  type: z.literal('message'),
  subtype: z.optional(z.string()),
  channel: z.string(),
  ts: z.string(),
  user: z.optional(z.string()),
  bot_id: z.optional(z.string()),
  text: z.optional(z.string()),
  thread_ts: z.optional(z.string()),
  files: z.optional(z.array(file)),
  /** `message_changed`: the message as it is now. */
  message: z.optional(message),
  /** `message_changed` / `message_deleted`: the message as it was. */
  previous_message: z.optional(message),
  deleted_ts: z.optional(z.string()),
});
type MessageEvent = z.infer<typeof messageEvent>;

/** Why a message event is not copied, or the change to copy. */
export function threadMessageOf(event: MessageEvent): ThreadMessage | { skip: string } {
  if (event.subtype === 'message_deleted') {
    const before = event.previous_message;
    const ts = event.deleted_ts ?? before?.ts;
    if (!ts || !before?.thread_ts || before.thread_ts === ts) return { skip: 'not a thread reply' };
    if (before.bot_id || !before.user) return { skip: "a bot's message" };
    return { change: 'deleted', channel: event.channel, ts, threadTs: before.thread_ts, revision: event.ts };
  }
  const edited = event.subtype === 'message_changed';
  const current = edited ? event.message : { ...event, subtype: event.subtype };
  if (!current) return { skip: 'message_changed without its message' };
  if (!current.thread_ts || current.thread_ts === current.ts) return { skip: 'not a thread reply' };
  if (current.bot_id || !current.user) return { skip: "a bot's message" };
  if (!PERSON_SUBTYPES.has(current.subtype)) return { skip: `subtype ${current.subtype}` };
  // An unfurl or a file's processing also changes a message: only a new text is an edit.
  if (edited && event.previous_message?.text === current.text && !current.edited)
    return { skip: 'changed without an edit' };
  return {
    change: edited ? 'edited' : 'posted',
    channel: event.channel,
    ts: current.ts,
    threadTs: current.thread_ts,
    user: current.user,
    text: current.text ?? '',
    files: (current.files ?? []).map((f) => ({ name: f.title ?? f.name ?? 'file', permalink: f.permalink })),
    revision: edited ? (current.edited?.ts ?? event.ts) : current.ts,
  };
}

/** Registers the message listener. */
export function registerThreadMessages(app: App, deps: SlackAppDeps): void {
  const reject = async (issue: { path: PropertyKey[]; message: string } | undefined, payload: unknown) => {
    await deps.store.putDeadLetter({
      kind: 'rejected-slack',
      error: `event.${issue?.path.join('.') || ''}: ${issue?.message ?? 'invalid'}`,
      payload,
    });
  };
  app.event('message', async ({ event }) => {
    const parsed = messageEvent.safeParse(event);
    if (!parsed.success) return reject(parsed.error.issues[0], event);
    const change = threadMessageOf(parsed.data);
    if ('skip' in change) {
      deps.logger.debug('message not copied', { reason: change.skip });
      return;
    }
    const checked = threadMessage.safeParse(change);
    if (!checked.success) return reject(checked.error.issues[0], event);
    await deps.queue.enqueue({
      kind: 'thread-message',
      message: checked.data,
      receivedAt: deps.now().toISOString(),
    });
  });
}
