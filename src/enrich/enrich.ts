/**
 * Enrichment (who a finding belongs to) and routing (where its alert goes and how its case looks).
 */
import type { Config, ConfigFile } from '../config/config';
import { SEVERITIES, type Finding, type NormalisedFinding, type Severity } from '../domain/finding';
import { customerSettings } from './tenancy';
import { configuredOwner, type AccountDirectory, type AccountOwner } from './directory';

function withOwner(finding: NormalisedFinding, owner: AccountOwner): Finding {
  const enriched: Finding = { ...finding, customer: owner.customer };
  if (owner.accountName !== undefined) enriched.accountName = owner.accountName;
  return enriched;
}

/** Adds the customer and account name, asking the directory (config, then AWS Organizations). */
export async function enrichFinding(
  finding: NormalisedFinding,
  directory: Pick<AccountDirectory, 'lookup'>,
): Promise<Finding> {
  return withOwner(finding, await directory.lookup(finding.accountId));
}

/** Adds the customer and account name from the config file alone (no network: the offline CLI). */
export function enrichFromConfig(finding: NormalisedFinding, configFile: ConfigFile): Finding {
  return withOwner(finding, configuredOwner(configFile, finding.accountId));
}

/** Where a finding's alert goes and how its TheHive case is marked. */
export interface Route {
  channel: string;
  tlp: number;
  pap: number;
  caseTemplate?: string;
  /** Findings below this severity are not posted. */
  severityThreshold: Severity;
}

export interface RouteOptions {
  /**
   * The threshold set at runtime with `/hivewire threshold` (kept in the store). It replaces the
   * configured global threshold; a customer's own threshold in the config file still wins.
   */
  thresholdOverride?: Severity | null;
  /** The threshold set with `/hivewire threshold` in the customer's own workspace: it wins over all. */
  customerThreshold?: Severity | null;
}

function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/**
 * Routes a finding by its customer, the only field it reads (a stored finding snapshot will do): the
 * customer's settings override `defaults`. The channel falls back to `config.slack.alertChannel` and
 * the threshold to `config.severityThreshold`, both of which already hold the environment's value
 * (`SLACK_ALERT_CHANNEL`, `SEVERITY_THRESHOLD`) or the `defaults` one.
 *
 * @example
 *   routeFor(finding, config, { thresholdOverride: await store.getSetting(THRESHOLD_SETTING) });
 *   // { channel: 'C0ACME', tlp: 2, pap: 2, caseTemplate: 'AWS finding', severityThreshold: 'MEDIUM' }
 */
export function routeFor(
  finding: Pick<Finding, 'customer'> & Partial<Finding>,
  config: Config,
  options: RouteOptions = {},
): Route {
  const { defaults } = config.file;
  const customer = customerSettings(config, finding.customer);
  const override = isSeverity(options.thresholdOverride) ? options.thresholdOverride : undefined;
  const route: Route = {
    channel: customer?.slack?.channel ?? customer?.channel ?? config.slack.alertChannel,
    tlp: customer?.tlp ?? defaults.tlp,
    pap: customer?.pap ?? defaults.pap,
    severityThreshold:
      (isSeverity(options.customerThreshold) ? options.customerThreshold : undefined) ??
      customer?.severityThreshold ??
      override ??
      config.severityThreshold,
  };
  const caseTemplate = customer?.caseTemplate ?? defaults.caseTemplate;
  if (caseTemplate !== undefined) route.caseTemplate = caseTemplate;
  return route;
}
