/**
 * VirusTotal API v3: the last analysis verdicts for an IP address, a domain, a URL or a file hash.
 * The key travels in the `x-apikey` header; a 404 means VirusTotal has never seen the object.
 */
import * as z from '../../src/validation/zod';
import { INTEL_TIMEOUT_MS, intelHttp, parseBody, send, statusError, type IntelClientOptions } from './http';
import type { VirusTotalReport } from '../../src/domain/lookups';

const SERVICE = 'VirusTotal';
const DEFAULT_BASE_URL = 'https://www.virustotal.com/api/v3';
const GUI = 'https://www.virustotal.com/gui';

export type VirusTotalObject = 'ip' | 'domain' | 'url' | 'hash';

const count = z._default(z.int().check(z.nonnegative()), 0);
const objectResponse = z.looseObject({
  data: z.looseObject({
    id: z.string(),
    attributes: z.looseObject({
      last_analysis_stats: z.optional(
        z.looseObject({ malicious: count, suspicious: count, harmless: count, undetected: count }),
      ),
      reputation: z.optional(z.number()),
      /** Domains: registration time (epoch seconds), when VirusTotal knows it. */
      creation_date: z.optional(z.number()),
      /** Files: the most common name and type. */
      meaningful_name: z.optional(z.string()),
      type_description: z.optional(z.string()),
    }),
  }),
});

/** VirusTotal's id for a URL: its unpadded base64url encoding. */
export function virusTotalUrlId(url: string): string {
  return Buffer.from(url, 'utf8').toString('base64url');
}

function paths(kind: VirusTotalObject, value: string): { api: string; gui: string } {
  switch (kind) {
    case 'ip':
      return {
        api: `/ip_addresses/${encodeURIComponent(value)}`,
        gui: `${GUI}/ip-address/${encodeURIComponent(value)}`,
      };
    case 'domain':
      return {
        api: `/domains/${encodeURIComponent(value)}`,
        gui: `${GUI}/domain/${encodeURIComponent(value)}`,
      };
    case 'url': {
      const id = virusTotalUrlId(value);
      return { api: `/urls/${id}`, gui: `${GUI}/url/${id}` };
    }
    case 'hash':
      return { api: `/files/${encodeURIComponent(value)}`, gui: `${GUI}/file/${encodeURIComponent(value)}` };
  }
}

export class VirusTotalClient {
  private readonly http;

  constructor(apiKey: string, options: IntelClientOptions = {}) {
    this.http = intelHttp(options.baseUrl ?? DEFAULT_BASE_URL, options.timeoutMs ?? INTEL_TIMEOUT_MS, {
      'x-apikey': apiKey,
    });
  }

  /** The last analysis of an object; `found: false` when VirusTotal does not know it. */
  async report(kind: VirusTotalObject, value: string): Promise<VirusTotalReport> {
    const { api, gui } = paths(kind, value);
    const response = await send(SERVICE, () => this.http.get(api));
    const empty = { malicious: 0, suspicious: 0, harmless: 0, undetected: 0, link: gui };
    if (response.status === 404) return { found: false, ...empty };
    if (response.status !== 200) throw statusError(SERVICE, response.status);
    const { attributes } = parseBody(SERVICE, objectResponse, response.data).data;
    const stats = attributes.last_analysis_stats;
    return {
      found: true,
      ...empty,
      ...(stats
        ? {
            malicious: stats.malicious,
            suspicious: stats.suspicious,
            harmless: stats.harmless,
            undetected: stats.undetected,
          }
        : {}),
      reputation: attributes.reputation,
      fileName: attributes.meaningful_name,
      fileType: attributes.type_description,
    };
  }
}
