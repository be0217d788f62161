/**
 * Optional AWS X-Ray tracing through Powertools Tracer, off unless the stack was deployed with
 * `--param="tracing=true"` (serverless.yml then sets `POWERTOOLS_TRACE_DISABLED=false` and Lambda's
 * active tracing). When on, every outgoing HTTP(S) call — Slack, TheHive, the AWS SDK's — becomes a
 * subsegment of the invocation's trace. When off, the tracer and the X-Ray SDK are never loaded.
 */
import { perContainer } from './per-container';

/** Whether this function was deployed with tracing on. */
export function tracingEnabled(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.POWERTOOLS_TRACE_DISABLED === 'false';
}

/**
 * Starts the tracer once per container when tracing is on (it patches Node's http and https modules
 * and fetch); resolves to it, or to undefined when tracing is off.
 */
export const startTracing = perContainer(async () => {
  if (!tracingEnabled()) return undefined;
  const { Tracer } = await import('@aws-lambda-powertools/tracer');
  return new Tracer({ captureHTTPsRequests: true });
});
