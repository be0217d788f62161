/**
 * `POST /ingest` in AWS (SIEM, SNS, EventBridge API destinations): authenticate, validate, answer 202
 * with the fingerprints; each finding becomes an `ingest` job the worker posts. A function of its own:
 * it answers synchronously and holds only the ingest secret, not the Slack token.
 */
import { createIngestEndpoint } from '../http/endpoints/ingest';
import { edgeDeps, logger, observed } from '../aws/runtime';
import { serveEndpoint } from '../aws/http';
import { ingestSns } from '../http/ingest-sns';

export const handler = serveEndpoint(
  edgeDeps,
  (deps) => createIngestEndpoint(deps, ingestSns(deps.config.ingestSnsTopicArns)),
  logger,
  observed,
);
