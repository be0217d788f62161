/**
 * `POST /ingest` in AWS (SIEM, SNS, EventBridge API destinations): authenticate, validate, answer 202
 * with the fingerprints; each finding becomes an `ingest` job the worker posts. A function of its own:
 * it answers synchronously and holds only the ingest secret, not the Slack token.
 */
import { edgeDeps, logger } from '../aws/edge';
import { serveEndpoint } from '../aws/http';
import { ingestSns } from '../aws/ingest-sns';
import { parseEvent } from '../findings/parse';
import { handleIngestRequest } from '../http/ingest';

/** The store's items are capped at 400 KB: a rejected body is kept up to this much. */
const REJECTED_PAYLOAD_LIMIT = 256 * 1024;

export const handler = serveEndpoint(async () => {
  const deps = await edgeDeps();
  const sns = ingestSns(process.env);
  return async (request) => {
    const result = await handleIngestRequest(
      { headers: request.headers, rawBody: request.body },
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
    return {
      status: result.status,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(result.body),
    };
  };
}, logger);
