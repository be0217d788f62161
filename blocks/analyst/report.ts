/**
 * "Report to SOC": the modal the message shortcut opens (title prefilled, severity, customer when
 * there is more than one, a note) and the private answers to the reporter.
 */
import type { KnownBlock, ModalView, PlainTextOption } from '@slack/types';
import { SEVERITIES, type Severity } from '../../src/domain/finding';
import type { AlertRecord } from '../../src/domain/alert';
import { REPORT_MODAL } from '../actions';
import { context, mrkdwn, section, slackLink, webUrlHost } from '../elements';
import { literal, mention, plainText } from '../escape';
import { notice, type Reply } from '../replies';
import {
  REPORT_CUSTOMER_BLOCK,
  REPORT_CUSTOMER_INPUT,
  REPORT_NOTE_BLOCK,
  REPORT_NOTE_INPUT,
  REPORT_SEVERITY_BLOCK,
  REPORT_SEVERITY_INPUT,
  REPORT_TITLE_BLOCK,
  REPORT_TITLE_INPUT,
} from './actions';

/** How much of the reported message the modal shows (Slack's section text limit is 3,000). */
const EXCERPT_MAX = 500;
/** The note's length limit (the job's too). */
export const REPORT_NOTE_MAX = 3000;
/** The severity a report starts with. */
const DEFAULT_REPORT_SEVERITY: Severity = 'MEDIUM';

function option(text: string, value: string): PlainTextOption {
  return { text: { type: 'plain_text', text: text.slice(0, 75) }, value };
}

/**
 * The modal. `privateMetadata` is the store key of the kept message; `customers` the customers a
 * report may be for (a choice is shown only when there are several).
 */
export function reportModal(input: {
  privateMetadata: string;
  title: string;
  excerpt: string;
  customers: string[];
}): ModalView {
  const severities = SEVERITIES.map((severity) => option(severity, severity));
  const blocks: KnownBlock[] = [
    context(plainText(input.excerpt, EXCERPT_MAX, '(no text)')),
    {
      type: 'input',
      block_id: REPORT_TITLE_BLOCK,
      label: { type: 'plain_text', text: 'Title' },
      element: {
        type: 'plain_text_input',
        action_id: REPORT_TITLE_INPUT,
        initial_value: input.title,
        max_length: 150,
      },
    },
    {
      type: 'input',
      block_id: REPORT_SEVERITY_BLOCK,
      label: { type: 'plain_text', text: 'Severity' },
      element: {
        type: 'static_select',
        action_id: REPORT_SEVERITY_INPUT,
        options: severities,
        initial_option: option(DEFAULT_REPORT_SEVERITY, DEFAULT_REPORT_SEVERITY),
      },
    },
  ];
  if (input.customers.length > 1) {
    const customers = input.customers.map((customer) => option(customer, customer));
    blocks.push({
      type: 'input',
      block_id: REPORT_CUSTOMER_BLOCK,
      label: { type: 'plain_text', text: 'Customer' },
      element: {
        type: 'static_select',
        action_id: REPORT_CUSTOMER_INPUT,
        options: customers,
        initial_option: customers[0],
      },
    });
  }
  blocks.push({
    type: 'input',
    block_id: REPORT_NOTE_BLOCK,
    optional: true,
    label: { type: 'plain_text', text: 'Note for the SOC' },
    element: {
      type: 'plain_text_input',
      action_id: REPORT_NOTE_INPUT,
      multiline: true,
      max_length: REPORT_NOTE_MAX,
    },
  });
  return {
    type: 'modal',
    callback_id: REPORT_MODAL,
    private_metadata: input.privateMetadata,
    title: { type: 'plain_text', text: 'Report to SOC' },
    submit: { type: 'plain_text', text: 'Report' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** The private answer to someone not allowed to report. */
export function reportNotAllowed(): Reply {
  return notice(
    'You are not on the list of people who may report messages to the SOC: ask the security team.',
  );
}

/** The private answer when the modal could not be opened in time. */
export function reportModalNotOpened(): Reply {
  return notice("Couldn't open the report form in time: please use Report to SOC again.");
}

/** The error shown under the modal's title when the kept message is gone. */
export const REPORT_EXPIRED = 'This report form is too old: close it and report the message again.';

/** The reporter's private confirmation, with a link to the alert; says so when someone reported it first. */
export function reportConfirmation(input: {
  alert: Pick<AlertRecord, 'permalink' | 'finding' | 'channel'>;
  firstReporter?: string;
}): Reply {
  const where =
    input.alert.permalink && webUrlHost(input.alert.permalink)
      ? slackLink(input.alert.permalink, 'its alert')
      : `its alert in <#${input.alert.channel}>`;
  const line = input.firstReporter
    ? `✅ ${mention(input.firstReporter)} already reported this message to the SOC: your report is added to ${where}.`
    : `✅ Thanks: your report is with the SOC as ${where}.`;
  return {
    text: line,
    blocks: [section(mrkdwn(line)), context(mrkdwn(`Title: ${literal(input.alert.finding.title)}`))],
  };
}

/** The reporter's DM when the report could not be filed (the job is kept as a dead letter). */
export function reportFailedNotice(reason: string): Reply {
  return notice(
    `❌ Your report could not be filed: ${literal(reason, 300)}. It is kept, and the security team can see it failed; please tell them directly if it is urgent.`,
  );
}
