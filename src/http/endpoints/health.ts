/**
 * `GET /healthz`, the same in AWS and locally: the process answers, saying whether it is the sandbox.
 * It reads no secret and touches nothing, so a health check never waits on SSM or the store.
 */
import { jsonResponse, type HttpResponse } from '../request';

/** The route for a process that is (or is not) the sandbox. */
export function createHealthEndpoint(sandbox: boolean): () => Promise<HttpResponse> {
  return async () => jsonResponse(200, { ok: true, sandbox });
}
