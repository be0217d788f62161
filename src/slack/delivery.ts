/**
 * Slack delivery for the worker: posts, updates and thread replies through `@slack/web-api`, with
 * bounded retries that honour `Retry-After`, and posts paced to about one per second per channel
 * (Slack's posting limit; bursts are "not guaranteed" to be stored).
 */
import { WebClient, type WebClientOptions } from '@slack/web-api';
import { ALERT_EVENT_TYPE } from '../../blocks/actions';
import { slackPermalink } from '../domain/slack-permalink';
import type { CallObserver } from '../observability/metrics';

/** A Slack message as the builders in `blocks/` produce it. */
export interface SlackMessage {
  text: string;
  blocks: unknown[];
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** How many pages of 200 messages `findAlertMessage` (and `findOwnReply`) read before giving up (a lease left weeks ago). */
const HISTORY_PAGES_SEARCHED = 5;
/** How far before the claim `findAlertMessage` looks: Slack's `ts` is Slack's clock, the claim time ours. */
const CLOCK_MARGIN_SECONDS = 60;

/** What `conversations.history` or `.replies` tells of a message, as far as finding one of this bot's goes. */
export interface ListedMessage {
  ts?: string;
  bot_id?: string;
  user?: string;
  subtype?: string;
  text?: string;
  files?: { name?: string; title?: string; permalink?: string }[];
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** A Slack call that failed after its retries; `code` is Slack's error (`channel_not_found`, …) or the transport's. */
export class SlackDeliveryError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    readonly retryable: boolean,
  ) {
    super(`Slack ${method} failed: ${code}`);
    this.name = 'SlackDeliveryError';
  }
}

/** Errors Slack answers that another try cannot fix. */
const PERMANENT_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'invalid_blocks',
  'msg_too_long',
  'msg_blocks_too_long',
  'message_not_found',
  'cant_update_message',
  'edit_window_closed',
  'invalid_metadata_format',
]);

/** A WebClient failure as a SlackDeliveryError: Slack's error code, retryable unless another try cannot fix it. */
export function toDeliveryError(method: string, error: unknown): SlackDeliveryError {
  const data = (error as { data?: { error?: string } }).data;
  const code =
    data?.error ?? (error as { code?: string }).code ?? (error as Error).message ?? 'unknown_error';
  return new SlackDeliveryError(method, code, !PERMANENT_ERRORS.has(code));
}

/** The deadline of the work a call belongs to, when it has one (queue/budget.ts `currentDeadline`). */
export type Deadline = () => AbortSignal | undefined;

/**
 * WebClient options for the worker: bounded retries, pausing on 429 for `Retry-After`. With a
 * `deadline`, an HTTP request in flight when it passes is cancelled, and WebClient's retries end there:
 * a call given up on must not reach Slack later (a late duplicate post in the next invocation).
 */
export function workerClientOptions(apiUrl?: string, deadline?: Deadline): WebClientOptions {
  const retryConfig = { retries: 3, factor: 2, minTimeout: 500, maxTimeout: 8_000, randomize: true };
  if (!deadline) return { slackApiUrl: apiUrl, timeout: 10_000, retryConfig, rejectRateLimitedCalls: false };
  return {
    slackApiUrl: apiUrl,
    timeout: 10_000,
    retryConfig: {
      ...retryConfig,
      // WebClient hands retryConfig to p-retry, which stops retrying when onFailedAttempt throws.
      onFailedAttempt: () => deadline()?.throwIfAborted(),
    } as WebClientOptions['retryConfig'],
    rejectRateLimitedCalls: false,
    fetch: (url, init) => {
      const signal = deadline();
      if (!signal) return fetch(url, init);
      return fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
    },
  };
}

/** WebClient options for a request path (before Slack's 3-second deadline): short timeout, no retries. */
export function requestPathClientOptions(apiUrl?: string): WebClientOptions {
  return {
    slackApiUrl: apiUrl,
    timeout: 2_500,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  };
}

/** Settles as `run()` does, or rejects as soon as `signal` aborts (the call is then left to settle alone). */
function untilAborted<T>(run: () => Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    run()
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', abort));
  });
}

/** What `auth.test` tells of a workspace's bot token that this client uses: the bot's id, the workspace's URL. */
interface BotIdentity {
  bot_id?: string;
  url?: string;
}

export class SlackDelivery {
  private readonly lastPost = new Map<string, Promise<void>>();
  /** `auth.test`'s answer per bot token ('' for the client's own), asked once: neither changes while a process runs. */
  private readonly identities = new Map<string, Promise<BotIdentity>>();

  /**
   * @param client a WebClient built with `workerClientOptions`
   * @param postIntervalMs minimum time between two posts to one channel (tests pass 0)
   * @param options.deadline when it passes, a call gives up at once (retryable), without waiting out
   *   WebClient's retries; give the same to `workerClientOptions`
   * @param options.observe told of every call once it is done, retries included (Hivewire's metrics)
   * @param options.tokenFor the bot token of the workspace a channel is in (or of `team`, for a channel
   *   such as a DM that names no workspace), when it is not the client's own (a customer's workspace,
   *   installed through OAuth)
   */
  constructor(
    readonly client: WebClient,
    private readonly postIntervalMs = 1_000,
    private readonly options: {
      deadline?: Deadline;
      observe?: CallObserver;
      tokenFor?: (channel: string, team?: string) => Promise<string | undefined>;
    } = {},
  ) {}

  /** The `token` argument for a call in `channel`'s (or `team`'s) workspace: none when it is the client's own. */
  private async workspace(channel: string, team?: string): Promise<{ token?: string }> {
    const token = await this.options.tokenFor?.(channel, team);
    return token ? { token } : {};
  }

  /**
   * The Slack user with this e-mail in `team`'s workspace (the client's own when undefined), or
   * undefined when that workspace has none.
   */
  async userIdForEmail(email: string, team?: string): Promise<string | undefined> {
    const workspace = await this.workspace('', team);
    try {
      const found = await this.call('users.lookupByEmail', () =>
        this.client.users.lookupByEmail({ ...workspace, email }),
      );
      return found.user?.id;
    } catch (error) {
      if (error instanceof SlackDeliveryError && error.code === 'users_not_found') return undefined;
      throw error;
    }
  }

  /** Opens (or finds) the DM with `user` in `team`'s workspace; resolves to its channel id. */
  async openDm(user: string, team?: string): Promise<string> {
    const workspace = await this.workspace('', team);
    const opened = await this.call('conversations.open', () =>
      this.client.conversations.open({ ...workspace, users: user }),
    );
    if (!opened.channel?.id) throw new Error('conversations.open returned no channel');
    return opened.channel.id;
  }

  /** Posts a root message (in `team`'s workspace when the channel names none); resolves to its `ts`. */
  async post(channel: string, message: SlackMessage, team?: string): Promise<string> {
    const workspace = await this.workspace(channel, team);
    return this.paced(channel, async () => {
      const response = await this.call('chat.postMessage', () =>
        this.client.chat.postMessage({
          ...workspace,
          channel,
          text: message.text,
          blocks: message.blocks as never,
          metadata: message.metadata as never,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return String(response.ts);
    });
  }

  /** Threads a reply under `threadTs`; resolves to the reply's `ts`. */
  async reply(channel: string, threadTs: string, message: SlackMessage): Promise<string> {
    const workspace = await this.workspace(channel);
    return this.paced(channel, async () => {
      const response = await this.call('chat.postMessage', () =>
        this.client.chat.postMessage({
          ...workspace,
          channel,
          thread_ts: threadTs,
          text: message.text,
          blocks: message.blocks as never,
          metadata: message.metadata as never,
          unfurl_links: false,
          unfurl_media: false,
        }),
      );
      return String(response.ts);
    });
  }

  /**
   * The `ts` of an alert's root message this bot posted to `channel` since `since`, found by its
   * metadata: the post of a process that stopped before it saved the answer. Only this bot's messages
   * count (another app could copy the metadata). Undefined when there is none, or when Slack will not
   * say (no `channels:history` scope, not a member): then the caller posts, at worst twice.
   */
  async findAlertMessage(channel: string, fingerprint: string, since: Date): Promise<string | undefined> {
    const oldest = (since.getTime() / 1000 - CLOCK_MARGIN_SECONDS).toFixed(6);
    return this.findOwnMessage(
      'conversations.history',
      { channel, oldest },
      (metadata) =>
        metadata?.event_type === ALERT_EVENT_TYPE && metadata.event_payload?.fingerprint === fingerprint,
    );
  }

  /**
   * The `ts` of this bot's reply in a thread whose metadata has `event_type` and `event_payload[key] ===
   * value`: a reply a stopped process posted without saving its `ts`. Undefined when there is none or
   * Slack will not say.
   */
  async findOwnReply(
    channel: string,
    threadTs: string,
    match: { eventType: string; key: string; value: string },
  ): Promise<string | undefined> {
    return this.findOwnMessage(
      'conversations.replies',
      { channel, ts: threadTs },
      (metadata) =>
        metadata?.event_type === match.eventType && metadata.event_payload?.[match.key] === match.value,
    );
  }

  /** The messages of a thread, its root first (a few pages at most). */
  async threadMessages(channel: string, threadTs: string): Promise<ListedMessage[]> {
    const messages: ListedMessage[] = [];
    let pages = 0;
    for await (const page of this.client.paginate('conversations.replies', {
      ...(await this.workspace(channel)),
      channel,
      ts: threadTs,
      limit: 200,
    })) {
      messages.push(...((page as { messages?: ListedMessage[] }).messages ?? []));
      pages += 1;
      if (pages >= HISTORY_PAGES_SEARCHED) break;
    }
    return messages;
  }

  /** The first of this bot's messages the listing finds with matching metadata, within a few pages. */
  private async findOwnMessage(
    method: 'conversations.history' | 'conversations.replies',
    args: Record<string, string>,
    matches: (metadata: ListedMessage['metadata']) => boolean,
  ): Promise<string | undefined> {
    try {
      const workspace = await this.workspace(args.channel!);
      const { bot_id: botId } = await this.identity(workspace);
      if (!botId) return undefined;
      let pages = 0;
      for await (const page of this.client.paginate(method, {
        ...workspace,
        ...args,
        include_all_metadata: true,
        limit: 200,
      })) {
        const messages = (page as { messages?: ListedMessage[] }).messages ?? [];
        const found = messages.find((m) => m.bot_id === botId && matches(m.metadata));
        if (found?.ts) return found.ts;
        pages += 1;
        if (pages >= HISTORY_PAGES_SEARCHED) break;
      }
    } catch {
      return undefined;
    }
    return undefined;
  }

  /** Re-renders a posted message in place (in `team`'s workspace when the channel names none). */
  async update(channel: string, ts: string, message: SlackMessage, team?: string): Promise<void> {
    const workspace = await this.workspace(channel, team);
    await this.call('chat.update', () =>
      this.client.chat.update({
        ...workspace,
        channel,
        ts,
        text: message.text,
        blocks: message.blocks as never,
        metadata: message.metadata as never,
      }),
    );
  }

  /**
   * The message's permalink (asked in `team`'s workspace when given), or undefined when Slack will not
   * give one (it is a convenience, not a must).
   */
  async permalink(channel: string, ts: string, team?: string): Promise<string | undefined> {
    try {
      const workspace = await this.workspace(channel, team);
      const response = await this.client.chat.getPermalink({ ...workspace, channel, message_ts: ts });
      return response.permalink;
    } catch {
      return undefined;
    }
  }

  /**
   * A root message's permalink, built as Slack builds it from the workspace's URL (asked of `auth.test`
   * once per workspace), so posting an alert costs no `chat.getPermalink` round trip. Undefined when
   * Slack will not say the URL. A thread reply's permalink carries its thread: ask `permalink` for one.
   */
  async rootPermalink(channel: string, ts: string, team?: string): Promise<string | undefined> {
    try {
      const { url } = await this.identity(await this.workspace(channel, team));
      return url ? slackPermalink(url, channel, ts) : undefined;
    } catch {
      return undefined;
    }
  }

  /** `auth.test` for the workspace's token, asked once; a failed answer is forgotten, so the next call asks again. */
  private identity(workspace: { token?: string }): Promise<BotIdentity> {
    const key = workspace.token ?? '';
    let known = this.identities.get(key);
    if (!known) {
      known = this.call('auth.test', () => this.client.auth.test(workspace));
      this.identities.set(key, known);
      known.catch(() => this.identities.delete(key));
    }
    return known;
  }

  /** Shows a message to one user only. */
  async ephemeral(channel: string, user: string, message: SlackMessage, threadTs?: string): Promise<void> {
    const workspace = await this.workspace(channel);
    await this.call('chat.postEphemeral', () =>
      this.client.chat.postEphemeral({
        ...workspace,
        channel,
        user,
        thread_ts: threadTs,
        text: message.text,
        blocks: message.blocks as never,
      }),
    );
  }

  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    const deadline = this.options.deadline?.();
    const startedAt = performance.now();
    const observe = (failed: boolean) =>
      this.options.observe?.({ durationMs: performance.now() - startedAt, failed });
    try {
      const response = await (deadline ? untilAborted(run, deadline) : run());
      observe(false);
      return response;
    } catch (error) {
      observe(true);
      if (deadline?.aborted) throw new SlackDeliveryError(method, 'deadline_exceeded', true);
      throw toDeliveryError(method, error);
    }
  }

  /** Serialises posts per channel with at least `postIntervalMs` between them. */
  private async paced<T>(channel: string, run: () => Promise<T>): Promise<T> {
    const previous = this.lastPost.get(channel) ?? Promise.resolve();
    let release!: () => void;
    const slot = new Promise<void>((resolve) => (release = resolve));
    this.lastPost.set(
      channel,
      previous.then(() => slot),
    );
    await previous;
    try {
      return await run();
    } finally {
      setTimeout(release, this.postIntervalMs).unref?.();
    }
  }
}
