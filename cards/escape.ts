/**
 * How untrusted text (a finding, a SIEM, TheHive, a person's free text) gets into an Adaptive Card.
 *
 * TextBlocks and FactSet titles and values render a Markdown subset (bold, italic, lists, links);
 * the adaptivecards renderer hands the text to markdown-it, and Webex's and Teams' clients to their
 * own CommonMark-like parsers. Adaptive Card text is only ever read on screen, so the escaping for
 * TheHive's Markdown applies whole (src/cases/markdown.ts): invisible and direction characters shown
 * as `<U+202E>`, CommonMark syntax backslash-escaped where it would act, URLs and host names defanged
 * so no client's auto-linking can make a link of them.
 *
 * Beyond TheHive's escaping, `//` that no scheme precedes gets a backslash between its slashes: a client
 * that links bare text would read it as a protocol-relative link.
 *
 * One thing is Adaptive Cards' own: a TextBlock replaces `{{DATE(…)}}` and `{{TIME(…)}}` with a
 * formatted date before any Markdown is read, so a `{` followed by another `{` gets a backslash
 * between them: the renderer never sees `{{`, and Markdown shows the escaped `{` as itself.
 *
 * Hivewire's own cards use no Markdown at all (weight, colour and size are TextBlock properties, links
 * are `Action.OpenUrl`), so any Markdown element found when a card is rendered came from outside.
 */
import { truncate } from '../blocks/escape';
import { escapeMarkdown } from '../src/cases/markdown';

/** Shown for an empty value, as on Slack. */
export const EMPTY_VALUE = '—';

/**
 * `value` cut to `max` characters (before escaping, so no escape is split), escaped for a TextBlock,
 * on one line unless `multiline`. Empty text is `—`.
 *
 * @example cardText('[x](https://evil.example) **b**', 200) // '\\[x\\](hxxps://evil[.]example) \\*\\*b\\*\\*'
 */
export function cardText(value: string, max: number, options: { multiline?: boolean } = {}): string {
  const flat = options.multiline ? value : value.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const cut = truncate(flat.trim(), max);
  if (cut === '') return EMPTY_VALUE;
  // `//` not after a scheme's colon is a protocol-relative link to a linkifying client (`//host.0`): a
  // backslash between the slashes reads the same and links nothing.
  return escapeMarkdown(cut)
    .replace(/\{(?=\{)/g, '{\\')
    .replace(/(?<!:)\/\//g, '/\\/');
}
