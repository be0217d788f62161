/**
 * `POST /ingest` at the transport level, the same behind API Gateway and in the local server: who may
 * send (the ingest secret as Bearer or Basic, or a verified Amazon SNS signature), how big, whether it
 * is JSON, and which answer each outcome gets. What a finding is, is the `accept` callback's business.
 */
import { headerOf } from './request';
import { checkBearerOrBasic } from './auth';
import { SnsConfirmationError, type SnsVerifier } from './sns';

/** Larger bodies are refused with 413 (SNS messages are at most 256 KiB; SIEM batches stay well below). */
export const INGEST_MAX_BODY_BYTES = 1024 * 1024;

/** Rejections named in a 400's `error`; all of them are in `rejected`. */
const REJECTIONS_IN_MESSAGE = 3;

export interface IngestRequest {
  headers: Record<string, string | undefined>;
  /** The body as received (UTF-8 text). */
  rawBody: string;
}

/**
 * An entry of the event that was not queued, with a sentence saying why. A finding below the severity
 * threshold also names its fingerprint and the threshold; an entry skipped while parsing (not a
 * finding event, our own echo) has neither.
 */
export interface SkippedEntry {
  index: number;
  reason: string;
  fingerprint?: string;
  threshold?: string;
}

/** What became of the findings in one event. */
export interface AcceptedEvent {
  fingerprints: string[];
  rejected: { index: number; error: string }[];
  skipped: SkippedEntry[];
}

export interface IngestDeps {
  ingestSecret: string;
  sns: Pick<SnsVerifier, 'verify' | 'confirmSubscription'>;
  /** Takes the decoded event: normalises its findings and queues them. */
  accept: (event: unknown) => Promise<AcceptedEvent>;
  /** Keeps a body that could not be used, with the reason (dead letters). */
  keepRejected: (raw: string, error: string) => Promise<void>;
}

export interface IngestResponse {
  status: number;
  body: unknown;
}

const UNAUTHORIZED: IngestResponse = { status: 401, body: { error: 'unauthorized' } };

function parseJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

function tooLarge(rawBody: string): IngestResponse | undefined {
  if (Buffer.byteLength(rawBody, 'utf8') <= INGEST_MAX_BODY_BYTES) return undefined;
  return { status: 413, body: { error: `body: larger than ${INGEST_MAX_BODY_BYTES} bytes` } };
}

function describeRejections(rejected: AcceptedEvent['rejected']): string {
  const named = rejected.slice(0, REJECTIONS_IN_MESSAGE).map((rejection) => rejection.error);
  if (rejected.length === 1) return named[0]!;
  const more = rejected.length > REJECTIONS_IN_MESSAGE ? '; …' : '';
  return `${rejected.length} findings rejected: ${named.join('; ')}${more}`;
}

async function acceptEvent(event: unknown, rawBody: string, deps: IngestDeps): Promise<IngestResponse> {
  const result = await deps.accept(event);
  if (result.rejected.length > 0) {
    const error = describeRejections(result.rejected);
    await deps.keepRejected(rawBody, error);
    if (result.fingerprints.length === 0) return { status: 400, body: { error, rejected: result.rejected } };
  }
  return {
    status: 202,
    body: { fingerprints: result.fingerprints, skipped: result.skipped, rejected: result.rejected },
  };
}

/** An SNS delivery: its signature is its credential, so the envelope is parsed to be authenticated. */
async function handleSnsDelivery(rawBody: string, deps: IngestDeps): Promise<IngestResponse> {
  const envelope = parseJson(rawBody);
  if (!envelope.ok) return UNAUTHORIZED;
  const verdict = await deps.sns.verify(envelope.value);
  if (!verdict.ok) {
    // SNS retries a delivery that failed with a 5xx: a certificate we could not fetch is our problem.
    if (verdict.reason === 'certificate-unavailable')
      return { status: 503, body: { error: 'signature cannot be checked now' } };
    return UNAUTHORIZED;
  }
  const message = verdict.message;
  switch (message.Type) {
    case 'SubscriptionConfirmation':
      try {
        await deps.sns.confirmSubscription(message);
      } catch (error) {
        if (error instanceof SnsConfirmationError)
          return { status: 502, body: { error: 'subscription not confirmed', code: error.code } };
        throw error;
      }
      return { status: 200, body: { confirmed: message.TopicArn } };
    case 'UnsubscribeConfirmation':
      return { status: 200, body: { ignored: 'UnsubscribeConfirmation' } };
    case 'Notification': {
      const event = parseJson(message.Message);
      if (!event.ok) {
        const error = `Message: not JSON (${event.error})`;
        await deps.keepRejected(rawBody, error);
        return { status: 400, body: { error } };
      }
      return acceptEvent(event.value, rawBody, deps);
    }
  }
}

/**
 * Handles one `POST /ingest`. Authentication comes first and a failure is a bare 401: with an
 * `x-amz-sns-message-type` header the SNS signature is the credential, otherwise the ingest secret
 * (`Authorization: Bearer <secret>` or Basic with the secret as password). Then: 413 over 1 MiB;
 * 400 for a body that is not JSON or whose findings were all rejected (kept through `keepRejected`);
 * 200 for SNS subscription housekeeping; 202 `{fingerprints, skipped, rejected}` otherwise.
 *
 * @example
 *   const { status, body } = await handleIngestRequest({ headers, rawBody }, { ingestSecret, sns, accept, keepRejected });
 */
export async function handleIngestRequest(request: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  if (headerOf(request.headers, 'x-amz-sns-message-type') !== undefined)
    return tooLarge(request.rawBody) ?? handleSnsDelivery(request.rawBody, deps);

  if (!checkBearerOrBasic(headerOf(request.headers, 'authorization'), deps.ingestSecret)) return UNAUTHORIZED;
  const oversized = tooLarge(request.rawBody);
  if (oversized) return oversized;
  const event = parseJson(request.rawBody);
  if (!event.ok) {
    const error = `body: not JSON (${event.error})`;
    await deps.keepRejected(request.rawBody, error);
    return { status: 400, body: { error } };
  }
  return acceptEvent(event.value, request.rawBody, deps);
}
