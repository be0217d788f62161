/**
 * What the threat-intel clients share: one axios instance per service with a hard timeout and no
 * retries (a lookup is interactive: an analyst waits for it, and one slow service must not hold the
 * others), and one error type carrying the service, a code and the HTTP status.
 */
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import * as z from '../../src/validation/zod';

/** Default deadline of one lookup request. */
export const INTEL_TIMEOUT_MS = 4_000;

export type IntelErrorCode =
  'timeout' | 'network' | 'http' | 'rate-limited' | 'unauthorized' | 'bad-response';

/** A lookup that failed: `code` says how, `status` is the HTTP status when there was one. */
export class IntelError extends Error {
  constructor(
    readonly service: string,
    readonly code: IntelErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(`${service}: ${message}`);
    this.name = 'IntelError';
  }
}

export interface IntelClientOptions {
  /** Overrides the service's base URL (tests, proxies). */
  baseUrl?: string;
  timeoutMs?: number;
}

/** An axios instance that never throws on an HTTP status: each client decides what a status means. */
export function intelHttp(
  baseURL: string,
  timeoutMs: number,
  headers: Record<string, string> = {},
): AxiosInstance {
  return axios.create({
    baseURL,
    timeout: timeoutMs,
    headers: { Accept: 'application/json', 'User-Agent': 'hivewire', ...headers },
    validateStatus: () => true,
    maxRedirects: 5,
    // Bodies are small JSON documents; a huge answer is a broken or hostile service.
    maxContentLength: 2 * 1024 * 1024,
  });
}

/** Runs a request, turning transport failures (timeout, DNS, reset) into an IntelError. */
export async function send<T>(
  service: string,
  request: () => Promise<AxiosResponse<T>>,
): Promise<AxiosResponse<T>> {
  try {
    return await request();
  } catch (error) {
    if (axios.isAxiosError(error)) {
      if (error.code === 'ECONNABORTED' || error.code === 'ETIMEDOUT')
        throw new IntelError(service, 'timeout', 'no answer in time');
      throw new IntelError(service, 'network', error.code ?? error.message);
    }
    throw new IntelError(service, 'network', error instanceof Error ? error.message : String(error));
  }
}

/** Maps an unexpected HTTP status to an IntelError (the caller has handled the statuses it expects). */
export function statusError(service: string, status: number): IntelError {
  if (status === 401 || status === 403)
    return new IntelError(service, 'unauthorized', `refused the API key (HTTP ${status})`, status);
  if (status === 429) return new IntelError(service, 'rate-limited', 'rate limit reached (HTTP 429)', status);
  return new IntelError(service, 'http', `answered HTTP ${status}`, status);
}

/** Parses a response body with its schema; a mismatch names the field. */
export function parseBody<S extends z.core.$ZodType>(service: string, schema: S, body: unknown): z.infer<S> {
  const parsed = z.safeParse(schema, body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'body';
    throw new IntelError(
      service,
      'bad-response',
      `unexpected answer (${where}: ${issue?.message ?? 'invalid'})`,
    );
  }
  return parsed.data;
}
