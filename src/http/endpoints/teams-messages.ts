/**
 * `POST /teams/messages`, the same in AWS and locally: the Teams SDK's App (src/chat/teams/bot.ts)
 * checks the Bot Framework JWT before the activity is read, then parses it and hands it to the use
 * cases. The bot is built on the first request (the SDK's initialisation is asynchronous).
 */
import { createTeamsBot, type TeamsBot, type TeamsBotDeps, type TeamsSettings } from '../../chat/teams/bot';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../request';

/** The route for the Teams settings of a composition root; it answers 404 when Teams is not configured. */
export function createTeamsEndpoint(
  settings: TeamsSettings | undefined,
  deps: TeamsBotDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  let bot: Promise<TeamsBot> | undefined;
  return async (request) => {
    if (!settings) return jsonResponse(404, { error: 'not found' });
    bot ??= createTeamsBot(settings, deps).catch((error: unknown) => {
      bot = undefined;
      throw error;
    });
    return (await bot).handle(request);
  };
}
