/**
 * `POST /ingest`, the same locally and in AWS: the transport (src/http/ingest.ts) authenticates and
 * validates; each accepted finding becomes an `ingest` job the worker posts, a new one below the
 * severity threshold is answered as skipped, and rejected bodies are kept as dead letters.
 */
import type { Deps } from '../../wiring/deps';
import { enrichFromConfig } from '../../enrich/enrich';
import { parseEntries } from '../../findings/parse';
import { handleIngestRequest, type AcceptedEvent, type IngestDeps } from '../ingest';
import { admitNewFinding, belowThresholdReason } from '../../alerts/admission';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../request';

/** The store's items are capped at 400 KB: a rejected body is kept up to this much. */
const REJECTED_PAYLOAD_LIMIT = 256 * 1024;

/**
 * Queues each finding of an event, except a new one below the severity threshold: that one is answered
 * in `skipped` with the reason and the threshold (the worker would drop it without a word). A finding
 * that already has an alert is queued whatever its severity, as ingest updates it.
 */
async function acceptEvent(
  event: unknown,
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'now' | 'metrics'>,
) {
  const accepted: AcceptedEvent = { fingerprints: [], skipped: [], rejected: [] };
  const receivedAt = deps.now().toISOString();
  for (const entry of parseEntries(event)) {
    const { index } = entry;
    if ('skipped' in entry) {
      accepted.skipped.push({ index, reason: entry.skipped });
      deps.metrics.count('FindingsSkipped', 'unknown');
    } else if ('rejected' in entry) {
      accepted.rejected.push({ index, error: entry.rejected });
      deps.metrics.count('FindingsRejected', 'unknown');
    } else {
      const { finding } = entry;
      // The threshold first (cached, no store call for most findings); only a finding below it needs
      // the store's answer on whether it already has an alert, which ingest would update.
      const { route, posted } = await admitNewFinding(enrichFromConfig(finding, deps.config.file), deps);
      if (!posted && !(await deps.store.getAlert(finding.fingerprint))) {
        // Counted here, as the worker never sees it.
        deps.metrics.count('FindingsReceived', finding.source);
        deps.metrics.count('FindingsSkipped', finding.source);
        const threshold = route.severityThreshold;
        accepted.skipped.push({
          index,
          reason: belowThresholdReason(finding.severity, threshold),
          fingerprint: finding.fingerprint,
          threshold,
        });
        continue;
      }
      await deps.queue.enqueue({ kind: 'ingest', finding, receivedAt });
      accepted.fingerprints.push(finding.fingerprint);
    }
  }
  return accepted;
}

/** Builds the endpoint. */
export function createIngestEndpoint(
  deps: Pick<Deps, 'config' | 'queue' | 'store' | 'now' | 'metrics'>,
  sns: IngestDeps['sns'],
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) => {
    const result = await handleIngestRequest(
      { headers: request.headers, body: request.body, isBase64Encoded: request.isBase64Encoded },
      {
        ingestSecret: deps.config.ingestSecret,
        sns,
        accept: (event) => acceptEvent(event, deps),
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
