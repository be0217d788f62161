/**
 * `/hivewire threshold [LEVEL] | case <number> | lookup <values…> | sla | help`. Slack wants the command
 * acknowledged within 3 seconds: what reads the store answers in the acknowledgement itself; lookups
 * are acknowledged with a short answer and their results arrive later on the command's response URL.
 */
import type { App } from '@slack/bolt';
import { COMMAND } from '../../../blocks/analyst/actions';
import { caseNotFound, caseSummary } from '../../../blocks/analyst/case-summary';
import { withCurrentLinks } from '../../alerts/links';
import { helpMessage, unknownSubcommand, usageHelp, type CommandTopic } from '../../../blocks/analyst/help';
import { slaList } from '../../../blocks/sla';
import { customerOfChannel, slaStandings } from '../../cases/sla';
import { lookupStarted } from '../../../blocks/analyst/lookup';
import { thresholdChanged, thresholdShown } from '../../../blocks/analyst/threshold';
import { lookupCase, parseCaseNumber } from '../../cases/lookup';
import { LOOKUP_TARGETS_MAX, lookupTargetsFromText } from '../../lookups/targets';
import { changeThreshold, parseSeverity, readThreshold } from '../../alerts/threshold';
import { customerOfWorkspace, organisationsOfWorkspace, workspaceMayActOn } from '../../enrich/tenancy';
import type { Severity } from '../../domain/finding';
import type { SlackAppDeps } from '../../wiring/deps';
import { groupMembersOf } from './group-members';

/** A command line, understood. */
export type Command =
  | { kind: 'help' }
  | { kind: 'threshold'; level?: Severity }
  | { kind: 'case'; caseNumber: number }
  | { kind: 'lookup'; text: string }
  | { kind: 'sla' }
  | { kind: 'usage'; problem: string; topic?: CommandTopic };

/** Longest command text read: a paste of indicators, not a log file. */
const COMMAND_TEXT_MAX = 4000;

/** Parses the text after `/hivewire`. */
export function parseCommand(text: string): Command {
  const trimmed = text.trim();
  const [word = '', ...rest] = trimmed.split(/\s+/);
  const args = rest.join(' ');
  switch (word.toLowerCase()) {
    case '':
    case 'help':
      return { kind: 'help' };
    case 'threshold': {
      if (rest.length === 0) return { kind: 'threshold' };
      const level = rest.length === 1 ? parseSeverity(rest[0] as string) : undefined;
      return level
        ? { kind: 'threshold', level }
        : { kind: 'usage', problem: 'That is not a severity level.', topic: 'threshold' };
    }
    case 'case': {
      const caseNumber = rest.length === 1 ? parseCaseNumber(rest[0] as string) : undefined;
      return caseNumber
        ? { kind: 'case', caseNumber }
        : { kind: 'usage', problem: 'Give one case number.', topic: 'case' };
    }
    case 'lookup':
      if (!args) return { kind: 'usage', problem: 'Give something to look up.', topic: 'lookup' };
      if (trimmed.length > COMMAND_TEXT_MAX)
        return {
          kind: 'usage',
          problem: `That is more than ${COMMAND_TEXT_MAX} characters.`,
          topic: 'lookup',
        };
      return { kind: 'lookup', text: args };
    case 'sla':
      return rest.length === 0
        ? { kind: 'sla' }
        : { kind: 'usage', problem: 'sla takes no arguments.', topic: 'sla' };
    default:
      return { kind: 'usage', problem: unknownSubcommand(word) };
  }
}

/** Registers `/hivewire`. */
export function registerCommand(app: App, deps: SlackAppDeps): void {
  const members = groupMembersOf(app);
  app.command(COMMAND, async ({ ack, command }) => {
    const userId = command.user_id;
    const parsed = parseCommand(command.text ?? '');
    const log = deps.logger.createChild({
      persistentKeys: { command: COMMAND, subcommand: parsed.kind, userId },
    });
    const answer = async (reply: { text: string; blocks: unknown[] }) =>
      ack({ response_type: 'ephemeral', text: reply.text, blocks: reply.blocks as never });

    switch (parsed.kind) {
      case 'help':
        await answer(helpMessage());
        return;
      case 'usage':
        await answer(usageHelp(parsed.problem, parsed.topic));
        return;
      case 'threshold': {
        // In a customer's own workspace, the command is about that customer's threshold only.
        const customer = customerOfWorkspace(deps.config, command.team_id);
        if (!parsed.level) {
          await answer(thresholdShown(await readThreshold(deps, customer)));
          return;
        }
        const change = await changeThreshold({ level: parsed.level, userId, customer }, { ...deps, members });
        log.info('threshold change', { outcome: change.outcome, level: parsed.level });
        await answer(thresholdChanged(change, userId));
        return;
      }
      case 'case': {
        const organisations = organisationsOfWorkspace(deps.config, command.team_id);
        const found = await lookupCase(parsed.caseNumber, organisations, deps);
        // Another customer's case is not found from this workspace.
        const here =
          found.outcome === 'found' &&
          workspaceMayActOn(deps.config, found.alert.finding.customer, command.team_id);
        await answer(
          found.outcome === 'found' && here
            ? caseSummary({
                ...found,
                alert: withCurrentLinks(found.alert, deps.config),
                theHiveUrl: deps.config.theHive.url,
              })
            : caseNotFound(parsed.caseNumber),
        );
        return;
      }
      case 'sla': {
        // A customer's own workspace sees that customer's clocks only, whatever the channel; in the
        // provider's workspace a customer's alert channel narrows the list to that customer.
        const customer =
          customerOfWorkspace(deps.config, command.team_id) ?? customerOfChannel(deps, command.channel_id);
        await answer(slaList(await slaStandings(deps, customer), customer));
        return;
      }
      case 'lookup': {
        const { targets, skipped } = lookupTargetsFromText(parsed.text);
        if (targets.length === 0) {
          const why = skipped.length
            ? `Nothing to look up: ${skipped.length} value(s) skipped (private or reserved addresses).`
            : 'No IP address, domain, URL or hash found in that text.';
          await answer(usageHelp(why, 'lookup'));
          return;
        }
        await deps.queue.enqueue({
          kind: 'lookup',
          targets,
          userId,
          reply: { to: 'response-url', url: command.response_url },
          requestedAt: deps.now().toISOString(),
        });
        log.info('lookup queued', { count: targets.length, max: LOOKUP_TARGETS_MAX });
        await answer(lookupStarted({ count: targets.length, skipped, where: 'here' }));
        return;
      }
    }
  });
}
