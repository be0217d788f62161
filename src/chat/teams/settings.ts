/**
 * Teams' part of the configuration, from the environment (contract: `TEAMS_APP_ID`,
 * `TEAMS_APP_PASSWORD`, `TEAMS_TENANT_ID`). With an app id, the bot talks to the real Bot Framework;
 * without one, in the sandbox, it talks to the sandbox's Teams stand-in with the sandbox's app id;
 * otherwise Teams is off and `/teams/messages` answers 404.
 */
import { ConfigError, type Config } from '../../config';
import { sandboxTeamsEndpoints } from '../../sandbox/teams-api';
import { SANDBOX_TEAMS } from '../../sandbox/teams-tenant';
import * as z from '../../zod';
import type { TeamsSettings } from './bot';

const nonEmpty = () => z.string().check(z.minLength(1));
const envSchema = z.object({
  TEAMS_APP_ID: z.optional(z.uuid('must be the Entra app (client) id, a GUID')),
  TEAMS_APP_PASSWORD: z.optional(nonEmpty()),
  TEAMS_TENANT_ID: z.optional(z.uuid('must be the Entra tenant id, a GUID')),
});

/** The Teams settings, or undefined when Teams is not configured (and this is not the sandbox). */
export function teamsSettings(
  env: NodeJS.ProcessEnv,
  config: Pick<Config, 'sandbox' | 'publicUrl'>,
): TeamsSettings | undefined {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`environment: ${String(issue.path[0])}: ${issue.message}`);
  }
  const e = parsed.data;
  if (e.TEAMS_APP_ID) {
    if (!e.TEAMS_APP_PASSWORD) throw new ConfigError('TEAMS_APP_PASSWORD: required when TEAMS_APP_ID is set');
    return { appId: e.TEAMS_APP_ID, appPassword: e.TEAMS_APP_PASSWORD, tenantId: e.TEAMS_TENANT_ID };
  }
  if (!config.sandbox) return undefined;
  const endpoints = sandboxTeamsEndpoints(config.publicUrl);
  return {
    appId: SANDBOX_TEAMS.appId,
    appPassword: SANDBOX_TEAMS.appPassword,
    tenantId: SANDBOX_TEAMS.tenantId,
    sandbox: {
      openIdMetadataUrl: endpoints.openIdMetadataUrl,
      tokenUrl: `${endpoints.loginEndpoint}/${SANDBOX_TEAMS.tenantId}/oauth2/v2.0/token`,
      serviceUrl: endpoints.serviceUrl,
    },
  };
}
