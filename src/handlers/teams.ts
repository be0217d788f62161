/**
 * `POST /teams/messages` in AWS: the Teams SDK's App behind API Gateway, built once per container after
 * the app password is read from SSM; every request's Bot Framework JWT is checked by the SDK before the
 * activity is read. Without `TEAMS_APP_ID` (the teamsAppId parameter) the route answers 404.
 */
import { awsTeamsSettings, edgeDeps, logger, observed } from '../aws/runtime';
import { serveEndpoint } from '../aws/http';
import { createTeamsEndpoint } from '../http/endpoints/teams-messages';

export const handler = serveEndpoint(
  edgeDeps,
  async (deps) => createTeamsEndpoint(await awsTeamsSettings(deps.config), deps),
  logger,
  observed,
);
