/**
 * What Hivewire counts and times, as operators read it: findings by outcome and source, escalations,
 * case updates threaded, Slack and TheHive calls, dead letters. Use cases and clients record through
 * the `Metrics` port and never see how the figures leave the process: the local server serves them at
 * `GET /metrics`, Lambda publishes them as CloudWatch metrics (EMF) at the end of each invocation
 * (src/aws/metrics.ts).
 */
import type { FindingSource } from '../domain/finding';
import type { Store } from '../store/store';

/** The CloudWatch namespace of every Hivewire metric (serverless.yml sets the same in each function). */
export const METRICS_NAMESPACE = 'Hivewire';

/** Events counted, each once per occurrence. */
export type CountMetric =
  /** A finding reached the ingest use case (before the threshold and deduplication). */
  | 'FindingsReceived'
  /** A new Slack alert was posted. */
  | 'FindingsPosted'
  /** An existing alert was updated (count, severity, last seen). */
  | 'FindingsUpdated'
  /** A new finding was grouped into a digest alert, its channel being in a storm. */
  | 'FindingsDigested'
  /** Not shown: below the severity threshold, nothing newer than the alert, or not a finding event. */
  | 'FindingsSkipped'
  /** Malformed: kept as a dead letter, with the field named. */
  | 'FindingsRejected'
  /** A Create Case click queued a case. */
  | 'EscalationsRequested'
  /** TheHive case opened (or found again) for an escalation. */
  | 'EscalationsOpened'
  /** An escalation failed for good and the thread was told. */
  | 'EscalationsFailed'
  /** A TheHive case change was replied in its alert's thread. */
  | 'CaseUpdatesThreaded'
  /** A Slack Web API call failed after its retries. */
  | 'SlackCallFailures'
  /** A TheHive API call failed after its retries. */
  | 'TheHiveCallFailures'
  /** Something was kept in the table's dead letters (the `DeadLettersWritten` alarm). */
  | 'DeadLettersWritten'
  /** A person's Slack message in an alert's thread became a comment on its case. */
  | 'ConversationCopiedToTheHive'
  /** A comment people added on a case in TheHive was threaded under its alert. */
  | 'ConversationCopiedToSlack';

/** Durations, in milliseconds, one sample per call (retries included). */
export type LatencyMetric = 'SlackCallLatency' | 'TheHiveCallLatency';

/** Where a finding came from; `unknown` for input rejected or skipped before its source was known. */
export type MetricSource = FindingSource | 'unknown';

/** The port use cases and clients record through. */
export interface Metrics {
  /** Counts one event; findings metrics name their source (a CloudWatch dimension). */
  count(name: CountMetric, source?: MetricSource): void;
  /** Records how long one call took. */
  latency(name: LatencyMetric, ms: number): void;
}

/** One metric with its dimension: what was recorded since the tally was last taken. */
export interface MetricEntry {
  name: CountMetric | LatencyMetric;
  unit: 'Count' | 'Milliseconds';
  source?: MetricSource;
  /** Events or calls. */
  count: number;
  /** Sum of the values: the events for a count, milliseconds for a latency. */
  sum: number;
  /** Largest single value (latencies). */
  max: number;
  /** The latency samples, newest last, at most `SAMPLE_LIMIT` (CloudWatch computes percentiles from them). */
  samples: number[];
}

/**
 * Latency samples kept per metric between two takes: Lambda takes them every invocation; the local
 * server never does, so its memory stays bounded by dropping the oldest.
 */
const SAMPLE_LIMIT = 1_000;

/**
 * Metrics held in memory: the local server's figures, and the buffer Lambda publishes from.
 *
 * @example
 *   const metrics = new MetricsTally();
 *   metrics.count('FindingsPosted', 'guardduty');
 *   metrics.entries(); // [{ name: 'FindingsPosted', source: 'guardduty', count: 1, sum: 1, … }]
 */
export class MetricsTally implements Metrics {
  private readonly recorded = new Map<string, MetricEntry>();

  count(name: CountMetric, source?: MetricSource): void {
    const entry = this.entry(name, 'Count', source);
    entry.count += 1;
    entry.sum += 1;
    entry.max = Math.max(entry.max, 1);
  }

  latency(name: LatencyMetric, ms: number): void {
    const entry = this.entry(name, 'Milliseconds');
    entry.count += 1;
    entry.sum += ms;
    entry.max = Math.max(entry.max, ms);
    entry.samples.push(ms);
    if (entry.samples.length > SAMPLE_LIMIT) entry.samples.shift();
  }

  /** What was recorded, sorted by name then source. */
  entries(): MetricEntry[] {
    return [...this.recorded.values()]
      .map((entry) => ({ ...entry, samples: [...entry.samples] }))
      .sort((a, b) => a.name.localeCompare(b.name) || (a.source ?? '').localeCompare(b.source ?? ''));
  }

  /** What was recorded, forgotten here: one Lambda invocation's metrics. */
  take(): MetricEntry[] {
    const taken = this.entries();
    this.recorded.clear();
    return taken;
  }

  private entry(name: MetricEntry['name'], unit: MetricEntry['unit'], source?: MetricSource): MetricEntry {
    const key = `${name}\u0000${source ?? ''}`;
    let entry = this.recorded.get(key);
    if (!entry) {
      entry = { name, unit, ...(source ? { source } : {}), count: 0, sum: 0, max: 0, samples: [] };
      this.recorded.set(key, entry);
    }
    return entry;
  }
}

/** One line of `GET /metrics`: a count, or a latency summary. */
export type MetricReportLine =
  | { name: CountMetric; source?: MetricSource; unit: 'Count'; value: number }
  | { name: LatencyMetric; unit: 'Milliseconds'; calls: number; averageMs: number; maxMs: number };

/**
 * The local server's metrics as `GET /metrics` answers them: the CloudWatch names, counts since the
 * process started, latencies summarised.
 */
export function metricsReport(tally: MetricsTally): { namespace: string; metrics: MetricReportLine[] } {
  return {
    namespace: METRICS_NAMESPACE,
    metrics: tally.entries().map((entry): MetricReportLine =>
      entry.unit === 'Count'
        ? {
            name: entry.name as CountMetric,
            ...(entry.source ? { source: entry.source } : {}),
            unit: 'Count',
            value: entry.sum,
          }
        : {
            name: entry.name as LatencyMetric,
            unit: 'Milliseconds',
            calls: entry.count,
            averageMs: Math.round(entry.sum / entry.count),
            maxMs: entry.max,
          },
    ),
  };
}

/**
 * Counts the entries of an event that are not findings: skipped on purpose (not a finding event) or
 * rejected as malformed. Their source is not known.
 */
export function countUnparsed(metrics: Metrics, parsed: { skipped: unknown[]; rejected: unknown[] }): void {
  parsed.skipped.forEach(() => metrics.count('FindingsSkipped', 'unknown'));
  parsed.rejected.forEach(() => metrics.count('FindingsRejected', 'unknown'));
}

/** Told of each finished call to an outside system: how long it took, whether it failed for good. */
export type CallObserver = (call: { durationMs: number; failed: boolean }) => void;

/**
 * The observer a client is given: each call is a latency sample, each failure a count.
 *
 * @example
 *   new TheHiveClient({ …, observe: callMetrics(metrics, 'TheHiveCallLatency', 'TheHiveCallFailures') });
 */
export function callMetrics(metrics: Metrics, latency: LatencyMetric, failures: CountMetric): CallObserver {
  return ({ durationMs, failed }) => {
    metrics.latency(latency, Math.round(durationMs));
    if (failed) metrics.count(failures);
  };
}

/**
 * The store as the composition roots hand it out: every dead letter it keeps is counted
 * (`DeadLettersWritten`, the metric the dead-letter alarm watches), whoever writes it.
 */
export function countingDeadLetters<S extends Pick<Store, 'putDeadLetter'>>(store: S, metrics: Metrics): S {
  const putDeadLetter: Store['putDeadLetter'] = async (letter) => {
    const kept = await store.putDeadLetter(letter);
    metrics.count('DeadLettersWritten');
    return kept;
  };
  // The store's own methods are reached through the prototype, so only this one is replaced; an own,
  // writable property (not a Proxy) lets a test spy on it like on any method.
  return Object.create(store, {
    putDeadLetter: { value: putDeadLetter, writable: true, configurable: true, enumerable: true },
  }) as S;
}
