/**
 * Every route of the product, by method and path, each served by its endpoint module in
 * src/http/endpoints/: the local server serves this table; each Lambda handler (src/handlers/) serves
 * its own routes from the same modules (a function loads only what its routes need).
 */
import type { WorkerDeps } from '../wiring/deps';
import type { MetricsTally } from '../observability/metrics';
import type { TeamsSettings } from '../chat/teams/bot';
import { TEAMS_MESSAGES_PATH } from '../chat/teams/bot';
import { INSTALL_PATH, REDIRECT_PATH } from '../slack/oauth';
import { createHealthEndpoint } from './endpoints/health';
import { createIngestEndpoint } from './endpoints/ingest';
import { createMetricsEndpoint } from './endpoints/metrics';
import { createSlackEventsEndpoint } from './endpoints/slack-events';
import { createInstallEndpoints } from './endpoints/slack-install';
import { createTeamsEndpoint } from './endpoints/teams-messages';
import { handleTheHiveWebhook } from './endpoints/thehive-webhook';
import { handleTriageRequest } from './endpoints/triage';
import { handleWebexEvents } from './endpoints/webex-events';
import { ingestSns } from './ingest-sns';
import type { Endpoint } from './request';

/** What the routes are built from: the use cases' dependencies and what only the transport reads. */
export interface RouteDeps {
  deps: WorkerDeps;
  /** The counts `GET /metrics` serves. */
  metrics: MetricsTally;
  /** Teams' settings, or undefined when Teams is off (`POST /teams/messages` then answers 404). */
  teams: TeamsSettings | undefined;
}

/** The routes, keyed `METHOD /path`. */
export function createRoutes({ deps, metrics, teams }: RouteDeps): Record<string, Endpoint> {
  const slackInstall = createInstallEndpoints(deps);
  return {
    'POST /slack/events': createSlackEventsEndpoint(deps),
    [`GET ${INSTALL_PATH}`]: slackInstall.install,
    [`GET ${REDIRECT_PATH}`]: slackInstall.redirect,
    [`POST ${TEAMS_MESSAGES_PATH}`]: createTeamsEndpoint(teams, deps),
    'POST /thehive/webhook': (request) => handleTheHiveWebhook(request, deps),
    'POST /webex/events': (request) => handleWebexEvents(request, deps),
    'POST /triage': (request) => handleTriageRequest(request, deps),
    'POST /ingest': createIngestEndpoint(deps, ingestSns(deps.config.ingestSnsTopicArns)),
    'GET /healthz': createHealthEndpoint(deps.config.sandbox),
    'GET /metrics': createMetricsEndpoint(deps.config, metrics),
  };
}
