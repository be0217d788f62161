/**
 * `POST /triage`: a SIEM asks a user "was this you?" directly, as MozDef's triage bot is asked:
 * `{identifier, user (e-mail), alert, summary, identityConfidence}`. Authenticated before parsing
 * (Bearer `INGEST_SECRET`, compared in constant time), answered at once with 202: the DM goes out from
 * the worker, and the answer reaches the SIEM's SQS queue. `handleTriageInvocation` is the same for a
 * direct Lambda invocation, where IAM has already authenticated the caller.
 */
import type { Deps } from '../deps';
import { checkBearer } from '../http/auth';
import type { HttpRequest, HttpResponse } from '../slack/events-endpoint';
import { parseSiemTriageRequest, requestSiemTriage, TriageValidationError } from './triage';

type EndpointDeps = Pick<Deps, 'config' | 'queue' | 'store' | 'logger' | 'now'>;

const json = (status: number, body: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

/** Bodies larger than this are not a triage request. */
const MAX_BODY_CHARS = 64 * 1024;

/** Handles one HTTP request. */
export async function handleTriageRequest(request: HttpRequest, deps: EndpointDeps): Promise<HttpResponse> {
  const authorization = Object.entries(request.headers).find(
    ([key]) => key.toLowerCase() === 'authorization',
  )?.[1];
  if (!checkBearer(authorization, deps.config.ingestSecret)) return json(401, { error: 'unauthorized' });
  const rawBody = request.isBase64Encoded
    ? Buffer.from(request.body, 'base64').toString('utf8')
    : request.body;
  if (rawBody.length > MAX_BODY_CHARS) return json(413, { error: 'body: too large' });
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    await deps.store.putDeadLetter({
      kind: 'rejected-triage',
      error: 'body: not JSON',
      payload: rawBody.slice(0, 4096),
    });
    return json(400, { error: 'body: not JSON' });
  }
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
