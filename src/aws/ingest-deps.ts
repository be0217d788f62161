/**
 * The ingest function's clients: what turning findings into alerts needs (the shared edge
 * dependencies, Slack delivery, the account directory), and nothing of the worker's. So the function
 * neither builds nor loads the TheHive client (axios), the Security Hub, Lambda or SSM Automation
 * clients, or the worker's job handlers. The Organizations client is loaded only when account names are
 * looked up there (`HIVEWIRE_ORGANIZATIONS_LOOKUP=true`).
 */
import { WebClient } from '@slack/web-api';
import type { IngestDeps } from '../wiring/deps';
import { AccountDirectory } from '../enrich/directory';
import { callMetrics } from '../observability/metrics';
import { currentDeadline } from '../queue/budget';
import { tokensOfCustomerWorkspaces } from '../slack/installations';
import { SlackDelivery, workerClientOptions } from '../slack/delivery';
import { SlackUserDirectory } from '../slack/users';
import { chatRegistry } from '../wiring/chats';
import { maxAttemptsFrom } from './config';
import type { EdgeDeps } from './runtime';

export interface IngestRuntime {
  deps: IngestDeps;
  /** The receive on which a findings event fails for good (the queue's maxReceiveCount). */
  maxAttempts: number;
}

/**
 * Builds the ingest function's dependencies on top of the shared ones, from the configuration and the
 * environment the AWS composition root (src/aws/runtime.ts `workerRuntime`) hands in.
 */
export async function createIngestRuntime(edge: EdgeDeps, env: NodeJS.ProcessEnv): Promise<IngestRuntime> {
  const { config } = edge;
  const organizations =
    env.HIVEWIRE_ORGANIZATIONS_LOOKUP === 'true'
      ? new (await import('../enrich/organizations')).OrganizationsAccounts()
      : undefined;
  const webClient = new WebClient(
    config.slack.botToken,
    workerClientOptions(config.slack.apiUrl, currentDeadline),
  );
  // Every Slack call stops at the deadline of the record it runs for (queue/budget.ts). One container
  // handles one batch at a time, so pacing per container is pacing per poller.
  const slack = new SlackDelivery(webClient, 1_000, {
    deadline: currentDeadline,
    observe: callMetrics(edge.metrics, 'SlackCallLatency', 'SlackCallFailures'),
    tokenFor: tokensOfCustomerWorkspaces(config, edge.store),
  });
  const deps: IngestDeps = {
    ...edge,
    slack,
    chats: chatRegistry(config, slack, new SlackUserDirectory(webClient)),
    directory: new AccountDirectory({ config: config.file, organizations, logger: edge.logger }),
  };
  return { deps, maxAttempts: maxAttemptsFrom(config) };
}
