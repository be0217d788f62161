/**
 * Whether a finding with no alert yet is posted, and where: one decision for the worker's ingest and
 * for `POST /ingest`, which answers it at once so that a sender sees a finding skipped below the
 * threshold instead of a fingerprint that never shows up.
 */
import { thresholdOverride } from './threshold';
import type { Deps } from '../wiring/deps';
import { routeFor, type Route } from '../enrich/enrich';
import { workspaceOf } from '../enrich/tenancy';
import { isAtLeast, type Finding, type Severity } from '../domain/finding';

export interface Admission {
  route: Route;
  /** False when the finding's severity is below `route.severityThreshold`. */
  posted: boolean;
}

/**
 * The route of a new finding and whether it reaches the threshold in force for it: the one set with
 * `/hivewire threshold` in the customer's own workspace, else the customer's configured one, else the one set with `/hivewire threshold` (kept in the store, read through its short cache), else
 * `SEVERITY_THRESHOLD`.
 *
 * @example
 *   const { route, posted } = await admitNewFinding(finding, deps); // posted: false for LOW under MEDIUM
 */
export async function admitNewFinding(
  finding: Pick<Finding, 'customer' | 'severity'>,
  deps: Pick<Deps, 'config' | 'store' | 'now'>,
): Promise<Admission> {
  // Only a customer with a workspace of its own can have set a threshold there: no read for the others.
  const customerThreshold = workspaceOf(deps.config, finding.customer)
    ? await thresholdOverride(deps, finding.customer)
    : undefined;
  const route = routeFor(finding, deps.config, {
    thresholdOverride: await thresholdOverride(deps),
    customerThreshold,
  });
  return { route, posted: isAtLeast(finding.severity, route.severityThreshold) };
}

/** What `POST /ingest` says of a finding below the threshold. */
export function belowThresholdReason(severity: Severity, threshold: Severity): string {
  return `severity ${severity} is below the severity threshold ${threshold}: no alert is posted`;
}
