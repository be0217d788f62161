/**
 * A Teams harness: the analyst harness's store, queue and worker, the real Teams bot (the Teams SDK's
 * App) behind the real `POST /teams/messages` route, and the sandbox Teams tenant with its Bot Connector
 * stand-in, token endpoint and OpenID metadata, all on one real local server. Activities are signed by
 * the tenant's key as Teams signs them, so the SDK's own JWT validation runs on every request.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from '../../src/chat/teams/bot';
import { bodyFromBytes } from '../../src/http/request';
import { createTeamsApi, sandboxTeamsEndpoints } from '../../src/sandbox/teams-api';
import {
  BOT_FRAMEWORK_ISSUER,
  SANDBOX_TEAMS,
  SandboxTeamsTenant,
  type TeamsPerson,
} from '../../src/sandbox/teams-tenant';
import { startAnalystHarness, type AnalystHarness } from './analyst';

export interface TeamsHarness extends AnalystHarness {
  tenant: SandboxTeamsTenant;
  bot: TeamsBot;
  url: string;
  serviceUrl: string;
  /** Posts `activity` to `/teams/messages` with `authorization` (default: a valid token for it). */
  send(activity: Record<string, unknown>, authorization?: string): Promise<{ status: number; body: unknown }>;
  /** A token as the Bot Framework signs one for this bot, with `claims` changed. */
  token(claims?: Record<string, unknown>, lifetimeSeconds?: number): string;
  /** An activity from `person` in the sandbox team's alerts channel. */
  channelActivity(person: TeamsPerson, fields: Record<string, unknown>): Record<string, unknown>;
}

export async function startTeamsHarness(configYaml = ''): Promise<TeamsHarness> {
  const harness = await startAnalystHarness(configYaml);
  const tenant = new SandboxTeamsTenant();
  // Both are built once the server's port is known.
  const parts: { teamsApi?: ReturnType<typeof createTeamsApi>; bot?: TeamsBot } = {};
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (await parts.teamsApi!(req, res)) return;
      if (req.method !== 'POST' || req.url !== TEAMS_MESSAGES_PATH) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers: Record<string, string | undefined> = {};
      for (const [key, value] of Object.entries(req.headers))
        headers[key] = Array.isArray(value) ? value.join(',') : value;
      const answer = await parts.bot!.handle({
        method: 'POST',
        path: TEAMS_MESSAGES_PATH,
        headers,
        ...bodyFromBytes(Buffer.concat(chunks)),
      });
      res.writeHead(answer.status, answer.headers ?? {}).end(answer.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const endpoints = sandboxTeamsEndpoints(url);
  parts.teamsApi = createTeamsApi({
    tenant,
    publicUrl: url,
    appId: SANDBOX_TEAMS.appId,
    appPassword: SANDBOX_TEAMS.appPassword,
  });
  const bot = await createTeamsBot(
    {
      appId: SANDBOX_TEAMS.appId,
      appPassword: SANDBOX_TEAMS.appPassword,
      tenantId: SANDBOX_TEAMS.tenantId,
      sandbox: {
        openIdMetadataUrl: endpoints.openIdMetadataUrl,
        tokenUrl: `${endpoints.loginEndpoint}/${SANDBOX_TEAMS.tenantId}/oauth2/v2.0/token`,
        serviceUrl: endpoints.serviceUrl,
      },
    },
    harness.deps,
  );
  parts.bot = bot;

  const token = (claims: Record<string, unknown> = {}, lifetimeSeconds?: number) =>
    tenant.signToken(
      { iss: BOT_FRAMEWORK_ISSUER, aud: SANDBOX_TEAMS.appId, serviceurl: endpoints.serviceUrl, ...claims },
      lifetimeSeconds,
    );

  return {
    ...harness,
    tenant,
    bot,
    url,
    serviceUrl: endpoints.serviceUrl,
    token,
    async send(activity, authorization = `Bearer ${token()}`) {
      const response = await fetch(`${url}${TEAMS_MESSAGES_PATH}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify(activity),
      });
      const text = await response.text();
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
    channelActivity(person, fields) {
      return {
        id: tenant.newInboundId(),
        channelId: 'msteams',
        serviceUrl: endpoints.serviceUrl,
        from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
        recipient: { id: `28:${SANDBOX_TEAMS.appId}`, name: SANDBOX_TEAMS.botName },
        conversation: {
          id: SANDBOX_TEAMS.channel.id,
          conversationType: 'channel',
          tenantId: SANDBOX_TEAMS.tenantId,
        },
        channelData: {
          team: SANDBOX_TEAMS.team,
          channel: SANDBOX_TEAMS.channel,
          tenant: { id: SANDBOX_TEAMS.tenantId },
        },
        ...fields,
      };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
}
