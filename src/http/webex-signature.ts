/**
 * Webex webhook signing: a webhook created with a `secret` carries `X-Spark-Signature`, the hex
 * HMAC-SHA1 of the raw body under that secret. Checked on the bytes as received, before anything is
 * parsed, and compared in constant time. Webex signs no timestamp, so a captured delivery could be
 * replayed: what a delivery asks for is read back from Webex by id (`GET /v1/attachment/actions/{id}`,
 * `GET /v1/messages/{id}`) and applied idempotently, so a replay changes nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** (contract) The header Webex signs its webhook deliveries in. */
export const WEBEX_SIGNATURE_HEADER = 'x-spark-signature';

export type WebexSignatureFailure =
  'missing-secret' | 'missing-signature' | 'malformed-signature' | 'signature-mismatch';

export type WebexVerification = { ok: true } | { ok: false; reason: WebexSignatureFailure };

function signature(secret: string, rawBody: string | Uint8Array): Buffer {
  return createHmac('sha1', secret).update(rawBody).digest();
}

/**
 * Verifies `X-Spark-Signature` over `rawBody`; says why when it fails (for the log: the caller only
 * answers 401). An empty secret verifies nothing.
 */
export function verifyWebexSignature(input: {
  secret: string;
  signatureHeader: string | undefined;
  rawBody: string | Uint8Array;
}): WebexVerification {
  if (input.secret === '') return { ok: false, reason: 'missing-secret' };
  if (input.signatureHeader === undefined || input.signatureHeader === '')
    return { ok: false, reason: 'missing-signature' };
  if (!/^[0-9a-fA-F]{40}$/.test(input.signatureHeader)) return { ok: false, reason: 'malformed-signature' };
  // Both sides are 20-byte digests here, so the comparison is constant-time.
  const given = Buffer.from(input.signatureHeader, 'hex');
  if (!timingSafeEqual(given, signature(input.secret, input.rawBody)))
    return { ok: false, reason: 'signature-mismatch' };
  return { ok: true };
}

/** Signs a body as Webex does: for tests, and for the sandbox, whose deliveries go through the real check. */
export function signWebexBody(secret: string, rawBody: string | Uint8Array): string {
  return signature(secret, rawBody).toString('hex');
}
