/** Reading what the use cases counted, for assertions. */
import type { MetricsTally } from '../../src/observability/metrics';

/** The counts recorded so far as `name/source` (`-` without a source) → value. */
export function countsOf(tally: MetricsTally): Record<string, number> {
  return Object.fromEntries(
    tally
      .entries()
      .filter((entry) => entry.unit === 'Count')
      .map((entry) => [`${entry.name}/${entry.source ?? '-'}`, entry.sum]),
  );
}
