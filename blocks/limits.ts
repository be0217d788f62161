/**
 * Every size limit Hivewire's Slack messages respect, in one place: Slack's own Block Kit limits
 * (from the Block Kit reference, mirrored in `@slack/types`' JSDoc) and the tighter caps Hivewire sets
 * itself so that one huge finding still yields a message Slack accepts.
 */
import type { KnownBlock } from '@slack/types';

/** Blocks in one message (modals allow 100, messages 50). */
export const MESSAGE_BLOCKS_MAX = 50;
/** A section's `text`. */
export const SECTION_TEXT_MAX = 3000;
/** Items in a section's `fields`. */
export const SECTION_FIELDS_MAX = 10;
/** Text of one section field. */
export const SECTION_FIELD_TEXT_MAX = 2000;
/** A header block's `plain_text`. */
export const HEADER_TEXT_MAX = 150;
/** A button's `plain_text` label (Slack may show only ~30 of them). */
export const BUTTON_TEXT_MAX = 75;
/** A button's `value`, sent back with the click. */
export const BUTTON_VALUE_MAX = 2000;
/** A link button's `url`. */
export const BUTTON_URL_MAX = 3000;
/** Elements in a context block. */
export const CONTEXT_ELEMENTS_MAX = 10;
/** Elements in an actions block. */
export const ACTIONS_ELEMENTS_MAX = 25;
/** Any text object (`plain_text` or `mrkdwn`) outside sections: context elements, for instance. */
export const TEXT_OBJECT_MAX = 3000;
/** The top-level `text`: Slack truncates beyond this (`message_truncated`). */
export const FALLBACK_TEXT_MAX = 40_000;

/**
 * Total text across all blocks of one message. Slack answers `msg_blocks_too_long` somewhere around
 * 11–13k characters even when every block is within its own limit (undocumented; ~11.3k was seen
 * rejected and ~9.6k accepted), so Hivewire stays at 10k.
 */
export const MESSAGE_TEXT_BUDGET = 10_000;

// Hivewire's own caps: they keep the fixed parts of an alert small, so the budget left for the
// description and the observables (trimmed first when a finding is huge) stays large.

/** One value shown in a fact field, an observable line or a status line (ids, IPs, logins, statuses). */
export const VALUE_MAX = 120;
/** A longer free-text value inside mrkdwn: an ignore reason, an error, a case title. */
export const PROSE_VALUE_MAX = 400;
/** Observables listed in the alert before "+N more". */
export const OBSERVABLES_SHOWN_MAX = 15;
/** One observable's value in the list (URLs can be long). */
export const OBSERVABLE_VALUE_MAX = 200;
/** Observables looked at when picking the facts a template shows (the first ones carry them). */
export const OBSERVABLES_SCANNED_MAX = 500;
/** A closed case's summary shown under the status line. */
export const CASE_SUMMARY_MAX = 1000;
/** Tags listed in a "tags changed" reply before "+N more". */
export const TAGS_SHOWN_MAX = 10;
/** The title quoted in the plain-text notification fallback. */
export const FALLBACK_TITLE_MAX = 300;
/** A URL written into mrkdwn as a `<url|label>` link (it counts as text there); longer ones are not linked. */
export const TEXT_LINK_URL_MAX = 1000;
/** A section is only worth showing with at least this much room. */
export const SECTION_MIN = 40;

/** The characters of text a block carries, as Slack counts them against the message total. */
function blockTextLength(block: KnownBlock): number {
  switch (block.type) {
    case 'header':
      return block.text.text.length;
    case 'section': {
      let total = block.text?.text.length ?? 0;
      for (const field of block.fields ?? []) total += field.text.length;
      return total;
    }
    case 'context': {
      let total = 0;
      for (const element of block.elements) if ('text' in element) total += element.text.length;
      return total;
    }
    case 'actions': {
      let total = 0;
      for (const element of block.elements) if (element.type === 'button') total += element.text.text.length;
      return total;
    }
    default:
      return 0;
  }
}

/** Total text of `blocks`, to hold a message under {@link MESSAGE_TEXT_BUDGET}. */
export function messageTextLength(blocks: readonly KnownBlock[]): number {
  let total = 0;
  for (const block of blocks) total += blockTextLength(block);
  return total;
}
