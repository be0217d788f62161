/**
 * Every Slack `action_id`, `callback_id` and message-metadata event type Hivewire uses, in one place:
 * the builders in `blocks/` put them in messages and the listeners in `src/slack/` match on them.
 */

/** (contract) The alert's "Create Case" button; its `value` is the alert's fingerprint. */
export const CREATE_CASE = 'hivewire.create_case';
/** (contract) The alert's "Ignore" button; its `value` is the alert's fingerprint. */
export const IGNORE = 'hivewire.ignore';
/** (contract) `event_type` of the metadata on every alert message. */
export const ALERT_EVENT_TYPE = 'hivewire_alert';

/** Callback id of the "Report to SOC" message shortcut (see manifest.yml). */
export const REPORT_SHORTCUT = 'hivewire.report_to_soc';
/** Callback id of the modal the shortcut opens. */
export const REPORT_MODAL = 'hivewire.report_modal';
/** Callback id of the modal asking why an alert is ignored. */
export const IGNORE_MODAL = 'hivewire.ignore_modal';
/** Looks up the alert's indicators in threat intelligence. */
export const ENRICH = 'hivewire.enrich';
/** Asks the person a finding is about "was this you?". */
export const ASK_USER = 'hivewire.ask_user';
/** Answers to "was this you?". */
export const TRIAGE_YES = 'hivewire.triage.yes';
export const TRIAGE_NO = 'hivewire.triage.no';
export const TRIAGE_UNSURE = 'hivewire.triage.unsure';

/** Link button to the finding in the AWS console (or the SIEM). */
export const OPEN_CONSOLE = 'hivewire.open_console';
/** Link button to the TheHive case. */
export const OPEN_CASE = 'hivewire.open_case';
/** Link button to a compliance control's remediation guide. */
export const OPEN_REMEDIATION = 'hivewire.open_remediation';

/**
 * Link buttons. Slack still sends an interaction when one is clicked, and shows the user an error
 * unless the app acknowledges it: the Slack listeners must `ack()` these and do nothing else.
 */
export const LINK_ACTIONS: readonly string[] = [OPEN_CONSOLE, OPEN_CASE, OPEN_REMEDIATION];
