/** Answers to `/hivewire threshold`. */
import type { ThresholdChange, ThresholdView } from '../../src/domain/threshold';
import { literal, mention } from '../escape';
import { notice, type Reply } from '../replies';
import { COMMAND } from './actions';

/** The threshold in force, where it comes from, and customers with their own. */
export function thresholdShown(view: ThresholdView): Reply {
  const source =
    view.source === 'setting'
      ? `set with \`${COMMAND} threshold\` (the configured default is ${view.configured})`
      : 'the configured default';
  const customers = view.customers.length
    ? `\nCustomers with their own threshold: ${view.customers.map((c) => `${literal(c.customer, 60)} ${c.level}`).join(', ')}`
    : '';
  const whose = view.customer === undefined ? '' : ` for ${literal(view.customer, 60)}`;
  return notice(`Findings below *${view.level}* are not posted${whose}: ${source}.${customers}`);
}

/** The outcome of a change. */
export function thresholdChanged(change: ThresholdChange, userId: string): Reply {
  switch (change.outcome) {
    case 'changed':
      return notice(
        `✅ ${mention(userId)} set the severity threshold: *${change.from}* → *${change.to}*. New findings below ${change.to} are not posted.`,
      );
    case 'unchanged':
      return notice(`The severity threshold already is *${change.level}*.`);
    case 'refused':
      return notice(
        `⛔ Only Hivewire admins may change the severity threshold (the users and user groups under \`slack.admins\` and \`slack.adminGroups\` in the config file). Anyone may read it with \`${COMMAND} threshold\`.`,
      );
  }
}
