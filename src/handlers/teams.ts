/**
 * `POST /teams/messages` in AWS: the Teams SDK's App behind API Gateway, built once per container after
 * the app password is read from SSM; every request's Bot Framework JWT is checked by the SDK before the
 * activity is read. Without `TEAMS_APP_ID` (the teamsAppId parameter) the route answers 404.
 */
import { edgeDeps, logger, secretSource } from '../aws/edge';
import { serveEndpoint } from '../aws/http';
import { resolveSecrets, TEAMS_SECRET_PARAMETERS } from '../aws/secrets';
import { createTeamsEndpoint } from '../chat/teams/bot';
import { teamsSettings } from '../chat/teams/settings';

export const handler = serveEndpoint(
  edgeDeps,
  async (deps) => {
    const secrets = await resolveSecrets(process.env, await secretSource(), TEAMS_SECRET_PARAMETERS);
    return createTeamsEndpoint(teamsSettings({ ...process.env, ...secrets }, deps.config), deps);
  },
  logger,
);
