/**
 * Ignoring an alert: the modal asking why, the thread reply saying who ignored it and why, and the
 * private answers when the alert cannot be ignored.
 */
import type { KnownBlock, ModalView } from '@slack/types';
import { IGNORE_NOTE_MAX, IGNORE_REASONS, type IgnoreReason } from '../../src/domain/ignore';
import type { IgnoreCheck } from '../../src/domain/ignore';
import type { AlertRecord } from '../../src/domain/alert';
import type { NotePerson } from '../../src/domain/notes';
import { IGNORE_MODAL } from '../actions';
import { ignoredReply, notice, type Reply } from '../replies';
import { caseName } from '../case-link';
import { context, mrkdwn, section } from '../elements';
import { plainText, slackPerson } from '../escape';
import { HEADER_TEXT_MAX } from '../limits';
import { IGNORE_NOTE_BLOCK, IGNORE_NOTE_INPUT, IGNORE_REASON_BLOCK, IGNORE_REASON_INPUT } from './actions';

/** The modal opened by the alert's Ignore button; `private_metadata` carries the fingerprint. */
export function ignoreModal(alert: Pick<AlertRecord, 'fingerprint' | 'severity' | 'finding'>): ModalView {
  const options = (Object.keys(IGNORE_REASONS) as IgnoreReason[]).map((reason) => ({
    text: { type: 'plain_text' as const, text: IGNORE_REASONS[reason] },
    value: reason,
  }));
  const blocks: KnownBlock[] = [
    section(plainText(`${alert.severity} · ${alert.finding.title}`, HEADER_TEXT_MAX)),
    {
      type: 'input',
      block_id: IGNORE_REASON_BLOCK,
      label: { type: 'plain_text', text: 'Reason' },
      element: {
        type: 'static_select',
        action_id: IGNORE_REASON_INPUT,
        placeholder: { type: 'plain_text', text: 'Why is this alert not worth a case?' },
        options,
      },
    },
    {
      type: 'input',
      block_id: IGNORE_NOTE_BLOCK,
      optional: true,
      label: { type: 'plain_text', text: 'Details' },
      hint: { type: 'plain_text', text: 'Kept in the audit trail and sent to Security Hub with the reason.' },
      element: {
        type: 'plain_text_input',
        action_id: IGNORE_NOTE_INPUT,
        multiline: true,
        max_length: IGNORE_NOTE_MAX,
      },
    },
  ];
  return {
    type: 'modal',
    callback_id: IGNORE_MODAL,
    private_metadata: alert.fingerprint,
    title: { type: 'plain_text', text: 'Ignore alert' },
    submit: { type: 'plain_text', text: 'Ignore' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/**
 * The thread reply recording the decision (the shared "Ignored by @x: reason" line), saying when the
 * Security Hub finding goes to SUPPRESSED with it.
 */
export function ignoredThreadReply(
  input: {
    reason: string;
    suppressesSecurityHub: boolean;
  } & NotePerson,
): Reply {
  const base = ignoredReply(input);
  if (!input.suppressesSecurityHub) return base;
  return {
    text: base.text,
    blocks: [
      ...base.blocks,
      context(mrkdwn('The Security Hub finding is marked SUPPRESSED with this reason.')),
    ],
  };
}

/** The private answer when the alert cannot be ignored. */
export function cannotIgnoreNotice(result: Exclude<IgnoreCheck, { outcome: 'ignorable' }>): Reply {
  switch (result.outcome) {
    case 'unknown-alert':
      return notice('Hivewire does not know this alert (it may come from another installation).');
    case 'escalated':
      return notice(
        `This alert is escalated (${caseName(result.alert)}): it cannot be ignored. Close the case in TheHive instead.`,
      );
    case 'escalating':
      return notice('A case is being created for this alert: it cannot be ignored.');
    case 'already-ignored':
      return notice(
        `This alert was already ignored${result.alert.ignoredBy ? ` by ${slackPerson({ person: result.alert.ignoredBy, personName: result.alert.ignoredByName })}` : ''}.`,
      );
  }
}

/** The same refusal as plain words, for an error under the modal's reason (modal errors are plain text). */
export function cannotIgnoreModalError(
  outcome: Exclude<IgnoreCheck, { outcome: 'ignorable' }>['outcome'],
): string {
  switch (outcome) {
    case 'unknown-alert':
      return 'Hivewire does not know this alert.';
    case 'escalated':
      return 'This alert was escalated meanwhile: it cannot be ignored. Close its case in TheHive instead.';
    case 'escalating':
      return 'A case is being created for this alert: it cannot be ignored.';
    case 'already-ignored':
      return 'Someone ignored this alert meanwhile.';
  }
}
