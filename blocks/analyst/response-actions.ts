/**
 * Response-action buttons (each behind a confirmation dialog), the private answers to a click, and the
 * thread reply with the result. Labels and targets come from the config file (trusted, but escaped
 * all the same); results come from the function or AWS (untrusted).
 */
import type { ActionsBlock, Button } from '@slack/types';
import type { ResponseActionOffer } from '../../src/domain/response-actions';
import { mrkdwn, section, slackLink, webUrlHost } from '../elements';
import { literal, plainText, slackPerson } from '../escape';
import type { NoteOf } from '../../src/domain/notes';
import { ACTIONS_ELEMENTS_MAX, BUTTON_TEXT_MAX, BUTTON_VALUE_MAX, PROSE_VALUE_MAX } from '../limits';
import { notice, type Reply } from '../replies';
import { responseActionId } from './actions';

/** Block id of the response-action buttons. */
export const RESPONSE_ACTIONS_BLOCK = 'hivewire.response_actions';

function targetWords(action: ResponseActionOffer): string {
  return action.lambda
    ? `the Lambda function ${literal(action.lambda)}`
    : `the SSM Automation runbook ${literal(action.ssmDocument ?? '')}`;
}

function button(action: ResponseActionOffer, fingerprint: string): Button {
  return {
    type: 'button',
    action_id: responseActionId(action.id),
    text: plainText(action.label, BUTTON_TEXT_MAX),
    value: fingerprint,
    style: 'danger',
    confirm: {
      title: plainText(`Run ${action.label}?`, 100),
      text: {
        type: 'mrkdwn',
        // Within the dialog's 300 characters: each target is a literal of at most 120.
        text: `This runs ${targetWords(action)} on this finding. It is recorded in the audit trail.`,
      },
      confirm: { type: 'plain_text', text: 'Run' },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: 'danger',
    },
  };
}

/**
 * The buttons for the actions that apply to an alert's finding (see `responseActionsFor`); undefined
 * when none apply or the fingerprint cannot round-trip through a button value.
 */
export function responseActionsBlock(
  fingerprint: string,
  actions: readonly ResponseActionOffer[],
): ActionsBlock | undefined {
  if (actions.length === 0 || fingerprint.length > BUTTON_VALUE_MAX) return undefined;
  return {
    type: 'actions',
    block_id: RESPONSE_ACTIONS_BLOCK,
    elements: actions.slice(0, ACTIONS_ELEMENTS_MAX).map((action) => button(action, fingerprint)),
  };
}

/** Private answer: the action was queued. */
export function responseActionStarted(action: ResponseActionOffer): Reply {
  return notice(`▶️ Running *${literal(action.label)}*… the result will be threaded under the alert.`);
}

/** Private answer: the user is not on the action's allow-list. */
export function responseActionRefused(action: ResponseActionOffer): Reply {
  return notice(
    `⛔ You are not allowed to run *${literal(action.label)}*. Only the users and groups on its allow-list ` +
      '(or, without one, the Hivewire admins in the config file) may run it.',
  );
}

/** Private answer: the click no longer matches the configuration or the alert. */
export function responseActionUnavailable(
  reason: 'unknown-action' | 'unknown-alert' | 'not-applicable',
): Reply {
  switch (reason) {
    case 'unknown-action':
      return notice('This response action is no longer configured.');
    case 'unknown-alert':
      return notice('Hivewire does not know this alert (it may come from another installation).');
    case 'not-applicable':
      return notice("This response action does not apply to this finding's type.");
  }
}

/** Thread reply: what the action did, or why it failed. */
export function responseActionResultReply(input: Omit<NoteOf<'response-action-result'>, 'kind'>): Reply {
  const link = input.link && webUrlHost(input.link) ? ` · ${slackLink(input.link, 'execution')}` : '';
  const line = input.ok
    ? `✅ *${literal(input.label)}* (run by ${slackPerson(input)}) succeeded: ${literal(input.summary, PROSE_VALUE_MAX)}${link}`
    : `❌ *${literal(input.label)}* (run by ${slackPerson(input)}) failed: ${literal(input.summary, PROSE_VALUE_MAX)}`;
  return {
    text: `${literal(input.label)}: ${input.ok ? 'succeeded' : 'failed'}`,
    blocks: [section(mrkdwn(line))],
  };
}
