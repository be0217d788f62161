/**
 * The TheHive 5 (API v1) client: one façade composing one endpoint object per resource, in the
 * manner of TheHive4py 2.x. Request and response types come from `schema.d.ts`, generated from
 * `openapi.yaml`; every answer is checked at runtime with the schemas in `validate.ts`.
 *
 * Transport: Bearer API key, optional `X-Organisation`, a deadline per attempt, and bounded retries
 * with exponential backoff and full jitter on 429, 5xx, network failures and timeouts (never on other
 * 4xx), honouring `Retry-After`. The API key never appears in a log line or an error.
 */
import type { Agent } from 'node:http';
import { setTimeout as wait } from 'node:timers/promises';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type * as z from '../../src/validation/zod';
// A named import: bundles then carry the version alone, not the whole package.json.
import { version } from '../../package.json';
import { caseUrlOf } from './case-url';
import type { components, paths } from './schema';
import {
  describeIssue,
  errorBodySchema,
  outputAlertSchema,
  outputCaseSchema,
  outputCommentSchema,
  outputPublicStatusSchema,
  queryResultSchemas,
  type QueryEntity,
} from './validate';

type Schemas = components['schemas'];
type JsonBody<Operation> = Operation extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;
type JsonAnswer<Operation, Status extends number> = Operation extends {
  responses: { [S in Status]: { content: { 'application/json': infer Answer } } };
}
  ? Answer
  : never;

export type InputCreateAlert = JsonBody<paths['/api/v1/alert']['post']>;
export type OutputAlert = JsonAnswer<paths['/api/v1/alert']['post'], 201>;
export type InputCreateCaseFromAlert = JsonBody<paths['/api/v1/alert/{alertId}/case']['post']>;
export type OutputCase = JsonAnswer<paths['/api/v1/case/{caseId}']['get'], 200>;
export type InputUpdateCase = JsonBody<paths['/api/v1/case/{caseId}']['patch']>;
export type InputCreateObservable = JsonBody<paths['/api/v1/case/{caseId}/observable']['post']>;
export type OutputObservable = Schemas['OutputObservable'];
export type OutputComment = JsonAnswer<paths['/api/v1/case/{caseId}/comment']['post'], 201>;
export type OutputPublicStatus = JsonAnswer<paths['/api/v1/status/public']['get'], 200>;
export type Severity = Schemas['Severity'];
export type Tlp = Schemas['Tlp'];
export type Pap = Schemas['Pap'];
export type CaseStage = Schemas['CaseStage'];
export type Filter = Schemas['Filter'];
export type QuerySelection = Schemas['QuerySelection'];
export type QueryStep = Schemas['QueryStep'];
/** A query pipeline: a selection, then traversals, filters, sorts and a page. */
export type Query = [QuerySelection, ...QueryStep[]];

type EntityOf<Operation> = Operation extends { _name: 'getAlert' }
  ? OutputAlert
  : Operation extends { _name: 'listCase' | 'getCase' }
    ? OutputCase
    : Operation extends { _name: 'observables' }
      ? OutputObservable
      : Operation extends { _name: 'comments' }
        ? OutputComment
        : never;

/** The answer to a query: an array of the entities its last selection or traversal reaches. */
export type QueryResult<Q extends readonly unknown[]> = Q extends readonly [...infer Init, infer Last]
  ? [EntityOf<Last>] extends [never]
    ? QueryResult<Init>
    : EntityOf<Last>[]
  : Schemas['QueryResult'];

/** What the client logs: retries (warn) and each answer (debug). A Powertools `Logger` fits. */
export interface TheHiveLogger {
  debug(message: string, attributes: Record<string, unknown>): void;
  warn(message: string, attributes: Record<string, unknown>): void;
}

export interface TheHiveClientOptions {
  /** TheHive's base URL, e.g. `https://thehive.example` (a path prefix is kept). */
  baseUrl: string;
  apiKey: string;
  /** Sent as `X-Organisation` when set: the organisation to act in, if not the user's default. */
  organisation?: string;
  /** Deadline of one attempt, response body included. Default 10 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, network failures and timeouts. Default 4. */
  retries?: number;
  /** First backoff ceiling; it doubles per retry (full jitter: the wait is random below it). Default 500 ms. */
  baseDelayMs?: number;
  /** Longest single wait, backoff or `Retry-After`; a longer `Retry-After` ends the retries. Default 30 s. */
  maxDelayMs?: number;
  logger?: TheHiveLogger;
  /** Told of every call once it is done, retries included (Hivewire's metrics). */
  observe?: (call: { durationMs: number; failed: boolean }) => void;
  /** Connection pooling, proxies, custom CAs: used for the base URL's protocol. */
  httpAgent?: Agent;
  /**
   * The deadline of the work a request belongs to (in Lambda, the record being worked), read at each
   * request: when it aborts, the attempt in flight is cancelled and no further wait or attempt starts,
   * so the retries end before the function is stopped.
   */
  deadline?: () => AbortSignal | undefined;
  /** Injected in tests so that backoff does not wait for real; it rejects when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Injected in tests to fix the jitter; returns [0, 1). */
  random?: () => number;
}

interface TheHiveErrorInit {
  message: string;
  method: string;
  path: string;
  status?: number;
  type?: string;
  code?: string;
  retryable: boolean;
  attempts: number;
}

/**
 * A TheHive request failed. `message` is TheHive's own message when it answered with an error body
 * (`{type, message}`), otherwise a description naming the method and path.
 */
export class TheHiveError extends Error {
  /** The HTTP status, or undefined when no answer came (network failure, timeout). */
  readonly status?: number;
  /** TheHive's error type (`CreateError`, `NotFoundError`, `AuthenticationError`, …). */
  readonly type?: string;
  /** The network error code (`ECONNRESET`, `ETIMEDOUT`, …) when no answer came. */
  readonly code?: string;
  readonly method: string;
  readonly path: string;
  /** Whether trying again later could succeed (429, 5xx, network, timeout). */
  readonly retryable: boolean;
  /** Requests sent, retries included. */
  readonly attempts: number;

  constructor(init: TheHiveErrorInit) {
    super(init.message);
    this.name = 'TheHiveError';
    this.status = init.status;
    this.type = init.type;
    this.code = init.code;
    this.method = init.method;
    this.path = init.path;
    this.retryable = init.retryable;
    this.attempts = init.attempts;
  }
}

/** TheHive answered success with a body that does not match the API: `field` names what is wrong. */
export class TheHiveResponseError extends TheHiveError {
  readonly field: string;

  constructor(init: Omit<TheHiveErrorInit, 'retryable'> & { field: string }) {
    super({ ...init, retryable: false });
    this.name = 'TheHiveResponseError';
    this.field = init.field;
  }
}

/**
 * Whether `error` is TheHive refusing a second alert with the same type, source and sourceRef
 * (400 `CreateError` "Alert … already exist…"). TheHive documents no 409 for it.
 */
export function isDuplicateAlert(error: unknown): boolean {
  return (
    error instanceof TheHiveError &&
    error.status === 400 &&
    (error.type === 'CreateError' || /already exist/i.test(error.message))
  );
}

/**
 * `Retry-After` as a wait in milliseconds: delay-seconds or an HTTP date (a past date is 0).
 * Undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  // An HTTP date names a weekday and a month; Date.parse alone would read "-1" as a year.
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

const USER_AGENT = `hivewire/${version}`;
const DEFAULTS = { timeoutMs: 10_000, retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
/** Cases (or comments) fetched per query page by `listChangedSince` (and `listInCase`). */
const CASE_PAGE_SIZE = 100;

interface Request<T> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  /** The answer's schema; none when TheHive answers 204 without a body. */
  schema?: z.ZodMiniType<T>;
}

type Outcome<T> = { kind: 'done'; value: T } | { kind: 'failed'; error: TheHiveError; retryAfterMs?: number };

function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Whether a failed call means TheHive is not doing its job for us: unreachable, failing (5xx, 429
 * after the retries, an answer not shaped as documented) or refusing the API key. An answer about the request itself (the 400 of an alert
 * that exists, a 404) is TheHive working.
 */
function isOutage(error: unknown): boolean {
  if (!(error instanceof TheHiveError) || error.status === undefined) return true;
  if (error instanceof TheHiveResponseError) return true;
  return isRetryableStatus(error.status) || error.status === 401 || error.status === 403;
}

/** The HTTP layer shared by the endpoint objects: headers, deadline, retries, validation. */
class TheHiveTransport {
  private readonly http: AxiosInstance;
  private readonly settings: typeof DEFAULTS;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;

  constructor(private readonly options: TheHiveClientOptions) {
    this.settings = {
      timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
      retries: options.retries ?? DEFAULTS.retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULTS.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULTS.maxDelayMs,
    };
    this.sleep = options.sleep ?? ((ms, signal) => wait(ms, undefined, { signal }));
    this.random = options.random ?? Math.random;
    const agent = options.baseUrl.startsWith('https:')
      ? { httpsAgent: options.httpAgent }
      : { httpAgent: options.httpAgent };
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      headers: {
        Authorization: `Bearer ${options.apiKey}`,
        Accept: 'application/json',
        'User-Agent': USER_AGENT,
        ...(options.organisation ? { 'X-Organisation': options.organisation } : {}),
      },
      // Statuses are judged here, not by axios: its errors carry the request config, API key
      // included, so none of them is ever rethrown (network failures are rewrapped too).
      validateStatus: () => true,
      // A redirect would replay the Authorization header to wherever it points.
      maxRedirects: 0,
      ...agent,
    });
  }

  /** Sends a request, retrying what may heal, and returns the validated answer. */
  async send<T>(request: Request<T>): Promise<T> {
    const startedAt = performance.now();
    const observe = (failed: boolean) =>
      this.options.observe?.({ durationMs: performance.now() - startedAt, failed });
    try {
      const value = await this.sendWithRetries(request);
      observe(false);
      return value;
    } catch (error) {
      observe(isOutage(error));
      throw error;
    }
  }

  private async sendWithRetries<T>(request: Request<T>): Promise<T> {
    const attempts = this.settings.retries + 1;
    const deadline = this.options.deadline?.();
    if (deadline?.aborted) throw this.outOfTime(request, 0);
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(request, attempt, deadline);
      if (outcome.kind === 'done') return outcome.value;
      const { error } = outcome;
      if (!error.retryable || attempt >= attempts || deadline?.aborted) throw error;
      const backoff = Math.floor(
        this.random() * Math.min(this.settings.maxDelayMs, this.settings.baseDelayMs * 2 ** (attempt - 1)),
      );
      const delayMs = outcome.retryAfterMs ?? backoff;
      if (delayMs > this.settings.maxDelayMs) {
        this.options.logger?.warn('TheHive asked to wait longer than allowed: not retrying now', {
          method: request.method,
          path: request.path,
          status: error.status,
          retryAfterMs: delayMs,
        });
        throw error;
      }
      this.options.logger?.warn('TheHive request failed: retrying', {
        method: request.method,
        path: request.path,
        attempt,
        status: error.status,
        type: error.type,
        code: error.code,
        delayMs,
      });
      await this.sleep(delayMs, deadline).catch(() => undefined);
      // The deadline passed during the wait: no attempt starts after it, and the last failure says why.
      if (deadline?.aborted) throw error;
    }
  }

  private async attempt<T>(
    request: Request<T>,
    attempt: number,
    deadline: AbortSignal | undefined,
  ): Promise<Outcome<T>> {
    const { method, path } = request;
    const startedAt = Date.now();
    let response: AxiosResponse<unknown>;
    try {
      response = await this.http.request({
        method,
        url: path,
        data: request.body === undefined ? undefined : JSON.stringify(request.body),
        headers: request.body === undefined ? {} : { 'Content-Type': 'application/json' },
        signal: deadline
          ? AbortSignal.any([AbortSignal.timeout(this.settings.timeoutMs), deadline])
          : AbortSignal.timeout(this.settings.timeoutMs),
      });
    } catch (failure) {
      if (deadline?.aborted) return { kind: 'failed', error: this.outOfTime(request, attempt) };
      return { kind: 'failed', error: this.networkError(request, failure, attempt) };
    }
    const { status } = response;
    this.options.logger?.debug('TheHive answered', {
      method,
      path,
      status,
      attempt,
      durationMs: Date.now() - startedAt,
    });
    if (status >= 200 && status < 300) {
      if (!request.schema) return { kind: 'done', value: undefined as T };
      const parsed = request.schema.safeParse(response.data);
      if (parsed.success) return { kind: 'done', value: parsed.data };
      const { field, problem } = describeIssue(parsed.error);
      return {
        kind: 'failed',
        error: new TheHiveResponseError({
          message: `${method} ${path} answered ${status} with an unexpected body: ${field}: ${problem}`,
          method,
          path,
          status,
          field,
          attempts: attempt,
        }),
      };
    }
    const body = errorBodySchema.safeParse(response.data);
    const retryable = isRetryableStatus(status);
    const header = response.headers['retry-after'];
    return {
      kind: 'failed',
      error: new TheHiveError({
        message: body.success
          ? this.redact(body.data.message)
          : `${method} ${path} answered HTTP ${status} without a TheHive error body`,
        method,
        path,
        status,
        type: body.success ? body.data.type : undefined,
        retryable,
        attempts: attempt,
      }),
      retryAfterMs:
        status === 429 || status === 503
          ? parseRetryAfter(typeof header === 'string' ? header : undefined, Date.now())
          : undefined,
    };
  }

  private networkError(request: Request<unknown>, failure: unknown, attempt: number): TheHiveError {
    const { method, path } = request;
    const timedOut =
      failure instanceof Error &&
      (failure.name === 'CanceledError' || failure.name === 'TimeoutError' || failure.name === 'AbortError');
    const code = axios.isAxiosError(failure) ? failure.code : undefined;
    // Only the failure's own message: the axios error also holds the request config and headers.
    const reason = failure instanceof Error ? failure.message : String(failure);
    return new TheHiveError({
      message: `${method} ${path} ${timedOut ? `timed out after ${this.settings.timeoutMs} ms` : `failed: ${this.redact(reason)}`} (${attempt} ${attempt === 1 ? 'attempt' : 'attempts'})`,
      method,
      path,
      code: timedOut ? 'ETIMEDOUT' : code,
      retryable: true,
      attempts: attempt,
    });
  }

  /** The deadline passed: retryable, since a later delivery of the work has time of its own. */
  private outOfTime(request: Request<unknown>, attempts: number): TheHiveError {
    const { method, path } = request;
    return new TheHiveError({
      message: `${method} ${path} gave no answer before the job's deadline (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'})`,
      method,
      path,
      code: 'ETIMEDOUT',
      retryable: true,
      attempts,
    });
  }

  private redact(text: string): string {
    return this.options.apiKey ? text.split(this.options.apiKey).join('[redacted]') : text;
  }
}

function segment(id: string | number): string {
  return encodeURIComponent(String(id));
}

/** `alerts`: create, read, find by source reference, promote to a case. */
export class AlertEndpoint {
  constructor(
    private readonly transport: TheHiveTransport,
    private readonly query: QueryEndpoint,
  ) {}

  /** Creates an alert with its observables inline (`POST /api/v1/alert`). */
  create(input: InputCreateAlert): Promise<OutputAlert> {
    return this.transport.send({
      method: 'POST',
      path: '/api/v1/alert',
      body: input,
      schema: outputAlertSchema,
    });
  }

  /** Reads an alert by `_id`. */
  get(alertId: string): Promise<OutputAlert> {
    return this.transport.send({
      method: 'GET',
      path: `/api/v1/alert/${segment(alertId)}`,
      schema: outputAlertSchema,
    });
  }

  /** The alert with this type, source and sourceRef (unique per organisation), or undefined. */
  async findBySourceRef(type: string, source: string, sourceRef: string): Promise<OutputAlert | undefined> {
    try {
      const [alert] = await this.query.run([
        { _name: 'getAlert', idOrName: `${type};${source};${sourceRef}` },
      ]);
      return alert;
    } catch (error) {
      if (error instanceof TheHiveError && error.status === 404) return undefined;
      throw error;
    }
  }

  /**
   * Promotes an alert to a case; the alert's observables are copied into it.
   *
   * @example client.alerts.promote('~4096', { caseTemplate: 'AWS finding' })
   */
  promote(alertId: string, input: InputCreateCaseFromAlert = {}): Promise<OutputCase> {
    return this.transport.send({
      method: 'POST',
      path: `/api/v1/alert/${segment(alertId)}/case`,
      body: input,
      schema: outputCaseSchema,
    });
  }
}

/** `cases`: read, update, and list those changed since a time. */
export class CaseEndpoint {
  constructor(
    private readonly transport: TheHiveTransport,
    private readonly query: QueryEndpoint,
  ) {}

  /** Reads a case by `_id` (`~123`) or number (`42`). */
  get(idOrNumber: string | number): Promise<OutputCase> {
    return this.transport.send({
      method: 'GET',
      path: `/api/v1/case/${segment(idOrNumber)}`,
      schema: outputCaseSchema,
    });
  }

  /** Changes only the fields given (TheHive answers 204). */
  async update(idOrNumber: string | number, patch: InputUpdateCase): Promise<void> {
    await this.transport.send({ method: 'PATCH', path: `/api/v1/case/${segment(idOrNumber)}`, body: patch });
  }

  /**
   * Cases updated after `sinceMs` (epoch ms), oldest change first, every page of them; only those
   * whose `_id` is in `ids` when given.
   */
  async listChangedSince(sinceMs: number, ids?: readonly string[]): Promise<OutputCase[]> {
    if (ids && ids.length === 0) return [];
    const changed: Filter = { _gt: { _field: '_updatedAt', _value: sinceMs } };
    const filter: Filter = ids ? { _and: [changed, { _in: { _field: '_id', _values: [...ids] } }] } : changed;
    const cases: OutputCase[] = [];
    for (let from = 0; ; from += CASE_PAGE_SIZE) {
      const page = await this.query.run([
        { _name: 'listCase' },
        { _name: 'filter', ...filter },
        { _name: 'sort', _fields: [{ _updatedAt: 'asc' }] },
        { _name: 'page', from, to: from + CASE_PAGE_SIZE },
      ]);
      cases.push(...page);
      if (page.length < CASE_PAGE_SIZE) return cases;
    }
  }
}

/** `observables`: add observables to a case. */
export class ObservableEndpoint {
  constructor(private readonly transport: TheHiveTransport) {}

  /** Adds observables to a case; `data` as an array creates one per value. */
  createInCase(caseId: string, input: InputCreateObservable): Promise<OutputObservable[]> {
    return this.transport.send({
      method: 'POST',
      path: `/api/v1/case/${segment(caseId)}/observable`,
      body: input,
      schema: queryResultSchemas.observable,
    });
  }
}

/** `comments`: add, edit and delete a case's comments, and list them. */
export class CommentEndpoint {
  constructor(
    private readonly transport: TheHiveTransport,
    private readonly query: QueryEndpoint,
  ) {}

  /** Adds a Markdown comment to a case. */
  createInCase(caseId: string, message: string): Promise<OutputComment> {
    return this.transport.send({
      method: 'POST',
      path: `/api/v1/case/${segment(caseId)}/comment`,
      body: { message },
      schema: outputCommentSchema,
    });
  }

  /** Replaces a comment's text; TheHive marks it edited (answers 204). */
  async update(commentId: string, message: string): Promise<void> {
    await this.transport.send({
      method: 'PATCH',
      path: `/api/v1/comment/${segment(commentId)}`,
      body: { message },
    });
  }

  /** Deletes a comment (answers 204). */
  async delete(commentId: string): Promise<void> {
    await this.transport.send({ method: 'DELETE', path: `/api/v1/comment/${segment(commentId)}` });
  }

  /** A case's comments, oldest first, every page of them. */
  async listInCase(caseId: string): Promise<OutputComment[]> {
    const comments: OutputComment[] = [];
    for (let from = 0; ; from += CASE_PAGE_SIZE) {
      const page = await this.query.run([
        { _name: 'getCase', idOrName: caseId },
        { _name: 'comments' },
        { _name: 'sort', _fields: [{ createdAt: 'asc' }] },
        { _name: 'page', from, to: from + CASE_PAGE_SIZE },
      ]);
      comments.push(...page);
      if (page.length < CASE_PAGE_SIZE) return comments;
    }
  }
}

const ENTITY_OF_OPERATION: Partial<Record<string, QueryEntity>> = {
  getAlert: 'alert',
  listCase: 'case',
  getCase: 'case',
  observables: 'observable',
  comments: 'comment',
};

/** `query`: TheHive's query API, typed by what the pipeline reaches. */
export class QueryEndpoint {
  constructor(private readonly transport: TheHiveTransport) {}

  /**
   * Runs a query pipeline (`POST /api/v1/query`).
   *
   * @example
   * // the observables of case #42, first 100
   * await client.query.run([
   *   { _name: 'getCase', idOrName: '42' },
   *   { _name: 'observables' },
   *   { _name: 'page', from: 0, to: 100 },
   * ]); // → OutputObservable[]
   */
  run<Q extends Query>(query: Q, options: { excludeFields?: string[] } = {}): Promise<QueryResult<Q>> {
    let entity: QueryEntity = 'alert';
    for (const operation of query) entity = ENTITY_OF_OPERATION[operation._name] ?? entity;
    return this.transport.send({
      method: 'POST',
      path: '/api/v1/query',
      body: { query, ...(options.excludeFields ? { excludeFields: options.excludeFields } : {}) },
      schema: queryResultSchemas[entity] as unknown as z.ZodMiniType<QueryResult<Q>>,
    });
  }
}

/**
 * The TheHive client.
 *
 * @example
 * const theHive = new TheHiveClient({ baseUrl: 'https://thehive.example', apiKey });
 * const alert = await theHive.alerts.create({ type: 'hivewire', source: 'guardduty', sourceRef, title, description });
 * const theCase = await theHive.alerts.promote(alert._id);
 * theHive.caseUrl(theCase._id); // https://thehive.example/cases/~123/details
 */
export class TheHiveClient {
  readonly alerts: AlertEndpoint;
  readonly cases: CaseEndpoint;
  readonly observables: ObservableEndpoint;
  readonly comments: CommentEndpoint;
  readonly query: QueryEndpoint;
  private readonly transport: TheHiveTransport;
  private readonly baseUrl: string;
  private readonly tenants = new Map<string, TheHiveClient>();

  constructor(private readonly options: TheHiveClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.transport = new TheHiveTransport(options);
    this.query = new QueryEndpoint(this.transport);
    this.alerts = new AlertEndpoint(this.transport, this.query);
    this.cases = new CaseEndpoint(this.transport, this.query);
    this.observables = new ObservableEndpoint(this.transport);
    this.comments = new CommentEndpoint(this.transport, this.query);
  }

  /**
   * The same TheHive acting in another organisation (`X-Organisation`), with another API key when
   * given: one client per organisation and key, made once. Unchanged settings give this client.
   */
  inOrganisation(organisation: string | undefined, apiKey = this.options.apiKey): TheHiveClient {
    if (organisation === this.options.organisation && apiKey === this.options.apiKey) return this;
    const key = JSON.stringify([organisation, apiKey]);
    let client = this.tenants.get(key);
    if (!client) {
      client = new TheHiveClient({ ...this.options, organisation, apiKey });
      this.tenants.set(key, client);
    }
    return client;
  }

  /** The case's page in TheHive's web UI (see `caseUrlOf`). */
  caseUrl(caseId: string): string {
    return caseUrlOf(this.baseUrl, caseId);
  }

  /** TheHive's version (`GET /api/v1/status/public`, no authentication needed): a reachability check. */
  publicStatus(): Promise<OutputPublicStatus> {
    return this.transport.send({
      method: 'GET',
      path: '/api/v1/status/public',
      schema: outputPublicStatusSchema,
    });
  }
}
