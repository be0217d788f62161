/**
 * Where Hivewire may post in Teams: a bot cannot start a channel conversation from nothing, so when
 * the app is added to a team (`installationUpdate` add, or `conversationUpdate` with the bot among the
 * members added) the conversation reference is kept: the team, its tenant and the service URL to reach
 * it. Alerts for that team's channels are posted proactively with it.
 */
import type { Deps } from '../../wiring/deps';
import type { TeamsActivity } from './activity';

/** (store) The conversation reference of one team the app is installed in. */
export interface TeamsInstallation {
  teamId: string;
  teamName?: string;
  tenantId?: string;
  serviceUrl: string;
  /** The bot's channel account id (`28:<app id>`), the `from` of what it posts. */
  botId: string;
  installedBy?: string;
  installedAt: string;
}

const settingName = (teamId: string) => `teams.installation.${teamId}`;

/** Keeps the reference an install activity carries; a personal install (no team) keeps nothing. */
export async function saveInstallation(
  activity: TeamsActivity,
  deps: Pick<Deps, 'store' | 'now' | 'logger'>,
): Promise<TeamsInstallation | undefined> {
  const team = activity.channelData?.team;
  if (!team) return undefined;
  const installation: TeamsInstallation = {
    teamId: team.id,
    ...(team.name ? { teamName: team.name } : {}),
    ...(activity.conversation.tenantId || activity.channelData?.tenant
      ? { tenantId: activity.conversation.tenantId ?? activity.channelData!.tenant!.id }
      : {}),
    serviceUrl: activity.serviceUrl,
    botId: activity.recipient.id,
    ...(activity.from.aadObjectId ? { installedBy: activity.from.aadObjectId } : {}),
    installedAt: deps.now().toISOString(),
  };
  await deps.store.putSetting(settingName(team.id), installation);
  await deps.store.appendAudit({
    fingerprint: `teams:${team.id}`,
    actor: { kind: 'system' },
    action: 'teams-installed',
    details: { teamId: team.id, serviceUrl: activity.serviceUrl },
  });
  deps.logger.info('teams app installed', { teamId: team.id });
  return installation;
}

/** The reference kept for a team, if the app is installed there. */
export function findInstallation(
  teamId: string,
  store: Pick<Deps['store'], 'getSetting'>,
): Promise<TeamsInstallation | undefined> {
  return store.getSetting<TeamsInstallation>(settingName(teamId));
}
