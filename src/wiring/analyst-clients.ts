/**
 * The outside systems only the analyst features talk to (threat intel, the AWS APIs of response
 * actions and SIEM answers, delayed jobs), built by the composition roots (the local one, and the AWS
 * worker's builder) from the environment they read, and added to the worker's dependencies: the shared
 * `Deps` of the other functions stay without them. Their AWS SDK clients are built at the first call.
 */
import { LambdaInvoker } from '../../clients/aws-actions/lambda';
import { AutomationStarter } from '../../clients/aws-actions/ssm';
import { QueueMessageSender } from '../../clients/aws-actions/sqs';
import type { AnalystClients, Deps } from './deps';
import { LocalDelayedJobs, SqsDelayedJobs } from '../queue/delayed-jobs';
import { intelSourcesFromEnv } from '../lookups/lookup';

/**
 * The analyst clients for these dependencies. Intel keys come from `VIRUSTOTAL_API_KEY`,
 * `ABUSEIPDB_API_KEY` and `URLHAUS_API_KEY`; delayed jobs go through SQS when `JOBS_QUEUE_URL` is set
 * (AWS), through the local queue (kept in the store until due) otherwise.
 */
export function analystClients(
  deps: Pick<Deps, 'queue' | 'now' | 'logger'>,
  env: NodeJS.ProcessEnv,
): AnalystClients {
  // The function's own region (`AWS_REGION`, set by Lambda) for names given without one.
  const region = env.AWS_REGION;
  const queueMessages = new QueueMessageSender(region);
  const jobsQueueUrl = env.JOBS_QUEUE_URL;
  return {
    intel: intelSourcesFromEnv(env),
    lambda: new LambdaInvoker(region),
    automation: new AutomationStarter(region),
    queueMessages,
    delayedJobs: jobsQueueUrl
      ? new SqsDelayedJobs(queueMessages, jobsQueueUrl, deps.now)
      : new LocalDelayedJobs(deps.queue, deps.now),
  };
}

/** The dependencies with the analyst clients added. */
export function withAnalystClients<D extends Pick<Deps, 'queue' | 'now' | 'logger'>>(
  deps: D,
  env: NodeJS.ProcessEnv,
): D & AnalystClients {
  return { ...deps, ...analystClients(deps, env) };
}
