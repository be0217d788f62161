/**
 * How attacker-controlled text (anything from a finding, a SIEM, TheHive or a user's free text) gets
 * into a Slack message without pinging, linking or formatting anything.
 *
 * - In `mrkdwn` and in the top-level `text` fallback, such text goes through {@link literal} and
 *   nothing else: `&`, `<`, `>` become entities (Slack's only control characters: with them gone,
 *   `<!channel>`, `<@U1>`, `<#C1>`, `<!subteam^S1>` and `<http://x|y>` are inert text), and the
 *   result is wrapped in an inline code span. Slack's mrkdwn has no escape for `*`, `_`, `~`,
 *   backticks or a leading `>` (backslashes don't work); inside a code span none of them formats,
 *   and a span never starts a line, so a leading `>` cannot quote. The only things that could end the
 *   span early are a backtick, replaced by the look-alike `ˋ` (U+02CB), and a line break, replaced by
 *   a space. Inserting zero-width characters next to the markers was rejected: converters use exactly
 *   that trick (a zero-width space beside `*`) to make Slack *apply* formatting mid-word, so Slack
 *   treats those characters as word boundaries and the marker would still format.
 * - In `plain_text` objects (header, description, summaries) Slack parses nothing, so
 *   {@link plainText} only truncates and guarantees the non-empty text Slack requires.
 * - In both, invisible and direction-changing characters (zero-width spaces, bidi overrides and
 *   isolates) are shown as `<U+202E>` first (src/domain/invisible.ts), so a title cannot reverse the
 *   rest of a line or hide a split word.
 * - A Slack mention is only ever built by {@link mention} from an id Hivewire validated; a person of
 *   another platform is named by {@link slackPerson} as a literal.
 */
import type { PlainTextElement } from '@slack/types';
import { showInvisibles } from '../src/domain/invisible';
import { isOwnPerson, type NotePerson } from '../src/domain/notes';
import { VALUE_MAX } from './limits';

/** Shown for an empty value: Slack rejects empty text objects and an empty code span renders as two backticks. */
export const EMPTY_VALUE = '—';

const ELLIPSIS = '…';
const SPAN_BREAKERS = /[`\r\n\u2028\u2029]/g;
const CONTROL_CHARACTERS = /[&<>]/;
const SLACK_USER_ID = /^[UW][A-Z0-9]+$/;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** `text.slice(0, end)`, moved back one unit when `end` would split a surrogate pair. */
function sliceWhole(text: string, end: number): string {
  if (end > 0 && end < text.length && isHighSurrogate(text.charCodeAt(end - 1)))
    return text.slice(0, end - 1);
  return text.slice(0, end);
}

function escapeEntities(text: string): string {
  if (!CONTROL_CHARACTERS.test(text)) return text;
  // `&` first, or the `&` of the entities just written would be escaped again.
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** How many characters one UTF-16 unit takes once `&`, `<`, `>` are entities. */
function escapedLength(code: number): number {
  if (code === 38) return 5; // &amp;
  if (code === 60 || code === 62) return 4; // &lt; &gt;
  return 1;
}

/**
 * Cuts `text` to at most `max` UTF-16 units, ending with `…` when cut, never inside a surrogate
 * pair (an emoji stays whole or goes). Cut before escaping, so an entity is never split.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return sliceWhole(text, Math.max(0, max - 1)) + ELLIPSIS;
}

/**
 * The one way untrusted text enters `mrkdwn` or a message's `text`: an inline code span with
 * invisible and direction characters shown (`<U+202E>`), `&`, `<`, `>` escaped, backticks replaced by
 * `ˋ` and line breaks by spaces, at most `max` characters
 * long (`max` ≥ 4) including the backticks and a `…` when cut. Empty text renders as `—`.
 *
 * @example literal('<!channel> *pwned*') // '`&lt;!channel&gt; *pwned*`'
 */
export function literal(value: string, max: number = VALUE_MAX): string {
  const room = max - 2;
  // Every unit costs at least one character and only the trimmed ends disappear, so looking at
  // `2 * room` units is enough: a 100 KB value costs no more than a short one.
  const head = value.length > 2 * room ? sliceWhole(value, 2 * room) : value;
  let cut = head.length < value.length;
  const text = showInvisibles(head)
    .replace(SPAN_BREAKERS, (ch) => (ch === '`' ? 'ˋ' : ' '))
    .trim();
  if (text === '') return cut ? `\`${ELLIPSIS}\`` : EMPTY_VALUE;
  let escaped = escapeEntities(text);
  if (escaped.length > room) cut = true;
  if (cut) {
    let used = 0;
    let end = 0;
    while (end < text.length) {
      const cost = escapedLength(text.charCodeAt(end));
      if (used + cost > room - 1) break;
      used += cost;
      end += 1;
    }
    escaped = escapeEntities(sliceWhole(text, end).trimEnd()) + ELLIPSIS;
  }
  return `\`${escaped}\``;
}

/**
 * A `plain_text` object for untrusted text: Slack parses nothing in it, so it only gets its invisible
 * characters shown, is cut to `max` and is never empty (Slack rejects empty text).
 */
export function plainText(text: string, max: number, placeholder: string = EMPTY_VALUE): PlainTextElement {
  const shown = showInvisibles(text);
  return { type: 'plain_text', text: truncate(shown.trim() === '' ? placeholder : shown, max) };
}

/** True for a Slack user id (`U…`, or `W…` on Enterprise Grid). */
export function isSlackUserId(id: string | undefined): id is string {
  return id !== undefined && SLACK_USER_ID.test(id);
}

/**
 * A Slack mention for a user id Hivewire itself recorded (the clicker, a resolved assignee); anything
 * that is not a well-formed user id is shown as a literal instead, so it can never ping.
 */
export function mention(userId: string): string {
  return isSlackUserId(userId) ? `<@${userId}>` : literal(userId);
}

/**
 * The person a thread note names: a Slack user is mentioned; a person of another platform (a Webex or
 * Teams clicker) is shown by their name, or their id when no name is known, as a literal: it can never
 * mention, link or format. A note without the person's platform (stored before it was recorded) is
 * read by the id's shape, as before.
 */
export function slackPerson(note: NotePerson): string {
  const own = isOwnPerson(note, 'slack') ?? isSlackUserId(note.person);
  return own ? mention(note.person) : literal(note.personName ?? note.person);
}
