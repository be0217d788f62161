/** Latency figures as the benchmarks print them. */

export interface Latency {
  p50: number;
  p99: number;
  runs: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** p50 and p99 of `timings` (milliseconds, any order), to 0.01 ms. */
export function latency(timings: number[]): Latency {
  const sorted = [...timings].sort((a, b) => a - b);
  return {
    p50: Number(percentile(sorted, 50).toFixed(2)),
    p99: Number(percentile(sorted, 99).toFixed(2)),
    runs: sorted.length,
  };
}
