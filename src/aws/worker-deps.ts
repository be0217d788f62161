/**
 * The clients of the functions that do the slow work (worker, ingest) in AWS: everything a use case
 * needs on top of the shared dependencies, built from the configuration and the environment the AWS
 * composition root (src/aws/runtime.ts) hands in. Only those functions load this module.
 */
import { WebClient } from '@slack/web-api';
import { SecurityHubClient } from '../../clients/securityhub/client';
import { TheHiveClient } from '../../clients/thehive/client';
import type { WorkerDeps } from '../wiring/deps';
import { withAnalystClients } from '../wiring/analyst-clients';
import { AccountDirectory } from '../enrich/directory';
import { OrganizationsAccounts } from '../enrich/organizations';
import { currentDeadline } from '../queue/budget';
import type { JobHandler } from '../queue/jobs';
import { callMetrics } from '../observability/metrics';
import { tokensOfCustomerWorkspaces } from '../slack/installations';
import { SlackDelivery, workerClientOptions } from '../slack/delivery';
import { SlackUserDirectory } from '../slack/users';
import { chatRegistry } from '../wiring/chats';
import { createTeamsChat } from '../chat/teams/adapter';
import { teamsSettings } from '../chat/teams/settings';
import { createJobHandler } from '../worker/worker';
import { maxAttemptsFrom } from './config';
import type { EdgeDeps } from './runtime';
import { INTEL_KEY_PARAMETERS, resolveSecrets, type SecretSource } from './secrets';

export interface AwsRuntime {
  deps: WorkerDeps;
  /** Runs one job; its last attempt is `maxAttempts`, the queues' maxReceiveCount. */
  jobHandler: JobHandler;
  maxAttempts: number;
}

/** Builds the worker's dependencies on top of the shared ones. */
export function createAwsRuntime(edge: EdgeDeps, env: NodeJS.ProcessEnv): AwsRuntime {
  const { config } = edge;
  // Every Slack and TheHive call stops at the deadline of the record it runs for (queue/budget.ts).
  const webClient = new WebClient(
    config.slack.botToken,
    workerClientOptions(config.slack.apiUrl, currentDeadline),
  );
  // One token cache for the worker's posts and its user look-ups in customers' workspaces.
  const workspaceTokens = tokensOfCustomerWorkspaces(config, edge.store);
  const organizations =
    env.HIVEWIRE_ORGANIZATIONS_LOOKUP === 'true' ? new OrganizationsAccounts() : undefined;
  // One container handles one batch at a time, so pacing per container is pacing per poller.
  const slack = new SlackDelivery(webClient, 1_000, {
    deadline: currentDeadline,
    observe: callMetrics(edge.metrics, 'SlackCallLatency', 'SlackCallFailures'),
    tokenFor: workspaceTokens,
  });
  const users = new SlackUserDirectory(webClient, undefined, undefined, workspaceTokens);
  // Teams when the stage has a teamsAppId (its password read into `env` with the threat-intel keys).
  const teams = teamsSettings(env, config);
  const deps: WorkerDeps = {
    ...edge,
    slack,
    users,
    chats: chatRegistry(
      config,
      slack,
      users,
      teams && createTeamsChat(teams, { config, store: edge.store, logger: edge.logger }),
    ),
    theHive: new TheHiveClient({
      baseUrl: config.theHive.url,
      apiKey: config.theHive.apiKey,
      organisation: config.theHive.organisation,
      logger: edge.logger,
      deadline: currentDeadline,
      observe: callMetrics(edge.metrics, 'TheHiveCallLatency', 'TheHiveCallFailures'),
    }),
    securityHub: new SecurityHubClient(),
    directory: new AccountDirectory({ config: config.file, organizations, logger: edge.logger }),
  };
  const maxAttempts = maxAttemptsFrom(config);
  return { deps, jobHandler: createJobHandler(withAnalystClients(deps, env), maxAttempts), maxAttempts };
}

/**
 * Puts the threat-intel keys this function was given (`*_API_KEY_PARAM`) into `env`, where the
 * worker's lookups read them; a key without a parameter leaves its source off.
 */
export async function resolveIntelKeys(env: NodeJS.ProcessEnv, secrets: SecretSource): Promise<void> {
  Object.assign(env, await resolveSecrets(env, secrets, INTEL_KEY_PARAMETERS));
}
