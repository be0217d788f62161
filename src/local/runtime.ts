/**
 * The local composition root: one process holding the embedded store, the in-process queue (its jobs
 * kept in that store until done) and worker, and the clients — configured for the real Slack and TheHive, or for the sandbox stand-ins.
 */
import { randomUUID } from 'node:crypto';
import { WebClient } from '@slack/web-api';
import { SecurityHubClient } from '../../clients/securityhub/client';
import { TheHiveClient } from '../../clients/thehive/client';
import type { Config } from '../config/config';
import type { AnalystClients, AnalystWorkerDeps } from '../wiring/deps';
import { analystClients } from '../wiring/analyst-clients';
import { AccountDirectory } from '../enrich/directory';
import { OrganizationsAccounts } from '../enrich/organizations';
import { createLogger } from '../observability/logger';
import { callMetrics, countingDeadLetters, MetricsTally } from '../observability/metrics';
import { InProcessQueue } from '../queue/in-process';
import { SlackDelivery, workerClientOptions } from '../slack/delivery';
import { tokensOfCustomerWorkspaces } from '../slack/installations';
import { SlackUserDirectory } from '../slack/users';
import { startEmbeddedStore } from '../store/embedded';
import type { Store } from '../store/store';
import { chatRegistry } from '../wiring/chats';
import { createTeamsChat } from '../chat/teams/adapter';
import { createJobHandler, keepFailedJob } from '../worker/worker';
import type { TeamsSettings } from '../chat/teams/bot';
import { teamsSettings } from '../chat/teams/settings';

/** Attempts per job before it is final (dead-lettered and reported). */
export const JOB_MAX_ATTEMPTS = 5;

export interface LocalRuntime {
  deps: AnalystWorkerDeps;
  /** Teams' settings (`TEAMS_APP_ID`…, or the sandbox's stand-in), undefined when Teams is off. */
  teams: TeamsSettings | undefined;
  /** The counts and timings `GET /metrics` serves. */
  metrics: MetricsTally;
  queue: InProcessQueue;
  storeEndpoint: string;
  close(): Promise<void>;
}

/**
 * Security Hub in the sandbox: there is no AWS account, so the update Hivewire would make is written
 * to the log (and, by the use cases, to the audit trail) instead of being sent.
 */
class SandboxSecurityHub {
  constructor(private readonly log: ReturnType<typeof createLogger>) {}
  async markNotified(ref: { id: string }, note: string): Promise<void> {
    this.log.info('sandbox: Security Hub workflow NOTIFIED', { findingId: ref.id, note });
  }
  async setWorkflow(ref: { id: string }, status: string, note: string): Promise<void> {
    this.log.info(`sandbox: Security Hub workflow ${status}`, { findingId: ref.id, note });
  }
}

export interface LocalRuntimeOptions {
  /** Use an existing store (tests) instead of the embedded one under `config.dataDir`. */
  store?: Store;
  /** Minimum time between two posts to one Slack channel (tests pass 0). */
  slackPostIntervalMs?: number;
  now?: () => Date;
  backoffMs?: (attempt: number) => number;
}

/** Builds everything one local process needs. */
export async function createLocalRuntime(
  config: Config,
  options: LocalRuntimeOptions = {},
): Promise<LocalRuntime> {
  const logger = createLogger();
  const embedded = options.store ? undefined : await startEmbeddedStore({ dataDir: config.dataDir });
  const metrics = new MetricsTally();
  const store = countingDeadLetters(options.store ?? embedded!.store, metrics);
  const teams = teamsSettings(process.env, config);
  const webClient = new WebClient(config.slack.botToken, workerClientOptions(config.slack.apiUrl));
  // One token cache for the worker's posts and its user look-ups in customers' workspaces.
  const workspaceTokens = tokensOfCustomerWorkspaces(config, store);
  const organizations =
    !config.sandbox && process.env.HIVEWIRE_ORGANIZATIONS_LOOKUP === 'true'
      ? new OrganizationsAccounts()
      : undefined;

  const slack = new SlackDelivery(webClient, options.slackPostIntervalMs ?? 1_000, {
    observe: callMetrics(metrics, 'SlackCallLatency', 'SlackCallFailures'),
    tokenFor: workspaceTokens,
  });
  const users = new SlackUserDirectory(webClient, undefined, undefined, workspaceTokens);
  const deps = {
    config,
    store,
    slack,
    users,
    chats: chatRegistry(config, slack, users, teams && createTeamsChat(teams, { config, store, logger })),
    theHive: new TheHiveClient({
      baseUrl: config.theHive.url,
      apiKey: config.theHive.apiKey,
      organisation: config.theHive.organisation,
      logger,
      observe: callMetrics(metrics, 'TheHiveCallLatency', 'TheHiveCallFailures'),
    }),
    securityHub: config.sandbox ? new SandboxSecurityHub(logger) : new SecurityHubClient(),
    directory: new AccountDirectory({ config: config.file, organizations }),
    logger,
    metrics,
    now: options.now ?? (() => new Date()),
    // The embedded store's lock makes this process its only user; a store passed in (tests) may be shared.
    leases: { holder: randomUUID(), alone: embedded !== undefined },
  } as Omit<AnalystWorkerDeps, 'queue' | keyof AnalystClients> as AnalystWorkerDeps;

  const queue = new InProcessQueue({
    handler: createJobHandler(deps, JOB_MAX_ATTEMPTS),
    store,
    maxAttempts: JOB_MAX_ATTEMPTS,
    backoff: options.backoffMs,
    onDeadLetter: (job, error) => keepFailedJob(job, error, deps),
  });
  deps.queue = queue;
  // Delayed jobs (triage timeouts) go through this queue, so the analyst clients are built once it exists.
  Object.assign(deps, analystClients(deps, process.env));

  return {
    deps,
    teams,
    metrics,
    queue,
    storeEndpoint: embedded?.endpoint ?? '',
    async close() {
      await queue.drain();
      queue.close();
      await embedded?.close();
    },
  };
}
