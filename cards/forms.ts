/**
 * Forms as Adaptive Cards, for any card version: where Slack opens a modal, Webex and Teams post a
 * card with inputs in the alert's thread. Its submit carries the same `{"action", "fingerprint"}` as
 * a button, and the platform returns the inputs beside it.
 */
import { IGNORE_MODAL } from '../blocks/actions';
import { HEADER_TEXT_MAX } from '../blocks/limits';
import type { AlertRecord } from '../src/domain/alert';
import { IGNORE_NOTE_MAX, IGNORE_REASONS, type IgnoreReason } from '../src/domain/ignore';
import { adaptiveCard, submit, textBlock, type AdaptiveCard, type CardVersion } from './core';
import { cardText } from './escape';

/** (contract) Input ids of the ignore form: the submitted inputs carry these keys. */
export const IGNORE_REASON_FIELD = 'reason';
export const IGNORE_NOTE_FIELD = 'note';

/** The card asking why an alert is ignored (Slack's ignore modal); submitting it ignores the alert. */
export function ignoreFormCard(
  alert: Pick<AlertRecord, 'fingerprint' | 'severity' | 'finding'>,
  version: CardVersion,
): AdaptiveCard {
  const choices = (Object.keys(IGNORE_REASONS) as IgnoreReason[]).map((reason) => ({
    title: IGNORE_REASONS[reason],
    value: reason,
  }));
  return adaptiveCard(
    version,
    [
      textBlock('Ignore alert', { weight: 'Bolder', size: 'Medium' }),
      textBlock(`${alert.severity} · ${cardText(alert.finding.title, HEADER_TEXT_MAX)}`),
      {
        type: 'Input.ChoiceSet',
        id: IGNORE_REASON_FIELD,
        label: 'Reason',
        isRequired: true,
        errorMessage: 'Choose a reason',
        placeholder: 'Why is this alert not worth a case?',
        choices,
      },
      {
        type: 'Input.Text',
        id: IGNORE_NOTE_FIELD,
        label: 'Details (kept in the audit trail and sent to Security Hub with the reason)',
        isMultiline: true,
        maxLength: IGNORE_NOTE_MAX,
      },
    ],
    [submit('Ignore', { action: IGNORE_MODAL, fingerprint: alert.fingerprint }, 'destructive')],
    'Ignore alert: choose a reason',
  );
}
