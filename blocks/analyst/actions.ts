/**
 * The analyst features' Slack ids that `blocks/actions.ts` does not already hold (that file keeps
 * IGNORE, IGNORE_MODAL, ENRICH, ASK_USER and the TRIAGE_* answers): the slash command, the ignore
 * modal's inputs, the response-action buttons.
 */

/** The slash command (see manifest.yml). */
export const COMMAND = '/hivewire';

/** Ignore modal: the reason select and the free-text note (block ids, then action ids). */
export const IGNORE_REASON_BLOCK = 'hivewire.ignore.reason';
export const IGNORE_REASON_INPUT = 'hivewire.ignore.reason_select';
export const IGNORE_NOTE_BLOCK = 'hivewire.ignore.note';
export const IGNORE_NOTE_INPUT = 'hivewire.ignore.note_input';

/** Report modal: title, severity, customer and note (block ids, then action ids). */
export const REPORT_TITLE_BLOCK = 'hivewire.report.title';
export const REPORT_TITLE_INPUT = 'hivewire.report.title_input';
export const REPORT_SEVERITY_BLOCK = 'hivewire.report.severity';
export const REPORT_SEVERITY_INPUT = 'hivewire.report.severity_select';
export const REPORT_CUSTOMER_BLOCK = 'hivewire.report.customer';
export const REPORT_CUSTOMER_INPUT = 'hivewire.report.customer_select';
export const REPORT_NOTE_BLOCK = 'hivewire.report.note';
export const REPORT_NOTE_INPUT = 'hivewire.report.note_input';

/**
 * Response-action buttons: `hivewire.response_action.<id>` (one action id per configured action, since
 * action ids must be unique within a block); the button's `value` is the alert's fingerprint.
 */
export const RESPONSE_ACTION_PREFIX = 'hivewire.response_action.';
/** Matches every response-action button. */
export const RESPONSE_ACTION_PATTERN = /^hivewire\.response_action\.[a-z0-9][a-z0-9_-]{0,39}$/;

/** The action id of one configured response action. */
export function responseActionId(id: string): string {
  return `${RESPONSE_ACTION_PREFIX}${id}`;
}

/** The configured id inside a response-action button's action id. */
export function responseActionOf(actionId: string): string | undefined {
  return RESPONSE_ACTION_PATTERN.test(actionId) ? actionId.slice(RESPONSE_ACTION_PREFIX.length) : undefined;
}

/** Block id of the "was this you?" buttons in the DM (replaced by the answer once given). */
export const TRIAGE_ANSWER_BLOCK = 'hivewire.triage.answer';
