/**
 * Slack request signing (`X-Slack-Signature: v0=<hex HMAC-SHA256 of "v0:{timestamp}:{raw body}">`).
 * Checked before Bolt sees the request because Bolt only refuses timestamps that are too old: a
 * signed request stamped in the future would stay replayable until that future came. Here the
 * timestamp must be within five minutes of now in either direction.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Slack's replay window: five minutes, applied both ways. */
export const SLACK_TIMESTAMP_TOLERANCE_SECONDS = 5 * 60;

export type SlackSignatureFailure =
  | 'missing-timestamp'
  | 'malformed-timestamp'
  | 'timestamp-out-of-window'
  | 'missing-signature'
  | 'malformed-signature'
  | 'signature-mismatch';

export type SlackVerification = { ok: true } | { ok: false; reason: SlackSignatureFailure };

export interface SlackRequestToVerify {
  signingSecret: string;
  /** `X-Slack-Request-Timestamp`: Unix seconds. */
  timestampHeader: string | undefined;
  /** `X-Slack-Signature`: `v0=` and 64 hex digits. */
  signatureHeader: string | undefined;
  /** The body exactly as received, before any parsing: its bytes, or its text (signed as UTF-8). */
  rawBody: string | Uint8Array;
  nowMs: number;
}

function signature(signingSecret: string, timestamp: string, rawBody: string | Uint8Array): Buffer {
  // Over the bytes: a body that is not UTF-8 must still verify, so that its rejection can be kept.
  return createHmac('sha256', signingSecret).update(`v0:${timestamp}:`, 'utf8').update(rawBody).digest();
}

/**
 * Verifies a request's Slack signature and timestamp; says why when it fails (for the log, never for
 * the caller, who only gets a 401).
 *
 * @example
 *   const verdict = verifySlackRequest({ signingSecret, timestampHeader, signatureHeader, rawBody, nowMs: Date.now() });
 *   if (!verdict.ok) return { status: 401, body: '' };
 */
export function verifySlackRequest(request: SlackRequestToVerify): SlackVerification {
  const { timestampHeader, signatureHeader } = request;
  if (timestampHeader === undefined || timestampHeader === '')
    return { ok: false, reason: 'missing-timestamp' };
  if (!/^\d{1,12}$/.test(timestampHeader)) return { ok: false, reason: 'malformed-timestamp' };
  const skewSeconds = Math.abs(request.nowMs / 1000 - Number(timestampHeader));
  if (skewSeconds > SLACK_TIMESTAMP_TOLERANCE_SECONDS)
    return { ok: false, reason: 'timestamp-out-of-window' };

  if (signatureHeader === undefined || signatureHeader === '')
    return { ok: false, reason: 'missing-signature' };
  const given = /^v0=([0-9a-fA-F]{64})$/.exec(signatureHeader);
  if (!given) return { ok: false, reason: 'malformed-signature' };

  // Both sides are 32-byte digests here, so the comparison is constant-time.
  const expected = signature(request.signingSecret, timestampHeader, request.rawBody);
  if (!timingSafeEqual(Buffer.from(given[1]!, 'hex'), expected))
    return { ok: false, reason: 'signature-mismatch' };
  return { ok: true };
}

/** The two headers Slack would send with this body at this time. */
export interface SlackSignatureHeaders {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a body the way Slack does: for tests, and for the sandbox console, whose button clicks must
 * go through the real verification path.
 */
export function signSlackRequest(input: {
  signingSecret: string;
  rawBody: string | Uint8Array;
  nowMs: number;
}): SlackSignatureHeaders {
  const timestamp = String(Math.floor(input.nowMs / 1000));
  return {
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': `v0=${signature(input.signingSecret, timestamp, input.rawBody).toString('hex')}`,
  };
}
