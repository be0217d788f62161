/**
 * The entry point for every inbound event: whatever arrived (an EventBridge event, a bare
 * finding, an SNS delivery, a SIEM alert …) becomes normalised findings, plus the entries skipped
 * on purpose and those rejected as malformed. It never throws: a bad finding is one rejection,
 * not a lost batch.
 */
import { normaliseAsff } from './asff';
import { unwrap, type FindingFormat } from './envelope';
import type { NormalisedFinding } from '../domain/finding';
import { normaliseGuardDuty } from './guardduty';
import { normaliseMozdefAlert } from './mozdef';
import { normaliseOcsf } from './ocsf';
import type { SourceContext, SourceOutcome } from './outcome';
import { normaliseUsmAlarm } from './usm';

export interface ParseResult {
  findings: NormalisedFinding[];
  /** Entries that are not findings for Hivewire (other EventBridge events, our own Security Hub echoes). */
  skipped: { index: number; reason: string }[];
  /** Malformed entries; each error names the field (`detail.findings[1].Severity: required`). */
  rejected: { index: number; error: string }[];
}

const NORMALISERS: Record<FindingFormat, (input: unknown, ctx: SourceContext) => SourceOutcome> = {
  guardduty: normaliseGuardDuty,
  asff: normaliseAsff,
  ocsf: normaliseOcsf,
  usm: normaliseUsmAlarm,
  mozdef: normaliseMozdefAlert,
};

/** One entry of an input, with its position: a finding, or the reason it was skipped or rejected. */
export type ParsedEntry = { index: number } & (
  { finding: NormalisedFinding } | { skipped: string } | { rejected: string }
);

/**
 * Every entry of an input in order, each with its `index`: 0 for a single finding, the position in
 * `detail.findings[]` or in an array otherwise. For callers that answer per entry (`POST /ingest`).
 */
export function parseEntries(input: unknown): ParsedEntry[] {
  return unwrap(input).map((unit, index): ParsedEntry => {
    if (unit.kind === 'skipped') return { index, skipped: unit.reason };
    if (unit.kind === 'rejected') return { index, rejected: unit.error };
    const outcome = normaliseSafely(unit.format, unit.value, unit.ctx);
    if ('finding' in outcome) return { index, finding: outcome.finding };
    if ('skipped' in outcome) return { index, skipped: outcome.skipped };
    return { index, rejected: outcome.error };
  });
}

/**
 * Normalises every finding an input carries, grouped by fate (see `parseEntries` for `index`).
 *
 * @example
 *   const { findings, skipped, rejected } = parseEvent(JSON.parse(body));
 */
export function parseEvent(input: unknown): ParseResult {
  const result: ParseResult = { findings: [], skipped: [], rejected: [] };
  for (const entry of parseEntries(input)) {
    if ('finding' in entry) result.findings.push(entry.finding);
    else if ('skipped' in entry) result.skipped.push({ index: entry.index, reason: entry.skipped });
    else result.rejected.push({ index: entry.index, error: entry.rejected });
  }
  return result;
}

/** A normaliser bug on one odd finding must cost that finding, not the whole delivery. */
function normaliseSafely(format: FindingFormat, value: unknown, ctx: SourceContext): SourceOutcome {
  try {
    return NORMALISERS[format](value, ctx);
  } catch (error) {
    return {
      error: `${ctx.path || 'input'}: could not be normalised as ${format} (${(error as Error).message})`,
    };
  }
}
