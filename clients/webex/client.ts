/**
 * The Webex REST client: the few endpoints Hivewire uses, typed, every answer checked with zod.
 *
 * Why not `webex` (the JS SDK) or `webex-node-bot-framework` on top of it: `webex@3.12.0` installs
 * 792 packages and 529 MB (measured here with `npm i --ignore-scripts`), most of it meetings,
 * calling and browser media that a bot posting cards never loads, and the framework pins the older
 * `webex@2.4.2` plus `mongodb@3`. Hivewire needs eight REST calls, bot-token auth and bounded retries;
 * axios, already a dependency, does that in one small file that the Lambda bundles carry cheaply.
 *
 * Transport: `Authorization: Bearer <bot token>`, a deadline per attempt, bounded retries with full
 * jitter. A 429 is retried after its `Retry-After` (Webex sends one with every 429); 502, 503, 504
 * and network failures are retried for reads and edits, and only 429 and 503 for `POST /messages`,
 * where an answer lost after Webex acted would otherwise post the message twice. The token never
 * appears in a log line or an error.
 */
import { setTimeout as wait } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type * as z from '../../src/validation/zod';
import { parseRetryAfter } from '../thehive/client';
import { describeIssue } from '../thehive/validate';
import {
  attachmentActionSchema,
  errorBodySchema,
  listOf,
  messageSchema,
  personSchema,
  roomSchema,
  webhookSchema,
  type WebexAttachmentAction,
  type WebexMessage,
  type WebexPerson,
  type WebexRoom,
  type WebexWebhook,
} from './schemas';

/** Webex's public API. */
export const WEBEX_API_URL = 'https://webexapis.com/v1';

export interface WebexClientOptions {
  token: string;
  /** `https://webexapis.com/v1` unless set (the sandbox: `<url>/sandbox/webex/v1`). */
  baseUrl?: string;
  /** Deadline of one attempt. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 3. */
  retries?: number;
  /** First backoff ceiling, doubled per retry. Default 500 ms. */
  baseDelayMs?: number;
  /** Longest wait, backoff or `Retry-After`; a longer `Retry-After` ends the retries. Default 30 s. */
  maxDelayMs?: number;
  logger?: { warn(message: string, attributes: Record<string, unknown>): void };
  /** Injected in tests so retries do not wait for real. */
  sleep?: (ms: number) => Promise<void>;
}

/** A Webex request failed: Webex's own message when it answered with an error body. */
export class WebexError extends Error {
  constructor(
    message: string,
    readonly method: string,
    readonly path: string,
    /** Undefined when no answer came. */
    readonly status: number | undefined,
    readonly trackingId: string | undefined,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'WebexError';
  }
}

/** What a message is made of when it is posted (Webex's "Create a Message" body). */
export interface NewWebexMessage {
  roomId?: string;
  toPersonId?: string;
  toPersonEmail?: string;
  parentId?: string;
  text?: string;
  markdown?: string;
  attachments?: { contentType: string; content: unknown }[];
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface Request<T> {
  method: Method;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  schema?: z.ZodMiniType<T>;
}

const DEFAULTS = { timeoutMs: 10_000, retries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Whether Webex may not have acted on a request that got `status` (undefined: no answer). */
function retryable(method: Method, path: string, status: number | undefined): boolean {
  if (status === 429 || status === 503) return true;
  const mayRepeat = !(method === 'POST' && path === '/messages');
  return mayRepeat && (status === undefined || status === 502 || status === 504);
}

export class WebexClient {
  private readonly http: AxiosInstance;
  private readonly settings: typeof DEFAULTS;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: WebexClientOptions) {
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: options.retries ?? DEFAULTS.retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
    this.sleep = options.sleep ?? ((ms) => wait(ms));
    this.http = axios.create({
      baseURL: (options.baseUrl ?? WEBEX_API_URL).replace(/\/+$/, ''),
      headers: { Authorization: `Bearer ${options.token}`, Accept: 'application/json' },
      // Statuses are judged here: axios's errors carry the request config, token included.
      validateStatus: () => true,
      maxRedirects: 0,
    });
  }

  createMessage(message: NewWebexMessage): Promise<WebexMessage> {
    return this.send({ method: 'POST', path: '/messages', body: message, schema: messageSchema });
  }

  getMessage(id: string): Promise<WebexMessage> {
    return this.send({ method: 'GET', path: `/messages/${encodeURIComponent(id)}`, schema: messageSchema });
  }

  /** Edits a message's text (Webex refuses edits of messages with attachments, and after 10 edits). */
  editMessage(id: string, edit: { roomId: string; markdown: string; text?: string }): Promise<WebexMessage> {
    return this.send({
      method: 'PUT',
      path: `/messages/${encodeURIComponent(id)}`,
      body: edit,
      schema: messageSchema,
    });
  }

  deleteMessage(id: string): Promise<void> {
    return this.send({ method: 'DELETE', path: `/messages/${encodeURIComponent(id)}` });
  }

  /** A card submission: its inputs and data, which the webhook delivery does not carry. */
  getAttachmentAction(id: string): Promise<WebexAttachmentAction> {
    return this.send({
      method: 'GET',
      path: `/attachment/actions/${encodeURIComponent(id)}`,
      schema: attachmentActionSchema,
    });
  }

  /** The bot itself. */
  me(): Promise<WebexPerson> {
    return this.send({ method: 'GET', path: '/people/me', schema: personSchema });
  }

  getPerson(id: string): Promise<WebexPerson> {
    return this.send({ method: 'GET', path: `/people/${encodeURIComponent(id)}`, schema: personSchema });
  }

  async findPeopleByEmail(email: string): Promise<WebexPerson[]> {
    const list = await this.send({
      method: 'GET',
      path: '/people',
      query: { email },
      schema: listOf(personSchema),
    });
    return list.items;
  }

  getRoom(id: string): Promise<WebexRoom> {
    return this.send({ method: 'GET', path: `/rooms/${encodeURIComponent(id)}`, schema: roomSchema });
  }

  async listWebhooks(): Promise<WebexWebhook[]> {
    const list = await this.send({
      method: 'GET',
      path: '/webhooks',
      query: { max: '100' },
      schema: listOf(webhookSchema),
    });
    return list.items;
  }

  createWebhook(webhook: {
    name: string;
    targetUrl: string;
    resource: string;
    event: string;
    filter?: string;
    secret: string;
  }): Promise<WebexWebhook> {
    return this.send({ method: 'POST', path: '/webhooks', body: webhook, schema: webhookSchema });
  }

  updateWebhook(
    id: string,
    webhook: { name: string; targetUrl: string; secret: string; status: 'active' },
  ): Promise<WebexWebhook> {
    return this.send({
      method: 'PUT',
      path: `/webhooks/${encodeURIComponent(id)}`,
      body: webhook,
      schema: webhookSchema,
    });
  }

  private async send<T>(request: Request<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(request, attempt);
      if (outcome.ok) return outcome.value;
      const { error, retryAfterMs } = outcome;
      if (!retryable(request.method, request.path, error.status) || attempt > this.settings.retries)
        throw error;
      const backoff = Math.floor(
        Math.random() * Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1)),
      );
      const delayMs = retryAfterMs ?? backoff;
      if (delayMs > this.settings.maxDelayMs) throw error;
      this.options.logger?.warn('Webex request failed: retrying', {
        method: request.method,
        path: request.path,
        status: error.status,
        trackingId: error.trackingId,
        attempt,
        delayMs,
      });
      await this.sleep(delayMs);
    }
  }

  private async attempt<T>(
    request: Request<T>,
    attempt: number,
  ): Promise<{ ok: true; value: T } | { ok: false; error: WebexError; retryAfterMs?: number }> {
    const { method, path } = request;
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.request({
        method,
        url: path,
        params: request.query,
        data: request.body,
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (failure) {
      const code = axios.isAxiosError(failure) ? (failure.code ?? 'network error') : String(failure);
      return {
        ok: false,
        error: new WebexError(
          `${method} ${path}: no answer (${code})`,
          method,
          path,
          undefined,
          undefined,
          attempt,
        ),
      };
    }
    const { status } = response;
    if (status >= 200 && status < 300) {
      if (!request.schema) return { ok: true, value: undefined as T };
      const parsed = request.schema.safeParse(response.data);
      if (parsed.success) return { ok: true, value: parsed.data };
      const { field, problem } = describeIssue(parsed.error);
      return {
        ok: false,
        error: new WebexError(
          `${method} ${path} answered ${status} with an unexpected body: ${field}: ${problem}`,
          method,
          path,
          status,
          undefined,
          attempt,
        ),
      };
    }
    const body = errorBodySchema.safeParse(response.data);
    const trackingHeader = response.headers['trackingid'];
    const trackingId = body.success
      ? body.data.trackingId
      : typeof trackingHeader === 'string'
        ? trackingHeader
        : undefined;
    const header = response.headers['retry-after'];
    return {
      ok: false,
      error: new WebexError(
        body.success
          ? `Webex answered ${status}: ${body.data.message}`
          : `${method} ${path} answered HTTP ${status}`,
        method,
        path,
        status,
        trackingId,
        attempt,
      ),
      retryAfterMs: parseRetryAfter(typeof header === 'string' ? header : undefined, Date.now()),
    };
  }
}
