/**
 * Escaping for TheHive's Markdown descriptions and comments. Finding text is attacker-controlled: it
 * must not inject links, images, HTML or structure (headings, lists, quotes, tables, code) into the
 * case an analyst reads, and no renderer may turn a URL or host name from it into a link. Yet the
 * description is also read raw (TheHive's editor, exports, the API), so only what Markdown would act
 * on in its position is escaped: `199.241.229.197` and `us-east-1` stay as they are.
 *
 * Each text goes through three steps, in this order:
 * 1. invisible and direction characters are shown as `<U+202E>` (src/domain/invisible.ts);
 * 2. CommonMark/GFM syntax is escaped with backslashes where it would act: backticks, brackets
 *    and pipes always; `*`, `_` and `~` unless they cannot open or close emphasis (between spaces,
 *    or `_` inside a word); `<` before a tag or autolink; `&` before an entity; a backslash before
 *    punctuation; a trailing run of `#` (a heading's closing sequence); and at the start of a line,
 *    what would start a heading, quote, list, thematic break or setext underline (leading spaces
 *    are dropped, so nothing becomes an indented code block);
 * 3. URLs and host names are defanged (`hxxps://evil[.]example`, src/findings/observables.ts), which
 *    holds whatever the renderer: marked, markdown-it with linkify, TheHive's own. The `[.]` it
 *    writes cannot form a link: every bracket from the text is escaped, and a `[.]` is always
 *    followed by a letter or digit.
 */
import { defang } from '../findings/observables';
import { showInvisibles } from '../domain/invisible';

const INLINE_SPECIAL = /[\\`*_~[\]|<&#]/g;
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const WORD_CHARACTER = /[\p{L}\p{N}]/u;
const ENTITY = /^&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});/;
/**
 * What starts a block at the beginning of a line: a quote; an ATX heading; a bullet; a line of only
 * `-`, `*`, `_` or `=` (thematic break or setext underline).
 */
const BLOCK_START = /^(?:>|#{1,6}(?=\s|$)|[-+*](?=\s|$)|([-*_=])(?:\s*\1)*\s*$)/;
const ORDERED_LIST_START = /^(\d{1,9})([.)])(?=\s|$)/;

function isSpace(char: string | undefined): boolean {
  return char === undefined || /\s/.test(char);
}

function isWordCharacter(char: string | undefined): boolean {
  return char !== undefined && WORD_CHARACTER.test(char);
}

/** Whether the special character at `at` would do something in Markdown there. */
function actsAt(char: string, line: string, at: number): boolean {
  const before = line[at - 1];
  const after = line[at + 1];
  switch (char) {
    case '\\':
      // A backslash escapes punctuation, and at the end of a line it is a hard line break.
      return after === undefined || ASCII_PUNCTUATION.test(after);
    case '*':
    case '~':
      // With space on both sides a delimiter can neither open nor close.
      return !(isSpace(before) && isSpace(after));
    case '_':
      // Intraword underscores never emphasise (`snake_case_name`).
      return !(isSpace(before) && isSpace(after)) && !(isWordCharacter(before) && isWordCharacter(after));
    case '<':
      return after !== undefined && /[A-Za-z/!?]/.test(after);
    case '&':
      return ENTITY.test(line.slice(at, at + 40));
    case '#':
      // Only the closing sequence of a heading: `#`s after a space, to the end of the line.
      return isSpace(before) && /^#+\s*$/.test(line.slice(at));
    default:
      return true;
  }
}

function escapeInline(line: string): string {
  return line.replace(INLINE_SPECIAL, (char: string, at: number) =>
    actsAt(char, line, at) ? `\\${char}` : char,
  );
}

function escapeLine(line: string): string {
  const escaped = escapeInline(line.trimStart());
  const ordered = ORDERED_LIST_START.exec(escaped);
  if (ordered) return `${ordered[1]}\\${escaped.slice(ordered[1]!.length)}`;
  return BLOCK_START.test(escaped) ? `\\${escaped}` : escaped;
}

/**
 * Escapes text for a Markdown block (a paragraph, a heading's text) so it renders literally, with
 * line breaks kept and its URLs and host names defanged.
 *
 * @example escapeMarkdown('# [x](https://evil.example) from 199.241.229.197') // '\\# \\[x\\](hxxps://evil[.]example) from 199.241.229.197'
 */
export function escapeMarkdown(text: string): string {
  return defang(
    showInvisibles(text)
      .split(/\r\n|\r|\n/)
      .map(escapeLine)
      .join('\n'),
  );
}

/** Escapes text for one table cell: also folds newlines, which would end the row. */
export function escapeTableCell(text: string): string {
  return defang(escapeInline(showInvisibles(text).replace(/\s*[\r\n]+\s*/g, ' ')));
}

/** A link only to http(s) URLs, with the characters that would end the link target percent-encoded. */
export function markdownLink(label: string, url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return escapeMarkdown(label);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return escapeMarkdown(label);
  // Percent-encoded by hand: encodeURIComponent leaves `(` and `)` as they are, and a `)` would end
  // the link target and let the rest of the URL inject a link of its own.
  const target = parsed
    .toString()
    .replace(/[()<> ]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${escapeMarkdown(label)}](${target})`;
}
