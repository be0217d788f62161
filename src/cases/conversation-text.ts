/**
 * The words of a case's conversation as they cross sides: a Slack message (mrkdwn) becomes the
 * Markdown of a TheHive comment, and every comment Hivewire writes carries a marker so that its
 * webhook, coming back, is recognised and never threaded back into Slack.
 *
 * Slack's mrkdwn is not Markdown: `&`, `<`, `>` arrive as entities, mentions and links are `<…>`
 * tokens, and `*`, `_`, `~` format differently. What an analyst wrote is kept as text: a mention
 * becomes the person's name, a link the text the analyst gave it (or its address), and both then go
 * through the same Markdown escaping as finding text (so a URL is defanged, never a live link in
 * TheHive); code spans and blocks stay code.
 */
import { escapeMarkdown, markdownLink } from './markdown';
import { showInvisibles } from '../domain/invisible';

/** The last line of every comment Hivewire writes: how its own comments are told from people's. */
export const HIVEWIRE_COMMENT_MARKER = '— _posted by Hivewire_';

/** Adds the marker to a comment Hivewire writes. */
export function markedComment(markdown: string): string {
  return `${markdown}\n\n${HIVEWIRE_COMMENT_MARKER}`;
}

/** Whether a comment was written by Hivewire (its last line is the marker). */
export function isHivewireComment(message: string): boolean {
  return message.trimEnd().endsWith(HIVEWIRE_COMMENT_MARKER);
}

/** Slack user ids mentioned in a message (`<@U123>` or `<@U123|name>`), for looking their names up. */
export function mentionedUsers(text: string): string[] {
  return [...new Set([...text.matchAll(/<@([UW][A-Z0-9]+)(?:\|[^>]*)?>/g)].map((m) => m[1]!))];
}

/** Slack's three entities, back to the characters the person typed. */
function unescapeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** What a `<…>` token of mrkdwn reads as, as plain text. */
function tokenText(token: string, names: Readonly<Record<string, string>>): string {
  const [target = '', label] = token.split('|', 2) as [string, string | undefined];
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `@${names[id] ?? label ?? id}`;
  }
  if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
  if (target.startsWith('!')) {
    const special = target.slice(1);
    if (special.startsWith('subteam^')) return label ?? `@${special.slice('subteam^'.length)}`;
    if (special.startsWith('date^')) return label ?? special;
    return `@${special}`;
  }
  return label ?? target;
}

/** A code span holding `code` literally: fenced with more backticks than any run inside it. */
function codeSpan(code: string): string {
  const longest = Math.max(0, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = code.startsWith('`') || code.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${code}${pad}${fence}`;
}

function codeBlock(code: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `\n${fence}\n${code.replace(/^\n+|\n+$/g, '')}\n${fence}\n`;
}

// Private-use characters stand for code while the text around it is escaped; any in the message are replaced first.
const HOLE_START = '\uE000';
const HOLE_END = '\uE001';
const HOLE = /\uE000(\d+)\uE001/g;

/**
 * A Slack message's text as TheHive Markdown: mentions as `@name` (from `names`, user id → name),
 * links as the text written, code kept as code, everything else escaped as literal text.
 *
 * @example slackToMarkdown('ping <@U1> see <https://evil.example|this> `rm -rf`', { U1: 'Alice' })
 * // 'ping @Alice see this `rm -rf`'
 */
export function slackToMarkdown(mrkdwn: string, names: Readonly<Record<string, string>>): string {
  const code: string[] = [];
  const hole = (markdown: string) => `${HOLE_START}${code.push(markdown) - 1}${HOLE_END}`;
  const text = mrkdwn
    .replace(/[\uE000\uE001]/g, '\uFFFD')
    .replace(/```([\s\S]*?)```/g, (_, inner: string) =>
      hole(codeBlock(showInvisibles(unescapeEntities(inner)))),
    )
    .replace(/`([^`\n]+)`/g, (_, inner: string) => hole(codeSpan(showInvisibles(unescapeEntities(inner)))))
    .replace(/<([^<>\s][^<>]*)>/g, (_, token: string) => tokenText(token, names));
  return escapeMarkdown(unescapeEntities(text))
    .replace(HOLE, (_, index: string) => code[Number(index)]!)
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** A file shared with a message: named, with its Slack permalink (the file itself stays in Slack). */
export interface SharedFile {
  name: string;
  permalink?: string;
}

/** What a copied Slack message says in TheHive. */
export interface SlackCommentInput {
  authorName: string;
  /** The message as Slack sent it (mrkdwn). */
  text: string;
  names: Readonly<Record<string, string>>;
  files?: SharedFile[];
  permalink?: string;
  /** Slack's `channel` and `ts`: named when there is no permalink, so the comment still leads back. */
  channel: string;
  ts: string;
  edited?: boolean;
  /** When the message was deleted in Slack (ISO-8601): the comment then says so instead of its text. */
  deletedAt?: string;
  /** Part of a longer comment (the summary of what was said before the case), which carries the marker. */
  omitMarker?: boolean;
}

/**
 * The TheHive comment for a Slack message: "<name> in Slack: <text>", the files shared with it, and
 * the message's permalink; marked as Hivewire's.
 */
export function slackMessageComment(input: SlackCommentInput): string {
  const who = `**${escapeMarkdown(input.authorName)}** in Slack`;
  const link = input.permalink
    ? markdownLink('Slack message', input.permalink)
    : `Slack message ${escapeMarkdown(input.ts)} in ${escapeMarkdown(input.channel)}`;
  if (input.deletedAt)
    return markedComment(
      `${who}: _message deleted in Slack at ${escapeMarkdown(input.deletedAt)}_\n\n${link}`,
    );
  const body = slackToMarkdown(input.text, input.names);
  const files = (input.files ?? []).map(
    (file) =>
      `- file ${file.permalink ? markdownLink(file.name, file.permalink) : escapeMarkdown(file.name)}`,
  );
  const markdown = [
    `${who}${input.edited ? ' (edited)' : ''}: ${body}`,
    ...(files.length ? [files.join('\n')] : []),
    link,
  ].join('\n\n');
  return input.omitMarker ? markdown : markedComment(markdown);
}
