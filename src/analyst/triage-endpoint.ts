/**
 * `POST /triage`: a SIEM asks a user "was this you?" directly, as MozDef's triage bot is asked:
 * `{identifier, user (e-mail), alert, summary, identityConfidence}`. Authenticated before parsing
 * (`INGEST_SECRET` as Bearer or Basic, like `/ingest`, compared in constant time), answered at once with 202: the DM goes out from
 * the worker, and the answer reaches the SIEM's SQS queue. `handleTriageInvocation` is the same for a
 * direct Lambda invocation, where IAM has already authenticated the caller.
 */
import type { Deps } from '../deps';
import { checkBearerOrBasic } from '../http/auth';
import {
  headerOf,
  jsonResponse as json,
  parseJsonBody,
  rawBodyOf,
  type HttpRequest,
  type HttpResponse,
} from '../http/request';
import { parseSiemTriageRequest, requestSiemTriage, TriageValidationError } from './triage';

type EndpointDeps = Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>;

/** Bodies larger than this are not a triage request. */
const MAX_BODY_CHARS = 64 * 1024;

/** Handles one HTTP request. */
export async function handleTriageRequest(request: HttpRequest, deps: EndpointDeps): Promise<HttpResponse> {
  const authorization = headerOf(request.headers, 'authorization');
  if (!checkBearerOrBasic(authorization, deps.config.ingestSecret))
    return json(401, { error: 'unauthorized' });
  const rawBody = rawBodyOf(request);
  if (rawBody.length > MAX_BODY_CHARS) return json(413, { error: 'body: too large' });
  const parsed = await parseJsonBody(rawBody, 'rejected-triage', deps.store, 4096);
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
  let body = payload;
  if (typeof payload === 'string') {
    try {
      body = JSON.parse(payload);
    } catch {
      throw new TriageValidationError('body', 'not JSON');
    }
  }
  let request;
  try {
    request = parseSiemTriageRequest(body);
  } catch (error) {
    if (error instanceof TriageValidationError)
      await deps.store.putDeadLetter({ kind: 'rejected-triage', error: error.message, payload: body });
    throw error;
  }
  const result = await requestSiemTriage(request, deps);
  deps.logger.info('triage requested by a SIEM', { triageId: result.triageId });
  return result;
}
