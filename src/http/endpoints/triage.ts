/**
 * `POST /triage`: a SIEM asks a user "was this you?" directly, as MozDef's triage bot is asked:
 * `{identifier, user (e-mail), alert, summary, identityConfidence}`. Authenticated before parsing
 * (`INGEST_SECRET` as Bearer or Basic, like `/ingest`, compared in constant time), answered at once with 202: the DM goes out from
 * the worker, and the answer reaches the SIEM's SQS queue. `handleTriageInvocation` is the same for a
 * direct Lambda invocation, where IAM has already authenticated the caller.
 */
import type { Deps } from '../../wiring/deps';
import { checkBearerOrBasic } from '../auth';
import { MAX_JSON_DEPTH, parseJsonText, valueNestsDeeperThan } from '../../validation/json';
import {
  headerOf,
  jsonResponse as json,
  parseJsonBody,
  type HttpRequest,
  type HttpResponse,
} from '../request';
import { parseSiemTriageRequest, requestSiemTriage, TriageValidationError } from '../../triage/triage';

type EndpointDeps = Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>;

/** Bodies larger than this are not a triage request. */
const MAX_BODY_BYTES = 64 * 1024;
/** How much of a refused request is kept. */
const KEPT_BODY_CHARS = 4096;

/** Handles one HTTP request. */
export async function handleTriageRequest(request: HttpRequest, deps: EndpointDeps): Promise<HttpResponse> {
  const authorization = headerOf(request.headers, 'authorization');
  if (!checkBearerOrBasic(authorization, deps.config.ingestSecret))
    return json(401, { error: 'unauthorized' });
  const parsed = await parseJsonBody(request, {
    kind: 'rejected-triage',
    store: deps.store,
    keepChars: KEPT_BODY_CHARS,
    maxBytes: MAX_BODY_BYTES,
  });
  if (!parsed.ok) return parsed.response;
  const body = parsed.body;
  try {
    const { triageId } = await handleTriageInvocation(body, deps);
    return json(202, { triageId });
  } catch (error) {
    if (!(error instanceof TriageValidationError)) throw error;
    return json(400, { error: error.message });
  }
}

/**
 * A direct Lambda invocation with the request as its payload (an object, or its JSON text): validated,
 * queued, and answered with the question's id. Throws TriageValidationError naming the bad field
 * (kept as a dead letter).
 */
export async function handleTriageInvocation(
  payload: unknown,
  deps: EndpointDeps,
): Promise<{ triageId: string }> {
  const keep = (error: TriageValidationError, kept: unknown) =>
    deps.store.putDeadLetter({ kind: 'rejected-triage', error: error.message, payload: kept });
  let body = payload;
  if (typeof payload === 'string') {
    const parsed = parseJsonText(payload);
    if (!parsed.ok) {
      const error = new TriageValidationError('body', parsed.error);
      await keep(error, payload.slice(0, KEPT_BODY_CHARS));
      throw error;
    }
    body = parsed.value;
  } else if (valueNestsDeeperThan(payload, MAX_JSON_DEPTH)) {
    // Nothing recursive (serialising the dead letter included) may touch it: only the reason is kept.
    const error = new TriageValidationError('body', `nested deeper than ${MAX_JSON_DEPTH} levels`);
    await keep(error, null);
    throw error;
  }
  let request;
  try {
    request = parseSiemTriageRequest(body);
  } catch (error) {
    if (error instanceof TriageValidationError) await keep(error, body);
    throw error;
  }
  const result = await requestSiemTriage(request, deps);
  deps.logger.info('triage requested by a SIEM', { triageId: result.triageId });
  return result;
}
