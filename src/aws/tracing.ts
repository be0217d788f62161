/**
 * Optional AWS X-Ray tracing through Powertools Tracer, off unless the stack was deployed with
 * `--param="tracing=true"` (serverless.yml then sets `POWERTOOLS_TRACE_DISABLED=false` and Lambda's
 * active tracing). When on, every outgoing HTTP(S) call — Slack, TheHive, the AWS SDK's — becomes a
 * subsegment of the invocation's trace. When off, the tracer and the X-Ray SDK are never loaded.
 */
import { perContainer } from './per-container';

/** Whether this function was deployed with tracing on. */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  return env.POWERTOOLS_TRACE_DISABLED === 'false';
}

/**
 * What starts the tracer once per container when the function's environment (handed by the AWS
 * composition root) has tracing on: it patches Node's http and https modules and fetch, and resolves
 * to the tracer, or to undefined when tracing is off.
 */
export function tracingStarter(env: NodeJS.ProcessEnv) {
  return perContainer(async () => {
    if (!tracingEnabled(env)) return undefined;
    const { Tracer } = await import('@aws-lambda-powertools/tracer');
    return new Tracer({ captureHTTPsRequests: true });
  });
}
