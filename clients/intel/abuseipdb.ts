/**
 * AbuseIPDB API v2 `check`: how often an IP address was reported for abuse, and by how many people.
 * The key travels in the `Key` header.
 */
import * as z from '../../src/validation/zod';
import { INTEL_TIMEOUT_MS, intelHttp, parseBody, send, statusError, type IntelClientOptions } from './http';
import type { AbuseIpReport } from '../../src/domain/lookups';

const SERVICE = 'AbuseIPDB';
const DEFAULT_BASE_URL = 'https://api.abuseipdb.com/api/v2';
/** Reports older than this are not counted (AbuseIPDB's own default is 30 days). */
const MAX_AGE_DAYS = 90;

const checkResponse = z.looseObject({
  data: z.looseObject({
    ipAddress: z.string(),
    isPublic: z.optional(z.boolean()),
    isWhitelisted: z.optional(z.nullable(z.boolean())),
    abuseConfidenceScore: z.int().check(z.gte(0), z.lte(100)),
    countryCode: z.optional(z.nullable(z.string())),
    usageType: z.optional(z.nullable(z.string())),
    isp: z.optional(z.nullable(z.string())),
    domain: z.optional(z.nullable(z.string())),
    isTor: z.optional(z.boolean()),
    totalReports: z._default(z.int().check(z.nonnegative()), 0),
    numDistinctUsers: z._default(z.int().check(z.nonnegative()), 0),
    lastReportedAt: z.optional(z.nullable(z.string())),
  }),
});

export class AbuseIpDbClient {
  private readonly http;

  constructor(apiKey: string, options: IntelClientOptions = {}) {
    this.http = intelHttp(options.baseUrl ?? DEFAULT_BASE_URL, options.timeoutMs ?? INTEL_TIMEOUT_MS, {
      Key: apiKey,
    });
  }

  /** Reports on an IP address over the last 90 days. */
  async check(address: string): Promise<AbuseIpReport> {
    const response = await send(SERVICE, () =>
      this.http.get('/check', { params: { ipAddress: address, maxAgeInDays: MAX_AGE_DAYS } }),
    );
    if (response.status !== 200) throw statusError(SERVICE, response.status);
    const { data } = parseBody(SERVICE, checkResponse, response.data);
    return {
      score: data.abuseConfidenceScore,
      totalReports: data.totalReports,
      distinctReporters: data.numDistinctUsers,
      country: data.countryCode ?? undefined,
      isp: data.isp ?? undefined,
      usageType: data.usageType ?? undefined,
      isTor: data.isTor ?? false,
      whitelisted: data.isWhitelisted ?? false,
      lastReportedAt: data.lastReportedAt ?? undefined,
      link: `https://www.abuseipdb.com/check/${encodeURIComponent(data.ipAddress)}`,
    };
  }
}
