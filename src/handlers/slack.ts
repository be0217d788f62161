/**
 * The Slack routes in AWS: `POST /slack/events`, and the OAuth install (`GET /slack/install`,
 * `GET /slack/oauth_redirect`). The Bolt app is built once per container, after the secrets are read,
 * and never calls auth.test: Slack wants an answer within 3 s, cold start included.
 */
import { edgeDeps, logger, observed } from '../aws/runtime';
import { serveEndpoint } from '../aws/http';
import { createSlackEventsEndpoint } from '../http/endpoints/slack-events';
import { createInstallEndpoints } from '../http/endpoints/slack-install';
import { INSTALL_PATH, REDIRECT_PATH } from '../slack/oauth';

export const handler = serveEndpoint(
  edgeDeps,
  (deps) => {
    const events = createSlackEventsEndpoint(deps);
    const install = createInstallEndpoints(deps);
    return (request) =>
      request.method === 'GET' && request.path === INSTALL_PATH
        ? install.install(request)
        : request.method === 'GET' && request.path === REDIRECT_PATH
          ? install.redirect(request)
          : events(request);
  },
  logger,
  observed,
);
