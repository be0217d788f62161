/** `POST /thehive/webhook` in AWS: TheHive's Webhook notifier; case changes become jobs. */
import { handleTheHiveWebhook } from '../http/endpoints/thehive-webhook';
import { edgeDeps, logger, observed } from '../aws/runtime';
import { serveEndpoint } from '../aws/http';

export const handler = serveEndpoint(
  edgeDeps,
  (deps) => (request) => handleTheHiveWebhook(request, deps),
  logger,
  observed,
);
