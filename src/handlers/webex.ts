/**
 * `POST /webex/events` in AWS: Webex's webhook deliveries, through the same endpoint module as the local
 * route (src/chat/webex/events-endpoint.ts): `X-Spark-Signature` checked before parsing, the delivery
 * claimed once by its id, then a `webex-event` job for the worker. A function of its own: it holds the
 * webhook secret only (never the bot token), and answers 404 when the stage has no Webex (`webex=true`).
 */
import { handleWebexEvents } from '../chat/webex/events-endpoint';
import { edgeDeps, logger } from '../aws/edge';
import { serveEndpoint } from '../aws/http';

export const handler = serveEndpoint(
  edgeDeps,
  (deps) => (request) => handleWebexEvents(request, deps),
  logger,
);
