/**
 * The product's routes see one request shape, whether it came from Node's http server or from API
 * Gateway: these helpers read it the same way everywhere.
 */
import type { Store } from '../store/store';

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: string;
  isBase64Encoded?: boolean;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

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

/** The body as text: API Gateway may base64 it, and it is UTF-8 underneath. */
export function rawBodyOf(request: HttpRequest): string {
  return request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
}

/**
 * Parses an authenticated request's JSON body; a body that is not JSON is kept as a dead letter of
 * `kind` (its first `keepChars` characters) and answered 400.
 */
export async function parseJsonBody(
  rawBody: string,
  kind: string,
  store: Pick<Store, 'putDeadLetter'>,
  keepChars: number,
): Promise<{ ok: true; body: unknown } | { ok: false; response: HttpResponse }> {
  try {
    return { ok: true, body: JSON.parse(rawBody) as unknown };
  } catch {
    await store.putDeadLetter({ kind, error: 'body: not JSON', payload: rawBody.slice(0, keepChars) });
    return { ok: false, response: jsonResponse(400, { error: 'body: not JSON' }) };
  }
}
