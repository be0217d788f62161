/**
 * Reading JSON text that came from outside. `JSON.parse` itself copes with any nesting, but
 * `JSON.stringify`, zod and every recursive walk of the value do not: an array nested 5,000 levels
 * deep overflows the stack when the job carrying it is serialised. So the nesting is measured on the
 * text first, without recursion, and a text nested past the limit is refused before it is parsed.
 */

/**
 * Deepest nesting of arrays and objects accepted in JSON from outside. No finding, Slack payload or
 * TheHive notification comes near it (they nest about ten levels); the recursive code that later
 * walks the value (serialisation, zod, trimming for the store) has stack for far more.
 */
export const MAX_JSON_DEPTH = 512;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/**
 * True when the JSON text nests arrays and objects deeper than `max`. One pass over the text, no
 * recursion, brackets inside strings ignored; it does not validate the JSON (the parser does that).
 */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === BACKSLASH) i += 1;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACKET || code === OPEN_BRACE) {
      depth += 1;
      if (depth > max) return true;
    } else if (code === CLOSE_BRACKET || code === CLOSE_BRACE) {
      depth -= 1;
    }
  }
  return false;
}

export type ParsedJson = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * Parses JSON from outside, refusing text nested deeper than {@link MAX_JSON_DEPTH}. The error says
 * which limit or what the parser found, for a 400 and its dead letter ("body: " + error).
 *
 * @example parseJsonText('[[1]]') // { ok: true, value: [[1]] }
 */
export function parseJsonText(text: string): ParsedJson {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH))
    return { ok: false, error: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `not JSON (${(error as Error).message})` };
  }
}

/**
 * True when an already parsed value (a Lambda payload the runtime decoded) nests arrays and objects
 * deeper than `max`. Walks with its own stack, so any depth is measured without overflowing.
 */
export function valueNestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}
