/**
 * Everything a use case needs from the outside world, built once per process (Lambda container,
 * local server, test) and passed in. Use cases never build clients themselves.
 */
import type { TheHiveClient } from '../../clients/thehive/client';
import type { SecurityHubClient } from '../../clients/securityhub/client';
import type { ChatRegistry } from '../chat/port';
import type { Config } from '../config/config';
import type { AccountDirectory } from '../enrich/directory';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Queue } from '../queue/jobs';
import type { SlackDelivery } from '../slack/delivery';
import type { Store } from '../store/store';
import type { SlackUserDirectory } from '../slack/users';
import type { AbuseIpDbClient } from '../../clients/intel/abuseipdb';
import type { RdapClient } from '../../clients/intel/rdap';
import type { UrlhausClient } from '../../clients/intel/urlhaus';
import type { VirusTotalClient } from '../../clients/intel/virustotal';
import type { LambdaInvoker } from '../../clients/aws-actions/lambda';
import type { AutomationStarter } from '../../clients/aws-actions/ssm';
import type { QueueMessageSender } from '../../clients/aws-actions/sqs';
import type { DelayedJobs } from '../queue/delayed-jobs';

export interface Deps {
  config: Config;
  store: Store;
  queue: Queue;
  slack: SlackDelivery;
  /** The chat platforms' adapters (src/chat/port.ts): what use cases post, edit and reply through. */
  chats: ChatRegistry;
  theHive: TheHiveClient;
  securityHub: Pick<SecurityHubClient, 'markNotified' | 'setWorkflow'>;
  directory: AccountDirectory;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
  /**
   * Who takes leases in the store (the claim to post an alert). Locally one process holds the store, so
   * a lease another process took was left by one that stopped: `alone` lets this one take it over at
   * once. Without it (AWS: other containers may be mid-post) a lease holds until it lapses.
   */
  leases?: { holder: string; alone: boolean };
}

/** What Slack's listeners need in the request path (3 seconds to acknowledge): no slow client. */
/**
 * What the ingest function's use case needs: no TheHive and no Security Hub (it only posts and stores), so
 * its composition root (src/aws/ingest-deps.ts) builds neither and its bundle loads neither SDK.
 */
export type IngestDeps = Omit<Deps, 'theHive' | 'securityHub'>;

export type SlackAppDeps = Pick<Deps, 'store' | 'queue' | 'now' | 'logger' | 'config' | 'metrics'>;

/** What the worker's jobs need besides `Deps`: Slack's user directory (case assignees, triage DMs). */
export type WorkerDeps = Deps & { users: SlackUserDirectory };

/** The services a lookup may ask; RDAP needs no key, the others only run when theirs is configured. */
export interface IntelSources {
  rdap?: RdapClient;
  virusTotal?: VirusTotalClient;
  abuseIpDb?: AbuseIpDbClient;
  urlhaus?: UrlhausClient;
}

/** The outside systems only the analyst jobs talk to: threat intel, response actions' AWS APIs, SIEM answers, delayed jobs. */
export interface AnalystClients {
  intel: IntelSources;
  lambda: Pick<LambdaInvoker, 'invoke'>;
  automation: Pick<AutomationStarter, 'start'>;
  queueMessages: Pick<QueueMessageSender, 'send'>;
  delayedJobs: DelayedJobs;
}

export type AnalystWorkerDeps = WorkerDeps & AnalystClients;
