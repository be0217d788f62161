/**
 * What the sandbox Teams tenant sends the bot, as Teams does: Bot Framework activities POSTed to the
 * bot's messaging endpoint with a JWT the tenant signs (issuer api.botframework.com, audience the
 * bot's app id, `serviceurl` the connector stand-in), so the bot's SDK validates them against the
 * tenant's OpenID metadata exactly as it would validate Teams'.
 */
import { sandboxTeamsEndpoints } from '../chat/teams/settings';
import {
  BOT_FRAMEWORK_ISSUER,
  SANDBOX_TEAMS,
  type SandboxTeamsTenant,
  type TeamsPerson,
} from './teams-tenant';

export interface TeamsActivitySenderOptions {
  tenant: SandboxTeamsTenant;
  publicUrl: string;
  /** The bot's `/teams/messages`; defaults to `<publicUrl>/teams/messages`. */
  messagesUrl?: string;
  appId?: string;
}

export class TeamsActivitySender {
  readonly serviceUrl: string;
  private readonly messagesUrl: string;
  private readonly appId: string;

  constructor(private readonly options: TeamsActivitySenderOptions) {
    this.serviceUrl = sandboxTeamsEndpoints(options.publicUrl).serviceUrl;
    this.messagesUrl = options.messagesUrl ?? `${options.publicUrl.replace(/\/$/, '')}/teams/messages`;
    this.appId = options.appId ?? SANDBOX_TEAMS.appId;
  }

  /** A token as the Bot Framework signs one for this bot; `claims` replace the usual ones. */
  token(claims: Record<string, unknown> = {}, lifetimeSeconds?: number): string {
    return this.options.tenant.signToken(
      { iss: BOT_FRAMEWORK_ISSUER, aud: this.appId, serviceurl: this.serviceUrl, ...claims },
      lifetimeSeconds,
    );
  }

  /** An activity from `person` in the sandbox team's alerts channel, with `fields` added. */
  channelActivity(person: TeamsPerson, fields: Record<string, unknown>): Record<string, unknown> {
    return {
      id: this.options.tenant.newInboundId(),
      channelId: 'msteams',
      serviceUrl: this.serviceUrl,
      timestamp: new Date().toISOString(),
      from: { id: person.id, name: person.name, aadObjectId: person.aadObjectId },
      recipient: { id: `28:${this.appId}`, name: SANDBOX_TEAMS.botName },
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
  }

  /** The app added to the sandbox team by `person` (Teams' `installationUpdate` add). */
  installation(person: TeamsPerson): Record<string, unknown> {
    return this.channelActivity(person, {
      type: 'installationUpdate',
      action: 'add',
      conversation: {
        id: SANDBOX_TEAMS.team.id,
        conversationType: 'channel',
        tenantId: SANDBOX_TEAMS.tenantId,
      },
    });
  }

  /** Posts `activity` to the bot, signed (or with `authorization` as given); resolves to its answer. */
  async send(
    activity: Record<string, unknown>,
    authorization = `Bearer ${this.token()}`,
  ): Promise<{ status: number; body: unknown }> {
    const response = await fetch(this.messagesUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(activity),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON: kept as text.
    }
    return { status: response.status, body };
  }
}
