/**
 * `@Hivewire threshold [LEVEL] | case <number> | lookup <values…> | help` in a Teams channel: the same command line as
 * Slack's `/hivewire` (parsed by the same parser), run by the same use cases, answered with a card in
 * the mention's reply chain. Who may change settings: `teams.admins` in the config file, by Entra object
 * id or email, as `slack.admins` decides on Slack. A customer's own team (`customers.<c>.teams.team`)
 * sees and sets that customer's threshold and finds that customer's cases only. A lookup is queued (the
 * services take seconds) and its results posted by the worker in the mention's reply chain.
 */
import { teamsPersonId } from './activity';
import type { ThresholdChange, ThresholdView } from '../../domain/threshold';
import {
  teamsHelp,
  teamsLookupStarted,
  teamsNoteCard,
  teamsNothingToLookUp,
  teamsText,
  type TeamsCard,
} from '../../../cards/teams';
import { openUrl } from '../../../cards/core';
import { trustedCaseUrl } from '../../../blocks/case-link';
import { readThreshold, setThreshold } from '../../alerts/threshold';
import { lookupCase } from '../../cases/lookup';
import { organisationsSeenFrom } from '../../enrich/tenancy';
import type { Config } from '../../config/config';
import type { Deps } from '../../wiring/deps';
import { parseCommand } from '../../slack/listeners/command';
import { lookupTargetsFromText } from '../../lookups/targets';
import type { TeamsMessageRef } from './delivery';

export type TeamsCommandDeps = Pick<Deps, 'store' | 'config' | 'logger' | 'queue' | 'now'>;

/** Who is speaking, as Teams names them; `email` is asked of the connector only when the admins list needs it. */
export interface TeamsSpeaker {
  aadObjectId?: string;
  id: string;
  /** Their display name (the activity's `from.name`): how replies name them, the ids being unreadable. */
  name?: string;
  email?: () => Promise<string | undefined>;
}

/** The customer whose own team `teamId` is, or undefined for any other (the provider's) team. */
export function customerOfTeam(config: Pick<Config, 'file'>, teamId: string | undefined): string | undefined {
  if (!teamId) return undefined;
  return Object.entries(config.file.customers).find(([, settings]) => settings.teams?.team === teamId)?.[0];
}

/** Whether a Teams person is listed in `teams.admins`, by Entra object id or (case-insensitive) email. */
export async function isTeamsAdmin(speaker: TeamsSpeaker, config: Pick<Config, 'file'>): Promise<boolean> {
  const admins = (config.file.teams?.admins ?? []).map((admin) => admin.toLowerCase());
  if (speaker.aadObjectId && admins.includes(speaker.aadObjectId.toLowerCase())) return true;
  if (!admins.some((admin) => admin.includes('@'))) return false;
  const email = await speaker.email?.();
  return email !== undefined && admins.includes(email.toLowerCase());
}

function thresholdShown(view: ThresholdView): TeamsCard {
  const where = view.customer === undefined ? '' : ` for ${teamsText(view.customer)}`;
  return teamsNoteCard([
    `Findings below ${view.level} are not posted${where} (${view.source === 'setting' ? 'set with the threshold command' : 'the configured default'}).`,
  ]);
}

function thresholdChanged(change: ThresholdChange): TeamsCard {
  switch (change.outcome) {
    case 'changed':
      return teamsNoteCard([`✅ Severity threshold set: ${change.from} → ${change.to}.`]);
    case 'unchanged':
      return teamsNoteCard([`The severity threshold already is ${change.level}.`]);
    case 'refused':
      return teamsNoteCard([
        '⛔ Only Hivewire admins may change the severity threshold (teams.admins in the config file).',
      ]);
  }
}

/**
 * Runs the command in `text` (the mention already taken out) from `speaker` in team `teamId`; `thread`
 * is the reply chain the answer goes in (a lookup's results follow there).
 */
export async function runTeamsCommand(
  text: string,
  speaker: TeamsSpeaker,
  teamId: string | undefined,
  thread: TeamsMessageRef | undefined,
  deps: TeamsCommandDeps,
): Promise<TeamsCard> {
  const command = parseCommand(text);
  switch (command.kind) {
    case 'help':
      return teamsHelp();
    case 'usage':
      return teamsNoteCard([teamsText(command.problem), 'Try @Hivewire help.']);
    case 'threshold': {
      const customer = customerOfTeam(deps.config, teamId);
      if (!command.level) return thresholdShown(await readThreshold(deps, customer));
      const person = teamsPersonId(speaker);
      const change = await setThreshold(
        {
          level: command.level,
          customer,
          actor: { kind: 'teams', id: person },
          allowed: await isTeamsAdmin(speaker, deps.config),
        },
        deps,
      );
      deps.logger.info('threshold change', { platform: 'teams', outcome: change.outcome });
      return thresholdChanged(change);
    }
    case 'case': {
      const found = await lookupCase(
        command.caseNumber,
        organisationsSeenFrom(
          deps.config,
          customerOfTeam(deps.config, teamId),
          (settings) => !!settings.teams,
        ),
        deps,
      );
      if (found.outcome !== 'found')
        return teamsNoteCard([`No case #${command.caseNumber} is known to Hivewire.`]);
      const { alert } = found;
      const url = trustedCaseUrl(alert.caseUrl, deps.config.theHive.url);
      return teamsNoteCard(
        [
          `Case #${command.caseNumber}: ${teamsText(alert.finding.title)}`,
          `${alert.severity} · ${alert.case ? teamsText(alert.case.status) : 'opened'}`,
        ],
        url ? [openUrl('Open in TheHive', url)] : [],
      );
    }
    case 'lookup': {
      const { targets, skipped } = lookupTargetsFromText(command.text);
      if (targets.length === 0) return teamsNothingToLookUp(skipped);
      if (!thread)
        return teamsNoteCard(['A lookup is answered in a reply chain: @mention Hivewire in a channel.']);
      await deps.queue.enqueue({
        kind: 'lookup',
        targets,
        userId: teamsPersonId(speaker),
        reply: { to: 'chat', platform: 'teams', ...thread },
        requestedAt: deps.now().toISOString(),
      });
      deps.logger.info('lookup queued', { platform: 'teams', count: targets.length });
      return teamsLookupStarted(targets.length, skipped);
    }
    case 'sla':
      return teamsNoteCard([`sla is on Slack's /hivewire for now; in Teams: threshold, case, lookup, help.`]);
  }
}
