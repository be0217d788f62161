/**
 * Metrics in AWS: what an invocation recorded (src/observability/metrics.ts) is written to stdout at its end as
 * CloudWatch Embedded Metric Format by Powertools Metrics; CloudWatch Logs turns those lines into
 * metrics in the `Hivewire` namespace, dimension `service` (and `source` for findings), with no API
 * call and no permission needed.
 */
import { Metrics as EmfWriter, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, MetricsTally, type MetricEntry } from '../observability/metrics';
import { tracingStarter } from './tracing';

/** The container's metrics: every use case of the function records here. */
export const metrics = new MetricsTally();

/**
 * The EMF writer of a function whose environment is `env` (its namespace from
 * POWERTOOLS_METRICS_NAMESPACE; Powertools reads the service name and the off switch itself).
 */
export function emfWriter(env: NodeJS.ProcessEnv): EmfWriter {
  return new EmfWriter({ namespace: env.POWERTOOLS_METRICS_NAMESPACE || METRICS_NAMESPACE });
}

/**
 * Writes what `tally` holds as EMF lines, one per dimension set (findings by source, the rest with the
 * service alone), and empties it.
 */
export function publishMetrics(tally: MetricsTally, emf: EmfWriter): void {
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

/** A Lambda handler wrapped as every Hivewire function runs it (see `observer`). */
export type Observed = <E, C, R>(
  handler: (event: E, context: C) => Promise<R>,
) => (event: E, context: C) => Promise<R>;

/**
 * How every Hivewire function runs its Lambda handler, for a function whose environment is `env`
 * (the AWS composition root hands it: src/aws/runtime.ts exports `observed`): traced when the stack has
 * tracing on (src/aws/tracing.ts), and with the container's metrics written when an invocation ends,
 * whether it answers or throws (a failed invocation's counts matter most). The EMF writer is built at
 * the first flush.
 *
 * @example
 *   export const handler = observed(async (event: SQSEvent, context: Context) => …);
 */
export function observer(env: NodeJS.ProcessEnv): Observed {
  const startTracing = tracingStarter(env);
  let writer: EmfWriter | undefined;
  return (handler) => async (event, context) => {
    try {
      await startTracing();
      return await handler(event, context);
    } finally {
      publishMetrics(metrics, (writer ??= emfWriter(env)));
    }
  };
}
