/**
 * Escaping for TheHive's Markdown descriptions and comments. Finding text is attacker-controlled: it
 * must not inject links, images, HTML or table structure into the case an analyst reads.
 */

// `=` and `-` too: a line of either under a line of text would make that text a setext heading.
const MARKDOWN_SPECIAL = /[\\`*_{}[\]()#+\-.!|<>~&=]/g;

/** Escapes inline text so Markdown renders it literally (newlines kept as line breaks). */
export function escapeMarkdown(text: string): string {
  return text.replace(MARKDOWN_SPECIAL, (char) => {
    if (char === '<') return '&lt;';
    if (char === '>') return '&gt;';
    if (char === '&') return '&amp;';
    return `\\${char}`;
  });
}

/** Escapes text for one table cell: also folds newlines, which would end the row. */
export function escapeTableCell(text: string): string {
  return escapeMarkdown(text.replace(/\s*[\r\n]+\s*/g, ' '));
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
