/**
 * A Teams harness: the analyst harness's store, queue and worker, the real Teams bot (the Teams SDK's
 * App) behind the real `POST /teams/messages` route, and the sandbox Teams tenant with its Bot Connector
 * stand-in, token endpoint and OpenID metadata, all on one real local server. Activities are signed by
 * the tenant's key as Teams signs them, so the SDK's own JWT validation runs on every request. The
 * Teams adapter is in the chat registry (`deps.chats.teams`), so the worker's replies reach the stand-in.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTeamsChat } from '../../src/chat/teams/adapter';
import { createTeamsBot, TEAMS_MESSAGES_PATH, type TeamsBot } from '../../src/chat/teams/bot';
import { teamsSettings } from '../../src/chat/teams/settings';
import { bodyFromBytes } from '../../src/http/request';
import { TeamsActivitySender } from '../../src/sandbox/teams-activities';
import { createTeamsApi } from '../../src/sandbox/teams-api';
import { SANDBOX_TEAMS, SandboxTeamsTenant, type TeamsPerson } from '../../src/sandbox/teams-tenant';
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
  /** The app added to the sandbox team by `person`. */
  installation(person: TeamsPerson): Record<string, unknown>;
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
  parts.teamsApi = createTeamsApi({
    tenant,
    publicUrl: url,
    appId: SANDBOX_TEAMS.appId,
    appPassword: SANDBOX_TEAMS.appPassword,
  });
  const settings = teamsSettings({}, { sandbox: true, publicUrl: url })!;
  const bot = await createTeamsBot(settings, harness.deps);
  parts.bot = bot;
  // The worker's replies in Teams (lookups, response actions) go through the Teams adapter, as a root registers it.
  harness.deps.chats = { ...harness.deps.chats, teams: createTeamsChat(settings, harness.deps) };

  const sender = new TeamsActivitySender({ tenant, publicUrl: url });

  return {
    ...harness,
    tenant,
    bot,
    url,
    serviceUrl: sender.serviceUrl,
    token: (claims, lifetimeSeconds) => sender.token(claims, lifetimeSeconds),
    send: (activity, authorization) => sender.send(activity, authorization),
    channelActivity: (person, fields) => sender.channelActivity(person, fields),
    installation: (person) => sender.installation(person),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await harness.close();
    },
  };
}
