/**
 * Shared-secret checks of inbound credentials (`Authorization` header), run before the body is read
 * or parsed. Both sides are reduced to HMAC-SHA256 digests under a per-process random key before a
 * constant-time comparison, so neither the content nor the length of the secret leaks through timing.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Never persisted or shared: it only makes the digests of two strings comparable in constant time. */
const COMPARISON_KEY = randomBytes(32);

/** Longest header value examined; anything longer is refused before it is hashed. */
const MAX_CREDENTIAL_LENGTH = 8 * 1024;

function digest(value: string): Buffer {
  return createHmac('sha256', COMPARISON_KEY).update(value, 'utf8').digest();
}

/** Constant-time equality of two strings of any lengths. An empty secret matches nothing. */
export function secretsEqual(given: string, secret: string): boolean {
  const same = timingSafeEqual(digest(given), digest(secret));
  return same && secret.length > 0;
}

function credentials(header: string | undefined, scheme: 'Bearer' | 'Basic'): string | undefined {
  if (header === undefined || header.length > MAX_CREDENTIAL_LENGTH) return undefined;
  // Scheme names are case-insensitive (RFC 9110 §11.1); one or more spaces separate the credentials.
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header);
  if (!match || match[1]!.toLowerCase() !== scheme.toLowerCase()) return undefined;
  return match[2];
}

/** `Authorization: Bearer <secret>`. */
export function checkBearer(header: string | undefined, secret: string): boolean {
  const token = credentials(header, 'Bearer');
  return token !== undefined && secretsEqual(token, secret);
}

/**
 * `Authorization: Basic base64(user:password)`, accepted when either
 * - the password is the secret, whatever the user name (`hivewire:<secret>`, `:<secret>`), which is
 *   what tools that only offer "user and password" fields (SNS subscription URLs, SIEM webhooks) send; or
 * - the whole `user:password` is the secret, for a secret configured as `user:password` to pin the
 *   user name as well.
 */
export function checkBasic(header: string | undefined, secret: string): boolean {
  const encoded = credentials(header, 'Basic');
  if (encoded === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return false;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const passwordMatches = secretsEqual(decoded.slice(colon + 1), secret);
  const pairMatches = secretsEqual(decoded, secret);
  return passwordMatches || pairMatches;
}

/** Either `checkBearer` or `checkBasic`. */
export function checkBearerOrBasic(header: string | undefined, secret: string): boolean {
  const bearer = checkBearer(header, secret);
  const basic = checkBasic(header, secret);
  return bearer || basic;
}

/**
 * The secret sent raw as the whole header (`Authorization: <secret>`), as TheHive's webhook "key"
 * authentication does.
 */
export function checkSecret(header: string | undefined, secret: string): boolean {
  if (header === undefined || header.length > MAX_CREDENTIAL_LENGTH) return false;
  return secretsEqual(header.trim(), secret);
}
