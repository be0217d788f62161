/**
 * `/hivewire help` (and the answer to an @-mention): what the command and the alert buttons do. Also
 * the usage shown when a command's arguments are wrong, naming what was wrong.
 */
import { SEVERITIES } from '../../src/domain/finding';
import { context, mrkdwn, section } from '../elements';
import { literal } from '../escape';
import type { Reply } from '../replies';
import { COMMAND } from './actions';

export type CommandTopic = 'threshold' | 'case' | 'lookup' | 'sla';

const USAGE: Record<CommandTopic, string> = {
  threshold: `\`${COMMAND} threshold\` shows the severity threshold · \`${COMMAND} threshold LEVEL\` sets it (admins only), LEVEL one of ${SEVERITIES.join(', ')}`,
  case: `\`${COMMAND} case 42\` shows case #42's state, its links and its timeline`,
  lookup: `\`${COMMAND} lookup VALUES…\` looks up IPs, domains, URLs and hashes (defanged ones like \`hxxp://evil[.]com\` too) in RDAP, VirusTotal, AbuseIPDB and URLhaus`,
  sla: `\`${COMMAND} sla\` lists the open cases closest to or past their SLA limits`,
};

/** The full help. */
export function helpMessage(): Reply {
  const lines = [
    '*Hivewire* turns security findings into Slack alerts and opens TheHive cases from them.',
    `• ${USAGE.threshold}`,
    `• ${USAGE.case}`,
    `• ${USAGE.lookup}`,
    `• ${USAGE.sla}`,
    `• \`${COMMAND} help\` shows this help`,
  ];
  return {
    text: `Hivewire help: ${COMMAND} threshold | case | lookup | sla | help`,
    blocks: [
      section(mrkdwn(lines.join('\n'))),
      context(
        mrkdwn(
          'On an alert: *Create Case* opens a TheHive case · *Ignore* asks why · *Enrich* threads threat intel on its indicators · *Ask the user* sends the person it is about "was this you?".',
        ),
      ),
    ],
  };
}

/** The usage of one subcommand (or of all), after what was wrong with the arguments. */
export function usageHelp(problem: string, topic?: CommandTopic): Reply {
  const usage = topic
    ? `• ${USAGE[topic]}`
    : (Object.keys(USAGE) as CommandTopic[]).map((t) => `• ${USAGE[t]}`).join('\n');
  const line = `⚠️ ${problem}`;
  return { text: line, blocks: [section(mrkdwn(`${line}\n${usage}`))] };
}

/** "`x` is not a command", safely quoted. */
export function unknownSubcommand(word: string): string {
  return `${literal(word, 40)} is not a ${COMMAND} command.`;
}
