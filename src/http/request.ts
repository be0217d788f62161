/**
 * The product's routes see one request shape, whether it came from Node's http server or from API
 * Gateway: these helpers read it the same way everywhere.
 */
import { isUtf8 } from 'node:buffer';
import { parseJsonText } from '../validation/json';
import type { Store } from '../store/store';

export interface HttpRequest {
  method: string;
  path: string;
  /** The raw query string, without `?` (only the install routes read one). */
  query?: string;
  headers: Record<string, string | undefined>;
  body: string;
  isBase64Encoded?: boolean;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

/** What every route is: one request in, its response out (src/http/endpoints/). */
export type Endpoint = (request: HttpRequest) => Promise<HttpResponse>;

/** A JSON answer. */
export function jsonResponse(status: number, body: unknown): HttpResponse {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

/** A header by name, whatever its letter case (HTTP header names are case-insensitive). */
export function headerOf(headers: HttpRequest['headers'], name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/**
 * The body fields for the bytes a client sent: the text when they are UTF-8, otherwise base64 (as API
 * Gateway passes a binary body), so that a signature can still be checked over the exact bytes and the
 * rejection can keep them.
 */
export function bodyFromBytes(bytes: Buffer): Pick<HttpRequest, 'body' | 'isBase64Encoded'> {
  return isUtf8(bytes)
    ? { body: bytes.toString('utf8'), isBase64Encoded: false }
    : { body: bytes.toString('base64'), isBase64Encoded: true };
}

/** The body's bytes exactly as received: what a signature covers. */
export function bodyBytesOf(request: Pick<HttpRequest, 'body' | 'isBase64Encoded'>): Buffer {
  return Buffer.from(request.body, request.isBase64Encoded ? 'base64' : 'utf8');
}

/** The body's size in bytes, without copying it. */
export function bodySizeOf(request: Pick<HttpRequest, 'body' | 'isBase64Encoded'>): number {
  return Buffer.byteLength(request.body, request.isBase64Encoded ? 'base64' : 'utf8');
}

/** The body as text, or undefined when its bytes are not UTF-8 (which JSON exchanged between systems must be). */
export function bodyTextOf(request: Pick<HttpRequest, 'body' | 'isBase64Encoded'>): string | undefined {
  if (!request.isBase64Encoded) return request.body;
  const bytes = bodyBytesOf(request);
  return isUtf8(bytes) ? bytes.toString('utf8') : undefined;
}

export type ParsedBody = { ok: true; body: unknown } | { ok: false; response: HttpResponse };

/** The 400 for a body that cannot be used, after keeping it as a dead letter of `kind`. */
export async function refuseBody(
  error: string,
  payload: unknown,
  { kind, store }: Pick<BodyRules, 'kind' | 'store'>,
): Promise<{ ok: false; response: HttpResponse }> {
  await store.putDeadLetter({ kind, error, payload });
  return { ok: false, response: jsonResponse(400, { error }) };
}

/** Largest body a route reads: the local server stops reading there, and API Gateway allows more. */
export const MAX_BODY_BYTES = 1024 * 1024;

export interface BodyRules {
  /** The dead letter's kind, e.g. `rejected-webhook`. */
  kind: string;
  store: Pick<Store, 'putDeadLetter'>;
  /** How much of a refused body the dead letter keeps (the store's items are capped at 400 KB). */
  keepChars: number;
  /** Larger bodies get 413; MAX_BODY_BYTES unless the route wants less. */
  maxBytes?: number;
}

/**
 * Parses an authenticated request's JSON body. A body that is too large (413), not UTF-8, nested
 * deeper than MAX_JSON_DEPTH or not JSON (400) is kept as a dead letter (its first `keepChars`
 * characters; bytes that are not UTF-8 as base64) and answered with an error naming what is wrong.
 */
export async function parseJsonBody(
  request: Pick<HttpRequest, 'body' | 'isBase64Encoded'>,
  rules: BodyRules,
): Promise<ParsedBody> {
  const oversized = await refuseOversizedBody(request, rules);
  if (oversized) return { ok: false, response: oversized };
  const text = bodyTextOf(request);
  if (text === undefined) return refuseBody('body: not UTF-8', request.body.slice(0, rules.keepChars), rules);
  const parsed = parseJsonText(text);
  if (!parsed.ok) return refuseBody(`body: ${parsed.error}`, text.slice(0, rules.keepChars), rules);
  return { ok: true, body: parsed.value };
}

/** The 413 for an authenticated body over the route's limit, kept (cut) as a dead letter; undefined when it fits. */
export async function refuseOversizedBody(
  request: Pick<HttpRequest, 'body' | 'isBase64Encoded'>,
  { kind, store, keepChars, maxBytes = MAX_BODY_BYTES }: BodyRules,
): Promise<HttpResponse | undefined> {
  if (bodySizeOf(request) <= maxBytes) return undefined;
  const error = `body: larger than ${maxBytes} bytes`;
  await store.putDeadLetter({ kind, error, payload: request.body.slice(0, keepChars) });
  return jsonResponse(413, { error });
}
