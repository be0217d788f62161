/**
 * RDAP (the JSON successor of WHOIS) for IP addresses and domains. Queries go through the rdap.org
 * bootstrap redirector, which answers with a redirect to the registry that holds the record (ARIN,
 * RIPE, Verisign, …), so Hivewire needs no copy of IANA's bootstrap files.
 */
import * as z from '../../src/validation/zod';
import { INTEL_TIMEOUT_MS, intelHttp, parseBody, send, statusError, type IntelClientOptions } from './http';
import type { RdapDomain, RdapNetwork } from '../../src/domain/lookups';

const SERVICE = 'RDAP';
const DEFAULT_BASE_URL = 'https://rdap.org';

const event = z.looseObject({ eventAction: z.string(), eventDate: z.optional(z.string()) });

interface RdapEntity {
  roles?: string[];
  vcardArray?: unknown;
  entities?: RdapEntity[];
}
const entity: z.ZodMiniType<RdapEntity> = z.lazy(() =>
  z.looseObject({
    roles: z.optional(z.array(z.string())),
    vcardArray: z.optional(z.unknown()),
    entities: z.optional(z.array(entity)),
  }),
);

const ipNetwork = z.looseObject({
  handle: z.optional(z.string()),
  name: z.optional(z.string()),
  startAddress: z.optional(z.string()),
  endAddress: z.optional(z.string()),
  country: z.optional(z.string()),
  type: z.optional(z.string()),
  cidr0_cidrs: z.optional(
    z.array(
      z.looseObject({
        v4prefix: z.optional(z.string()),
        v6prefix: z.optional(z.string()),
        length: z.optional(z.number()),
      }),
    ),
  ),
  entities: z.optional(z.array(entity)),
  events: z.optional(z.array(event)),
});

const domainRecord = z.looseObject({
  ldhName: z.optional(z.string()),
  handle: z.optional(z.string()),
  status: z.optional(z.array(z.string())),
  entities: z.optional(z.array(entity)),
  events: z.optional(z.array(event)),
});

/** The `fn` (formatted name) of a vCard in jCard form: `["vcard", [["fn", {}, "text", "Name"], …]]`. */
function vcardName(vcardArray: unknown): string | undefined {
  if (!Array.isArray(vcardArray) || !Array.isArray(vcardArray[1])) return undefined;
  for (const property of vcardArray[1] as unknown[]) {
    if (
      Array.isArray(property) &&
      property[0] === 'fn' &&
      typeof property[3] === 'string' &&
      property[3].trim()
    )
      return property[3].trim();
  }
  return undefined;
}

/** The first entity (searched one level deep, where registries nest contacts) with the role and a name. */
function nameWithRole(entities: RdapEntity[] | undefined, role: string): string | undefined {
  const all = [...(entities ?? []), ...(entities ?? []).flatMap((e) => e.entities ?? [])];
  for (const candidate of all) {
    if (!candidate.roles?.includes(role)) continue;
    const name = vcardName(candidate.vcardArray);
    if (name) return name;
  }
  return undefined;
}

function eventDate(events: z.infer<typeof event>[] | undefined, action: string): string | undefined {
  return events?.find((e) => e.eventAction === action)?.eventDate;
}

export class RdapClient {
  private readonly http;

  constructor(options: IntelClientOptions = {}) {
    this.http = intelHttp(options.baseUrl ?? DEFAULT_BASE_URL, options.timeoutMs ?? INTEL_TIMEOUT_MS, {
      Accept: 'application/rdap+json, application/json',
    });
  }

  /** The network an IP address belongs to; undefined when no registry knows it. */
  async ip(address: string): Promise<RdapNetwork | undefined> {
    const response = await send(SERVICE, () => this.http.get(`/ip/${encodeURIComponent(address)}`));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw statusError(SERVICE, response.status);
    const record = parseBody(SERVICE, ipNetwork, response.data);
    const cidr = record.cidr0_cidrs?.[0];
    const prefix = cidr?.v4prefix ?? cidr?.v6prefix;
    return {
      handle: record.handle,
      name: record.name,
      range:
        record.startAddress && record.endAddress
          ? `${record.startAddress} - ${record.endAddress}`
          : undefined,
      cidr: prefix && cidr?.length !== undefined ? `${prefix}/${cidr.length}` : undefined,
      country: record.country,
      owner: nameWithRole(record.entities, 'registrant') ?? nameWithRole(record.entities, 'administrative'),
      registered: eventDate(record.events, 'registration'),
      lastChanged: eventDate(record.events, 'last changed'),
    };
  }

  /** A domain's registration; undefined when the registry has no such domain. */
  async domain(name: string): Promise<RdapDomain | undefined> {
    const response = await send(SERVICE, () => this.http.get(`/domain/${encodeURIComponent(name)}`));
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw statusError(SERVICE, response.status);
    const record = parseBody(SERVICE, domainRecord, response.data);
    return {
      name: record.ldhName?.toLowerCase(),
      registrar: nameWithRole(record.entities, 'registrar'),
      registrant: nameWithRole(record.entities, 'registrant'),
      registered: eventDate(record.events, 'registration'),
      expires: eventDate(record.events, 'expiration'),
      status: record.status ?? [],
    };
  }
}
