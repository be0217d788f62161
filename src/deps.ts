/**
 * Everything a use case needs from the outside world, built once per process (Lambda container,
 * local server, test) and passed in. Use cases never build clients themselves.
 */
import type { TheHiveClient } from '../clients/thehive/client';
import type { SecurityHubClient } from '../clients/securityhub/client';
import type { Config } from './config';
import type { AccountDirectory } from './enrich/directory';
import type { Logger } from './logger';
import type { Metrics } from './metrics';
import type { Queue } from './queue/jobs';
import type { SlackDelivery } from './slack/delivery';
import type { Store } from './store/store';

export interface Deps {
  config: Config;
  store: Store;
  queue: Queue;
  slack: SlackDelivery;
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
