/**
 * Keeping items under DynamoDB's 400 KB limit. Findings are attacker-controlled and a SIEM alert can be
 * arbitrarily large, so the finding kept with an alert is trimmed (deterministically, and only when it
 * is over its budget) rather than letting a write fail; opaque payloads are cut at a byte budget.
 */
import type { NormalisedFinding } from '../domain/finding';
import type { FindingSnapshot } from '../domain/alert';

/** DynamoDB's item size limit; dynalite enforces the same. */
export const MAX_ITEM_BYTES = 400 * 1024;

/** What a finding kept with its alert may take: room is left for the Slack, case and pending-reply fields. */
export const FINDING_BUDGET_BYTES = 128 * 1024;

/** Marks the end of a string that was cut. */
export const TRUNCATION_MARK = '…';

/** Successively tighter limits, tried in order until the finding fits its budget. */
const TRIM_LEVELS = [
  { maxString: 16 * 1024, maxEntries: 500, maxDepth: 12 },
  { maxString: 4 * 1024, maxEntries: 100, maxDepth: 8 },
  { maxString: 1024, maxEntries: 25, maxDepth: 6 },
  { maxString: 256, maxEntries: 10, maxDepth: 4 },
] as const;

type TrimLevel = (typeof TRIM_LEVELS)[number];

/** Size in bytes of a value's JSON text, which is how the store keeps records. */
export function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '');
}

function trimString(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - TRUNCATION_MARK.length)}${TRUNCATION_MARK}`;
}

function trimValue(value: unknown, level: TrimLevel, depth: number): unknown {
  if (typeof value === 'string') return trimString(value, level.maxString);
  if (value === null || typeof value !== 'object') return value;
  // Deeper than any field of a normalised finding: only smuggled extra fields get here.
  if (depth >= level.maxDepth) return TRUNCATION_MARK;
  if (Array.isArray(value)) {
    return value.slice(0, level.maxEntries).map((entry) => trimValue(entry, level, depth + 1));
  }
  return Object.fromEntries(
    Object.entries(value)
      .slice(0, level.maxEntries)
      .map(([key, entry]) => [trimString(key, level.maxString), trimValue(entry, level, depth + 1)]),
  );
}

/**
 * The finding as it will be stored: unchanged when its JSON fits FINDING_BUDGET_BYTES, otherwise with
 * long strings cut (ending in TRUNCATION_MARK), arrays such as observables and tags cut to their first
 * entries, and nesting cut, at the mildest level that fits. Applying it again changes nothing.
 * Returns undefined when even the tightest level does not fit.
 */
export function boundFinding<F extends FindingSnapshot | NormalisedFinding>(finding: F): F | undefined {
  if (jsonBytes(finding) <= FINDING_BUDGET_BYTES) return finding;
  for (const level of TRIM_LEVELS) {
    const trimmed = trimValue(finding, level, 0) as F;
    if (jsonBytes(trimmed) <= FINDING_BUDGET_BYTES) return trimmed;
  }
  return undefined;
}

/** `text` cut to at most `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  // A character split by the cut decodes as U+FFFD (3 bytes): drop it.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}
