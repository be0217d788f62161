/**
 * Observables: the indicators and context a finding carries, typed with TheHive's data types.
 *
 * Every value is validated before it becomes an observable (a real IPv4/IPv6, a hostname with a
 * real TLD, a hex hash of a known length), GuardDuty's sample placeholders are dropped, and values
 * are deduplicated by data type + data with their tags merged. Private and reserved addresses are
 * context, never indicators (`ioc: false`), and say why in a tag.
 */
import { isIP } from 'node:net';
import { domainToUnicode } from 'node:url';
import tlds from 'tlds';
import type { Observable } from '../domain/finding';

/** Where an address sits: anything but `public` is context, not an indicator. */
export type AddressClass =
  'public' | 'private' | 'loopback' | 'link-local' | 'cgnat' | 'documentation' | 'multicast' | 'reserved';

/** IPv4 special-purpose blocks (RFC 6890 and successors): [first address, prefix length, class]. */
const IPV4_BLOCKS: [number[], number, AddressClass][] = [
  [[0, 0, 0, 0], 8, 'reserved'],
  [[10, 0, 0, 0], 8, 'private'],
  [[100, 64, 0, 0], 10, 'cgnat'],
  [[127, 0, 0, 0], 8, 'loopback'],
  [[169, 254, 0, 0], 16, 'link-local'],
  [[172, 16, 0, 0], 12, 'private'],
  [[192, 0, 0, 0], 24, 'reserved'],
  [[192, 0, 2, 0], 24, 'documentation'],
  [[192, 88, 99, 0], 24, 'reserved'],
  [[192, 168, 0, 0], 16, 'private'],
  [[198, 18, 0, 0], 15, 'reserved'],
  [[198, 51, 100, 0], 24, 'documentation'],
  [[203, 0, 113, 0], 24, 'documentation'],
  [[224, 0, 0, 0], 4, 'multicast'],
  [[240, 0, 0, 0], 4, 'reserved'],
];

const IPV4_RANGES = IPV4_BLOCKS.map(([octets, prefix, kind]) => {
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return { network: (ipv4Number(octets.join('.')) & mask) >>> 0, mask, kind };
});

/** A dotted IPv4 address as a 32-bit number (read digit by digit: this runs for every address). */
function ipv4Number(address: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i += 1) {
    const code = address.charCodeAt(i);
    if (code === 46) {
      value = value * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (code - 48);
    }
  }
  return value * 256 + octet;
}

function ipv4Class(address: string): AddressClass {
  const value = ipv4Number(address);
  for (const range of IPV4_RANGES) if ((value & range.mask) >>> 0 === range.network) return range.kind;
  return 'public';
}

/** The eight 16-bit groups of a valid IPv6 address (embedded IPv4 and `::` expanded). */
function ipv6Groups(address: string): number[] {
  let value = address.toLowerCase();
  const zone = value.indexOf('%');
  if (zone >= 0) value = value.slice(0, zone);
  const lastColon = value.lastIndexOf(':');
  const tail = value.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4Number(tail);
    value = `${value.slice(0, lastColon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', rest] = value.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = rest ? rest.split(':') : [];
  const groups =
    rest === undefined
      ? headGroups
      : [
          ...headGroups,
          ...new Array<string>(8 - headGroups.length - tailGroups.length).fill('0'),
          ...tailGroups,
        ];
  return groups.map((group) => parseInt(group, 16));
}

function ipv6Class(address: string): AddressClass {
  const g = ipv6Groups(address);
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const upperZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (upperZero && g5 === 0 && g6 === 0 && (g7 === 0 || g7 === 1)) return g7 === 1 ? 'loopback' : 'reserved';
  // IPv4-mapped (::ffff:a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) addresses are as public as their IPv4.
  const embeddedV4 = `${g6 >>> 8}.${g6 & 0xff}.${g7 >>> 8}.${g7 & 0xff}`;
  if (upperZero && g5 === 0xffff) return ipv4Class(embeddedV4);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) {
    return ipv4Class(embeddedV4);
  }
  if (g0 === 0x2001 && g1 === 0x0db8) return 'documentation';
  if (g0 === 0x3fff && g1 < 0x1000) return 'documentation';
  if ((g0 & 0xfe00) === 0xfc00) return 'private';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Global unicast is 2000::/3; everything else (discard prefix, old site-local, unassigned) is reserved.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved';
  return 'public';
}

/** Classifies an IP address; `undefined` when the text is not an IP address. */
export function addressClass(address: string): AddressClass | undefined {
  const version = isIP(address);
  if (version === 4) return ipv4Class(address);
  if (version === 6) return ipv6Class(address);
  return undefined;
}

const PLACEHOLDER = /^(GeneratedFinding|Replace with valid|CanonicalId of Owner)/i;

/** GuardDuty sample findings fill fields with placeholders that must never reach TheHive or threat intel. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

const TLDS = new Set(tlds);
const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_HOSTNAME = 253;

function knownTld(label: string): boolean {
  if (label.startsWith('xn--')) return TLDS.has(domainToUnicode(label));
  return TLDS.has(label);
}

/** A public DNS name: valid labels, at least two of them, ending in a real top-level domain. */
export function isHostname(name: string): boolean {
  const value = name.toLowerCase().replace(/\.$/, '');
  if (value.length === 0 || value.length > MAX_HOSTNAME) return false;
  const labels = value.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) if (!LABEL.test(label)) return false;
  return knownTld(labels[labels.length - 1] ?? '');
}

const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A host name inside a network (may be a single label like `HW-HOST-13`); not an IP, not an asset UUID. */
function isInternalHostname(name: string): boolean {
  if (name.length === 0 || name.length > MAX_HOSTNAME || UUID.test(name) || isIP(name)) return false;
  const labels = name.replace(/\.$/, '').split('.');
  return labels.every((label) => HOST_LABEL.test(label)) && !/^[\d.]+$/.test(name);
}

const HASH_TYPES: Record<number, string> = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const HEX = /^[0-9a-f]+$/i;
const MAIL = /^[a-z0-9._%+-]{1,64}@([a-z0-9.-]{1,253})$/i;
const ACCESS_KEY = /^(AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}$/;
const S3_BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Longest observable value kept; anything longer is not a useful indicator. */
const MAX_DATA = 4096;
/** TheHive rejects tags longer than 128 characters. */
const MAX_TAG = 128;

/** Who an address belongs to in the finding, which decides whether it is an indicator. */
export type AddressRole = 'attacker' | 'victim' | 'context';

/** The attacker-side address details GuardDuty and ASFF attach to an action. */
export interface RemoteHost {
  ipV4?: string;
  ipV6?: string;
  asn?: string;
  asnOrg?: string;
  country?: string;
}

/** Control characters have no place in an indicator (and would break the Slack and TheHive rendering). */
function hasControlCharacter(value: string): boolean {
  for (let i = 0; i < value.length; i += 1) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) return true;
  }
  return false;
}

function cleanTag(tag: string): string {
  return tag.length > MAX_TAG ? tag.slice(0, MAX_TAG) : tag;
}

function usable(value: string | undefined): value is string {
  return value !== undefined && value.length > 0 && value.length <= MAX_DATA && !isPlaceholder(value);
}

/**
 * Collects the observables of one finding: validates, deduplicates by data type + data and merges
 * the tags of duplicates (an address seen as a remote IP and in the description is one observable).
 */
export class ObservableSet {
  private readonly byKey = new Map<string, Observable & { tags: string[]; ioc: boolean }>();

  /** Adds a value as is, merging with an existing observable of the same type and data. */
  add(dataType: string, data: string, tags: string[], ioc: boolean, message?: string): void {
    const key = `${dataType}\u0000${data}`;
    const existing = this.byKey.get(key);
    if (existing) {
      for (const tag of tags) if (!existing.tags.includes(cleanTag(tag))) existing.tags.push(cleanTag(tag));
      existing.ioc = existing.ioc || ioc;
      if (message && !existing.message) existing.message = message;
      return;
    }
    const unique: string[] = [];
    for (const tag of tags) if (!unique.includes(cleanTag(tag))) unique.push(cleanTag(tag));
    const observable: Observable & { tags: string[]; ioc: boolean } = { dataType, data, tags: unique, ioc };
    if (message) observable.message = message;
    this.byKey.set(key, observable);
  }

  /** An IP address: an indicator only when an attacker's and publicly routable. */
  ip(value: string | undefined, tags: string[], role: AddressRole): void {
    if (!usable(value)) return;
    const address = value.trim().toLowerCase();
    const kind = addressClass(address);
    if (kind === undefined) return;
    const roleTags = role === 'victim' ? ['victim'] : [];
    const classTags = kind === 'public' ? [] : [kind];
    this.add('ip', address, [...tags, ...roleTags, ...classTags], role === 'attacker' && kind === 'public');
  }

  /** The remote side of a GuardDuty action: its IPv4/IPv6 with ASN, AS organisation and country as tags. */
  remoteHost(host: RemoteHost | undefined, tags: string[], role: AddressRole): void {
    if (!host) return;
    const context: string[] = [];
    if (host.asn && /^\d+$/.test(host.asn) && host.asn !== '0') context.push(`asn:${host.asn}`);
    if (usable(host.asnOrg)) context.push(`as-org:${host.asnOrg}`);
    if (usable(host.country)) context.push(`country:${host.country}`);
    this.ip(host.ipV4, [...tags, ...context], role);
    this.ip(host.ipV6, [...tags, ...context], role);
  }

  /** A public DNS name (`domain`); names that are not real hostnames are dropped. */
  domain(value: string | undefined, tags: string[], ioc: boolean): void {
    if (!usable(value)) return;
    const name = value.trim().toLowerCase().replace(/\.$/, '');
    if (isHostname(name)) this.add('domain', name, tags, ioc);
  }

  /** A host inside a network (`hostname`), context only. */
  hostname(value: string | undefined, tags: string[]): void {
    if (!usable(value)) return;
    const name = value.trim();
    if (isInternalHostname(name)) this.add('hostname', name.toLowerCase(), tags, false);
  }

  /** An http(s) or ftp URL with a real host. */
  url(value: string | undefined, tags: string[], ioc: boolean): void {
    if (!usable(value)) return;
    const candidate = value.trim();
    if (isUrl(candidate)) this.add('url', candidate, tags, ioc);
  }

  /** A hex hash of a known length, tagged with its algorithm. */
  hash(value: string | undefined, tags: string[], ioc: boolean): void {
    if (!usable(value)) return;
    const hex = value.trim().toLowerCase();
    const algorithm = HASH_TYPES[hex.length];
    if (algorithm && HEX.test(hex)) this.add('hash', hex, [...tags, algorithm], ioc);
  }

  /** An e-mail address whose domain is a real hostname. */
  mail(value: string | undefined, tags: string[]): void {
    if (!usable(value)) return;
    const address = value.trim().toLowerCase();
    const match = MAIL.exec(address);
    if (match?.[1] && isHostname(match[1])) this.add('mail', address, tags, false);
  }

  /** An HTTP user agent string. */
  userAgent(value: string | undefined, tags: string[]): void {
    if (!usable(value) || hasControlCharacter(value) || value.trim().length === 0) return;
    this.add('user-agent', value.trim(), tags, false);
  }

  /** A file name or path. */
  filename(value: string | undefined, tags: string[]): void {
    if (!usable(value) || hasControlCharacter(value) || value.trim().length === 0) return;
    this.add('filename', value.trim(), tags, false);
  }

  /** Context with no TheHive type of its own (user names, clusters, images, CVE ids …): `other`, never an IOC. */
  other(value: string | undefined, tags: string[], message?: string): void {
    if (!usable(value) || hasControlCharacter(value) || value.trim().length === 0) return;
    this.add('other', value.trim(), tags, false, message);
  }

  /** An IAM access key id, as context (the key is ours, used by someone). */
  accessKey(value: string | undefined): void {
    if (usable(value) && ACCESS_KEY.test(value.trim())) this.other(value, ['access-key']);
  }

  /** An S3 bucket name (from a name or an `arn:aws:s3:::bucket` ARN), as context. */
  bucket(value: string | undefined): void {
    if (!usable(value)) return;
    const name = value
      .trim()
      .replace(/^arn:[\w-]+:s3:::/, '')
      .replace(/\/.*$/, '');
    if (S3_BUCKET.test(name) && !isIP(name)) this.other(name, ['s3-bucket']);
  }

  /** A local or remote port number, as context. */
  port(value: number | undefined, side: 'local' | 'remote', serviceName?: string): void {
    if (value === undefined || !Number.isInteger(value) || value < 0 || value > 65535) return;
    const tags = [`port:${side}`];
    if (usable(serviceName) && serviceName !== 'Unknown') tags.push(`service:${serviceName}`);
    this.other(String(value), tags);
  }

  /**
   * Adds the observables found in free text (tagged `from-text`, never IOCs by themselves). A value
   * already known from a structured field keeps its tags: the text adds nothing to it.
   */
  text(value: string | undefined): void {
    if (!value) return;
    for (const found of extractObservablesFromText(value)) {
      if (!this.byKey.has(`${found.dataType}\u0000${found.data}`)) {
        this.add(found.dataType, found.data, found.tags ?? [], false);
      }
    }
  }

  /** The observables in the order they were first seen. */
  toArray(): Observable[] {
    return [...this.byKey.values()];
  }
}

function isUrl(candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:' && url.protocol !== 'ftp:') return false;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isHostname(host) || addressClass(host) !== undefined;
}

/** Defanging conventions analysts and feeds use (`hxxp://`, `[.]`, `(dot)`, `[:]`, `[@]`). */
const DEFANGED: [RegExp, string][] = [
  [/\[:\/\/\]/g, '://'],
  [/\[:\]/g, ':'],
  [/\b(h|f)xx(p|ps)(?=:\/\/)/gi, '$1tt$2'],
  [/\bfxp(?=:\/\/)/gi, 'ftp'],
  [/\[(?:\.|dot)\]|\((?:\.|dot)\)|\{(?:\.|dot)\}/gi, '.'],
  [/\[(?:@|at)\]|\((?:@|at)\)/gi, '@'],
];

/** Any character a defanged indicator must contain; text without one is returned as is. */
const DEFANG_TELL = /[[({]|xx|fxp/i;

/** Turns defanged indicators back into their real form: `hxxp://evil[.]com` → `http://evil.com`. */
export function refang(text: string): string {
  if (!DEFANG_TELL.test(text)) return text;
  let result = text;
  for (const [pattern, replacement] of DEFANGED) result = result.replace(pattern, replacement);
  return result;
}

/** Top-level names reserved for tests, documentation and local networks (RFC 2606, 6761, 6762, 9476). */
const SPECIAL_USE_TLDS = new Set([
  'example',
  'test',
  'invalid',
  'localhost',
  'local',
  'internal',
  'onion',
  'alt',
]);
/** A URL's scheme and authority (the host, with any user and port), to the first path character. */
const URL_AUTHORITY = /(:\/\/)([^\s/?#\\]+)/g;
/** `www.` where a name starts (not inside one such as `awww.x`). */
const WWW_PREFIX = /(?<![\p{L}\p{N}_-])(www)\.(?=[\p{L}\p{N}])/giu;
/**
 * Dotted names, Unicode ones included; each is then checked for a top-level domain among its labels.
 * Symbols and marks count as name characters, as linkifiers read host names (linkify-it links `a+.com`).
 */
const DOTTED_NAME = /[\p{L}\p{N}\p{S}\p{M}][\p{L}\p{N}\p{S}\p{M}_-]*(?:\.[\p{L}\p{N}\p{S}\p{M}_-]+)+/gu;

function endsLikeAHost(name: string): boolean {
  // Any label but the first: a linkifier that stops at a known TLD would link `evil.com` in `evil.com.x`.
  // A symbol ends a top-level domain for a linkifier (`evil.com<`): each label's parts between symbols count.
  const labels = name
    .toLowerCase()
    .split('.')
    .slice(1)
    .flatMap((label) => label.split(/[\p{S}\p{M}]+/u));
  return labels.some((label) => SPECIAL_USE_TLDS.has(label) || TWO_LETTERS.test(label) || knownTld(label));
}

/**
 * Two letters: linkifiers take a country-code list of their own, older than the root zone's (linkify-it
 * links `0.An`, Netherlands Antilles, retired in 2014), so any two-letter label counts as a TLD.
 */
const TWO_LETTERS = /^[a-z]{2}$/;

/**
 * Makes URLs and host names in text unclickable in any renderer, the way analysts write them
 * (`hxxps://evil[.]example/login`, `jdoe@example[.]com`): schemes anywhere in a word (Markdown
 * renderers link `https://` wherever it starts), every dot of a URL's host (numeric hosts such as
 * `3232235777` included, their scheme is enough), every dot of a name with a top-level domain
 * among its labels (`evil.example`, `invoice.zip`) or after `@`, and any `www.` that starts a name.
 * Bare IP addresses, version numbers and
 * names like `BitcoinTool.B` stay as they are: no renderer links them. {@link refang} undoes it.
 *
 * @example defang('see https://evil.example/x or www.evil.com') // 'see hxxps://evil[.]example/x or www[.]evil[.]com'
 */
export function defang(text: string): string {
  if (!text.includes('.') && !text.includes('://')) return text;
  return (
    text
      .replace(/(h)tt(ps?:\/\/)/gi, '$1xx$2')
      .replace(/(f)t(p:\/\/)/gi, '$1x$2')
      .replace(
        URL_AUTHORITY,
        // Only a dot a host goes on after: `evil.example).(` keeps its last dot, since `[.](` would be a link.
        (_match, separator: string, authority: string) =>
          separator + authority.replace(/\.(?=[\p{L}\p{N}])/gu, '[.]'),
      )
      .replace(DOTTED_NAME, (name: string, at: number, whole: string) =>
        // After `@` it is a mail domain: marked links `jdoe@corp.anything` whatever the top-level domain.
        whole[at - 1] === '@' || endsLikeAHost(name) ? name.replace(/\./g, '[.]') : name,
      )
      // marked and GFM link `www.` followed by any name.
      .replace(WWW_PREFIX, '$1[.]')
  );
}

const URL_IN_TEXT = /\b(?:https?|ftp):\/\/[^\s<>"'`]+/gi;
const MAIL_IN_TEXT = /[a-z0-9._%+-]{1,64}@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}/gi;
const IPV4_IN_TEXT = /(?<![\w.]|[0-9a-f]:)(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/gi;
const IPV6_IN_TEXT =
  /(?<![\w:.])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{0,4}|(?:\d{1,3}\.){3}\d{1,3})(?![\w:.]|\.\d)/gi;
/** Dotted names; each is then validated label by label (linear: no nested quantifiers to backtrack). */
const DOMAIN_IN_TEXT = /(?<![\w@.-])[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+/gi;
/** Hex runs of hash length; `hash()` keeps only 32, 40, 64 and 128 characters. */
const HASH_IN_TEXT = /\b[0-9a-f]{32,128}\b/gi;
const HAS_IPV4 = /\d\.\d/;
/** A dot between a label character and a letter: without one, no hostname can end in a TLD. */
const HAS_NAME = /[a-z0-9-]\.[a-z]/i;
const HAS_IPV6 = /[0-9a-f]?:[0-9a-f]*:/i;
const HEX_DIGIT = /[0-9a-f]/i;
/** Trailing punctuation that ends a sentence, not a URL. */
const URL_TRAILER = /[.,;:!?)\]}]+$/;
/** Real TLDs that are far more often file extensions in log and finding text. */
const EXTENSION_TLDS = new Set(['py', 'md', 'sh', 'rs', 'so', 'ps', 'zip', 'mov']);
/** Longest text scanned: findings cap descriptions well below this. */
const MAX_SCAN = 65_536;

/**
 * Finds IPs, domains/FQDNs, URLs, hashes and e-mail addresses in free text (also defanged, as in
 * `hxxp://evil[.]com` or `1.2.3[.]4`). Each value is validated; private and reserved addresses
 * carry their class as a tag. Used for finding descriptions and by `/hivewire lookup`.
 *
 * @example
 *   extractObservablesFromText('beacon to hxxp://evil[.]com from 203.0.113.7');
 *   // → url http://evil.com, ip 203.0.113.7 (tags: from-text, documentation)
 */
export function extractObservablesFromText(text: string): Observable[] {
  const found = new ObservableSet();
  const tags = ['from-text'];
  // Each kind is looked for only when its tell-tale character is there: most finding text has no
  // URL, e-mail or IPv6 address, and these scans are the costly part of normalising a finding.
  const whole = refang(text.length > MAX_SCAN ? text.slice(0, MAX_SCAN) : text);
  let rest = whole;
  if (rest.includes('://')) {
    for (const match of rest.matchAll(URL_IN_TEXT)) found.url(match[0].replace(URL_TRAILER, ''), tags, false);
    rest = rest.replace(URL_IN_TEXT, ' ');
  }
  if (rest.includes('@')) {
    for (const match of rest.matchAll(MAIL_IN_TEXT)) found.mail(match[0], tags);
    rest = rest.replace(MAIL_IN_TEXT, ' ');
  }
  // Addresses are looked for in the whole text: the host of a URL is an indicator of its own.
  if (HAS_IPV4.test(whole)) {
    for (const match of whole.matchAll(IPV4_IN_TEXT)) found.ip(match[0], tags, 'context');
  }
  if (HAS_IPV6.test(whole)) {
    // A run of colons alone (`AWS::S3::Bucket` leaves `::`) is not an address worth reporting.
    for (const match of whole.matchAll(IPV6_IN_TEXT)) {
      if (HEX_DIGIT.test(match[0])) found.ip(match[0], tags, 'context');
    }
  }
  for (const match of HAS_NAME.test(rest) ? rest.matchAll(DOMAIN_IN_TEXT) : []) {
    const name = match[0].toLowerCase();
    const tld = name.slice(name.lastIndexOf('.') + 1);
    if (EXTENSION_TLDS.has(tld) || !knownTld(tld)) continue;
    const dataType = name.split('.').length > 2 ? 'fqdn' : 'domain';
    if (isHostname(name)) found.add(dataType, name, tags, false);
  }
  for (const match of rest.matchAll(HASH_IN_TEXT)) found.hash(match[0], tags, false);
  return found.toArray();
}
