/**
 * Whether a TheHive notification may touch an alert: it names the organisation it comes from, and only
 * the alert's customer's own organisation may change its case or thread a comment into its channel
 * (enrich/tenancy.ts). A refusal is logged and audited on the alert, and nothing else happens.
 */
import type { WorkerDeps } from '../wiring/deps';
import type { AlertRecord } from '../domain/alert';
import { organisationMayActOn } from '../enrich/tenancy';

/** True when `notification` comes from the organisation of `alert`'s customer; else audits the refusal. */
export async function fromAlertsOrganisation(
  alert: AlertRecord,
  notification: { caseId: string; organisation?: string; actor: string },
  deps: Pick<WorkerDeps, 'config' | 'store' | 'logger'>,
): Promise<boolean> {
  if (organisationMayActOn(deps.config, alert.finding.customer, notification.organisation)) return true;
  deps.logger.warn('case notification from another organisation refused', {
    caseId: notification.caseId,
    organisation: notification.organisation,
  });
  await deps.store.appendAudit({
    fingerprint: alert.fingerprint,
    caseId: notification.caseId,
    actor: { kind: 'thehive', id: notification.actor },
    action: 'refused-other-organisation',
    details: { organisation: notification.organisation ?? null },
  });
  return false;
}
