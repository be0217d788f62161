/**
 * `POST /ingest` at the transport level, the same behind API Gateway and in the local server: who may
 * send (the ingest secret as Bearer or Basic, or a verified Amazon SNS signature), how big, whether it
 * is JSON, and which answer each outcome gets. What a finding is, is the `accept` callback's business.
 */
import { parseJsonText } from '../validation/json';
import { bodySizeOf, bodyTextOf, headerOf, MAX_BODY_BYTES, type HttpRequest } from './request';
import { checkBearerOrBasic } from './auth';
import { SnsConfirmationError, type SnsVerifier } from './sns';

/** Larger bodies are refused with 413 (SNS messages are at most 256 KiB; SIEM batches stay well below). */
export const INGEST_MAX_BODY_BYTES = MAX_BODY_BYTES;

/** Rejections named in a 400's `error`; all of them are in `rejected`. */
const REJECTIONS_IN_MESSAGE = 3;

export type IngestRequest = Pick<HttpRequest, 'headers' | 'body' | 'isBase64Encoded'>;

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
  /** Keeps a body that could not be used, with the reason (dead letters); bytes that are not UTF-8 come as base64. */
  keepRejected: (raw: string, error: string) => Promise<void>;
}

export interface IngestResponse {
  status: number;
  body: unknown;
}

const UNAUTHORIZED: IngestResponse = { status: 401, body: { error: 'unauthorized' } };

const TOO_LARGE = `body: larger than ${INGEST_MAX_BODY_BYTES} bytes`;

function isTooLarge(request: IngestRequest): boolean {
  return bodySizeOf(request) > INGEST_MAX_BODY_BYTES;
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
async function handleSnsDelivery(rawBody: string | undefined, deps: IngestDeps): Promise<IngestResponse> {
  // SNS sends flat UTF-8 JSON: anything else cannot carry a valid signature.
  const envelope = rawBody === undefined ? undefined : parseJsonText(rawBody);
  if (rawBody === undefined || !envelope?.ok) return UNAUTHORIZED;
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
      const event = parseJsonText(message.Message);
      if (!event.ok) {
        const error = `Message: ${event.error}`;
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
 * 400 for a body that is not UTF-8, is nested deeper than MAX_JSON_DEPTH, is not JSON or whose
 * findings were all rejected (each of these kept through `keepRejected`); 200 for SNS subscription
 * housekeeping; 202 `{fingerprints, skipped, rejected}` otherwise.
 *
 * @example
 *   const { status, body } = await handleIngestRequest({ headers, body }, { ingestSecret, sns, accept, keepRejected });
 */
export async function handleIngestRequest(request: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  if (headerOf(request.headers, 'x-amz-sns-message-type') !== undefined)
    return isTooLarge(request)
      ? { status: 413, body: { error: TOO_LARGE } }
      : handleSnsDelivery(bodyTextOf(request), deps);

  if (!checkBearerOrBasic(headerOf(request.headers, 'authorization'), deps.ingestSecret)) return UNAUTHORIZED;
  const refuse = async (status: number, error: string, kept: string): Promise<IngestResponse> => {
    await deps.keepRejected(kept, error);
    return { status, body: { error } };
  };
  if (isTooLarge(request)) return refuse(413, TOO_LARGE, request.body);
  const text = bodyTextOf(request);
  if (text === undefined) return refuse(400, 'body: not UTF-8', request.body);
  const event = parseJsonText(text);
  if (!event.ok) return refuse(400, `body: ${event.error}`, text);
  return acceptEvent(event.value, text, deps);
}
