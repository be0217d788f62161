/**
 * `POST /webex/events` in AWS: Webex's webhook deliveries, through the same endpoint module as the local
 * route (src/http/endpoints/webex-events.ts): `X-Spark-Signature` checked before parsing, the delivery
 * claimed once by its id, then a `webex-event` job for the worker. A function of its own: it holds the
 * webhook secret only (never the bot token), and answers 404 when the stage has no Webex (`webex=true`).
 */
import { handleWebexEvents } from '../http/endpoints/webex-events';
import { edgeDeps, logger, observed } from '../aws/runtime';
import { serveEndpoint } from '../aws/http';

export const handler = serveEndpoint(
  edgeDeps,
  (deps) => (request) => handleWebexEvents(request, deps),
  logger,
  observed,
);
