/**
 * Metrics in AWS: what an invocation recorded (src/metrics.ts) is written to stdout at its end as
 * CloudWatch Embedded Metric Format by Powertools Metrics; CloudWatch Logs turns those lines into
 * metrics in the `Hivewire` namespace, dimension `service` (and `source` for findings), with no API
 * call and no permission needed.
 */
import { Metrics as EmfWriter, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, MetricsTally, type MetricEntry } from '../metrics';
import { startTracing } from './tracing';

/** The container's metrics: every use case of the function records here. */
export const metrics = new MetricsTally();

let writer: EmfWriter | undefined;

/** The EMF writer, built at the first flush (it reads its namespace and service from the environment). */
function emfWriter(): EmfWriter {
  writer ??= new EmfWriter({ namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE });
  return writer;
}

/**
 * Writes what `tally` holds as EMF lines, one per dimension set (findings by source, the rest with the
 * service alone), and empties it.
 */
export function publishMetrics(tally: MetricsTally = metrics, emf: EmfWriter = emfWriter()): void {
  const bySource = new Map<string, MetricEntry[]>();
  for (const entry of tally.take()) {
    const group = bySource.get(entry.source ?? '') ?? [];
    group.push(entry);
    bySource.set(entry.source ?? '', group);
  }
  for (const [source, entries] of bySource) {
    if (source) emf.addDimension('source', source);
    for (const entry of entries) {
      if (entry.unit === 'Count') emf.addMetric(entry.name, MetricUnit.Count, entry.sum);
      // One value per call, so CloudWatch can give percentiles, not only an average.
      else for (const sample of entry.samples) emf.addMetric(entry.name, MetricUnit.Milliseconds, sample);
    }
    emf.publishStoredMetrics();
  }
}

/**
 * A Lambda handler as every Hivewire function runs it: traced when the stack has tracing on
 * (src/aws/tracing.ts), and with its invocation's metrics written when it ends, whether it answers or
 * throws (a failed invocation's counts matter most).
 *
 * @example
 *   export const handler = observed(async (event: SQSEvent, context: Context) => …);
 */
export function observed<E, C, R>(
  handler: (event: E, context: C) => Promise<R>,
): (event: E, context: C) => Promise<R> {
  return async (event, context) => {
    try {
      await startTracing();
      return await handler(event, context);
    } finally {
      publishMetrics();
    }
  };
}
