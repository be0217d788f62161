/**
 * Teams' part of the configuration, from the environment (contract: `TEAMS_APP_ID`,
 * `TEAMS_APP_PASSWORD`, `TEAMS_TENANT_ID`). With an app id, the bot talks to the real Bot Framework;
 * without one, in the sandbox, it talks to the sandbox's Teams stand-in with the sandbox's app id;
 * otherwise Teams is off and `/teams/messages` answers 404.
 */
import { ConfigError, SANDBOX_DEFAULTS, type Config } from '../../config/config';
import * as z from '../../validation/zod';
import type { TeamsSettings } from './bot';

/** (documented) The sandbox bot's Entra identity, as its Teams stand-in knows it. */
export const SANDBOX_TEAMS_APP = {
  appId: '00000000-0000-4000-8000-00000000b07e',
  appPassword: 'sandbox-teams-app-password',
  tenantId: '5a4d1e4c-0000-4000-8000-00000000beef',
} as const;

/** (documented) The sandbox tenant's team and the channel its alerts go to when the config names none. */
export const SANDBOX_TEAMS_TARGET = {
  team: { id: SANDBOX_DEFAULTS.teamsTeam, name: 'Security Operations' },
  channel: { id: SANDBOX_DEFAULTS.teamsChannel, name: 'Alerts' },
} as const;

/** Where the sandbox serves its Teams stand-in. */
export const TEAMS_SANDBOX_PATH = '/sandbox/teams';

/** The stand-in's pieces, from the sandbox's public URL: what the bot's cloud environment points at. */
export function sandboxTeamsEndpoints(publicUrl: string) {
  const base = `${publicUrl.replace(/\/$/, '')}${TEAMS_SANDBOX_PATH}`;
  return {
    /** The connector's service URL (`serviceUrl` of every activity the sandbox sends). */
    serviceUrl: `${base}/`,
    openIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
    keysUrl: `${base}/v1/.well-known/keys`,
    /** The Entra login endpoint: tokens at `<loginEndpoint>/<tenant>/oauth2/v2.0/token`. */
    loginEndpoint: `${base}/login`,
    /** The issuer of the connector tokens the sandbox's token endpoint hands out. */
    tokenIssuer: `${base}/login`,
  };
}

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
  // The template gives '' for a Teams parameter left unset: the same as no variable.
  const given = Object.fromEntries(
    Object.entries(env).filter(([name, value]) => name.startsWith('TEAMS_') && value !== ''),
  );
  const parsed = envSchema.safeParse(given);
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
    ...SANDBOX_TEAMS_APP,
    sandbox: {
      openIdMetadataUrl: endpoints.openIdMetadataUrl,
      tokenUrl: `${endpoints.loginEndpoint}/${SANDBOX_TEAMS_APP.tenantId}/oauth2/v2.0/token`,
      serviceUrl: endpoints.serviceUrl,
    },
  };
}
