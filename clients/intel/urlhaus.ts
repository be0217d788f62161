/**
 * URLhaus (abuse.ch) API v1: whether a URL, a host or a payload hash is known for malware
 * distribution. Requests are form-encoded POSTs with the key in the `Auth-Key` header; URLhaus
 * reports its outcome in `query_status` (`ok`, `no_results`, `invalid_…`) rather than in the HTTP
 * status, and sends some numbers as strings.
 */
import * as z from '../../src/validation/zod';
import {
  IntelError,
  INTEL_TIMEOUT_MS,
  intelHttp,
  parseBody,
  send,
  statusError,
  type IntelClientOptions,
} from './http';
import type { UrlhausReport } from '../../src/domain/lookups';

const SERVICE = 'URLhaus';
const DEFAULT_BASE_URL = 'https://urlhaus-api.abuse.ch/v1';

const numberish = z.pipe(
  z.union([z.number(), z.string()]),
  z.transform((value) => Number(value)),
);

const answer = z.looseObject({
  query_status: z.string(),
  urlhaus_reference: z.optional(z.nullable(z.string())),
  threat: z.optional(z.nullable(z.string())),
  url_status: z.optional(z.nullable(z.string())),
  date_added: z.optional(z.nullable(z.string())),
  firstseen: z.optional(z.nullable(z.string())),
  url_count: z.optional(z.nullable(numberish)),
  tags: z.optional(z.nullable(z.array(z.string()))),
  file_type: z.optional(z.nullable(z.string())),
  signature: z.optional(z.nullable(z.string())),
});

export type UrlhausQuery = 'url' | 'host' | 'hash';

function form(kind: UrlhausQuery, value: string): { path: string; body: URLSearchParams } {
  switch (kind) {
    case 'url':
      return { path: '/url/', body: new URLSearchParams({ url: value }) };
    case 'host':
      return { path: '/host/', body: new URLSearchParams({ host: value }) };
    case 'hash':
      return {
        path: '/payload/',
        body: new URLSearchParams(value.length === 32 ? { md5_hash: value } : { sha256_hash: value }),
      };
  }
}

/** Which hashes URLhaus can be asked about (it indexes payloads by MD5 and SHA-256 only). */
export function urlhausAcceptsHash(hash: string): boolean {
  return /^[a-f0-9]{32}$/i.test(hash) || /^[a-f0-9]{64}$/i.test(hash);
}

export class UrlhausClient {
  private readonly http;

  constructor(apiKey: string, options: IntelClientOptions = {}) {
    this.http = intelHttp(options.baseUrl ?? DEFAULT_BASE_URL, options.timeoutMs ?? INTEL_TIMEOUT_MS, {
      'Auth-Key': apiKey,
    });
  }

  /** Looks a URL, a host (domain or IP) or an MD5/SHA-256 payload hash up. */
  async lookup(kind: UrlhausQuery, value: string): Promise<UrlhausReport> {
    const { path, body } = form(kind, value);
    const response = await send(SERVICE, () =>
      this.http.post(path, body.toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      }),
    );
    if (response.status !== 200) throw statusError(SERVICE, response.status);
    const data = parseBody(SERVICE, answer, response.data);
    if (data.query_status === 'no_results') return { listed: false, tags: [] };
    if (data.query_status === 'unknown_auth_key')
      throw new IntelError(SERVICE, 'unauthorized', 'refused the API key (unknown_auth_key)');
    if (data.query_status !== 'ok')
      throw new IntelError(SERVICE, 'bad-response', `query refused (${data.query_status.slice(0, 40)})`);
    return {
      listed: true,
      threat: data.threat ?? undefined,
      status: data.url_status ?? undefined,
      urlCount: data.url_count ?? undefined,
      tags: data.tags ?? [],
      fileType: data.file_type ?? undefined,
      signature: data.signature ?? undefined,
      firstSeen: data.date_added ?? data.firstseen ?? undefined,
      link: data.urlhaus_reference ?? undefined,
    };
  }
}
