/**
 * The entry point for every inbound event: whatever arrived (an EventBridge event, a bare
 * finding, an SNS delivery, a SIEM alert …) becomes normalised findings, plus the entries skipped
 * on purpose and those rejected as malformed. It never throws: a bad finding is one rejection,
 * not a lost batch.
 */
import { normaliseAsff } from './asff';
import { unwrap, type FindingFormat } from './envelope';
import type { NormalisedFinding } from './finding';
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

/**
 * Normalises every finding an input carries. `index` numbers the entries of the input in order:
 * 0 for a single finding, the position in `detail.findings[]` or in an array otherwise.
 *
 * @example
 *   const { findings, skipped, rejected } = parseEvent(JSON.parse(body));
 */
export function parseEvent(input: unknown): ParseResult {
  const result: ParseResult = { findings: [], skipped: [], rejected: [] };
  unwrap(input).forEach((unit, index) => {
    if (unit.kind === 'skipped') result.skipped.push({ index, reason: unit.reason });
    else if (unit.kind === 'rejected') result.rejected.push({ index, error: unit.error });
    else {
      const outcome = normaliseSafely(unit.format, unit.value, unit.ctx);
      if ('finding' in outcome) result.findings.push(outcome.finding);
      else if ('skipped' in outcome) result.skipped.push({ index, reason: outcome.skipped });
      else result.rejected.push({ index, error: outcome.error });
    }
  });
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
