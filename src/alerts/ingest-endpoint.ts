/**
 * `POST /ingest`, the same locally and in AWS: the transport (src/http/ingest.ts) authenticates and
 * validates; each accepted finding becomes an `ingest` job the worker posts, and rejected bodies are
 * kept as dead letters.
 */
import type { Deps } from '../deps';
import { parseEvent } from '../findings/parse';
import { handleIngestRequest, type IngestDeps } from '../http/ingest';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../http/request';

/** The store's items are capped at 400 KB: a rejected body is kept up to this much. */
const REJECTED_PAYLOAD_LIMIT = 256 * 1024;

/** Builds the endpoint. */
export function createIngestEndpoint(
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'now'>,
  sns: IngestDeps['sns'],
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const result = await handleIngestRequest(
      { headers: request.headers, body: request.body, isBase64Encoded: request.isBase64Encoded },
      {
        ingestSecret: deps.config.ingestSecret,
        sns,
        accept: async (event) => {
          const parsed = parseEvent(event);
          const receivedAt = deps.now().toISOString();
          for (const finding of parsed.findings)
            await deps.queue.enqueue({ kind: 'ingest', finding, receivedAt });
          return {
            fingerprints: parsed.findings.map((finding) => finding.fingerprint),
            skipped: parsed.skipped,
            rejected: parsed.rejected,
          };
        },
        keepRejected: async (raw, error) => {
          await deps.store.putDeadLetter({
            kind: 'rejected-ingest',
            error,
            payload: raw.slice(0, REJECTED_PAYLOAD_LIMIT),
          });
        },
      },
    );
    return jsonResponse(result.status, result.body);
  };
}
