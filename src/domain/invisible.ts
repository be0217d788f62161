/**
 * Invisible and direction-changing characters in text from outside (a finding, a SIEM, TheHive, a
 * user). They are not dropped but shown as their code point, `<U+202E>`: a right-to-left override
 * can make `invoice\u202Efdp.exe` read as `invoiceexe.pdf` and reverse the rest of an alert line, and a
 * zero-width space can split `admin` so a search or a keyword rule misses it. That such a character
 * is there is worth an analyst's attention, and it stays in the record exactly as received.
 *
 * A leaf module, with nothing of any one chat platform or markup: every surface (Slack's mrkdwn and
 * plain_text, TheHive's Markdown, Adaptive Cards) runs its text through {@link showInvisibles} before
 * escaping it for that surface.
 */

/**
 * Zero-width space, non-joiner, joiner, left-to-right and right-to-left marks (U+200B–U+200F); the
 * embeddings, pops and overrides (U+202A–U+202E); the isolates (U+2066–U+2069); the Arabic letter
 * mark (U+061C, the third directional mark); the word joiner and invisible operators (U+2060–U+2064);
 * and the zero-width no-break space / byte order mark (U+FEFF).
 */
const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * `text` with each invisible or direction-changing character replaced by `<U+XXXX>`.
 *
 * @example showInvisibles('invoice\u202Efdp.exe') // 'invoice<U+202E>fdp.exe'
 */
export function showInvisibles(text: string): string {
  return text.replace(
    INVISIBLE,
    (char) => `<U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`,
  );
}
