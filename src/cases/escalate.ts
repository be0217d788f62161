/**
 * Escalation ("Create Case"), the worker's part. The click records the intent with a conditional write
 * and queues a job (request-escalation.ts); the worker creates a TheHive alert with the observables
 * inline and promotes it to a case.
 *
 * Exactly one case per alert: concurrent clicks lose the conditional write (open → escalating); a worker
 * retried after TheHive answered finds its alert again, because TheHive rejects a second alert with the
 * same type/source/sourceRef, and reuses (or finishes) its promotion.
 */
import { caseOpenedOnOtherPlatforms, replyEverywhere, updateEverywhere } from '../alerts/platforms';
import { slackRoot } from '../alerts/roots';
import { withCurrentLinks } from '../alerts/links';
import { isDuplicateAlert, TheHiveError } from '../../clients/thehive/client';
import type { Deps, WorkerDeps } from '../wiring/deps';
import { routeFor } from '../enrich/enrich';
import { organisationOf, theHiveFor } from '../enrich/tenancy';
import type { JobOf } from '../queue/jobs';
import { updateAlert } from '../store/store';
import type { AlertRecord } from '../domain/alert';
import type { NotePerson } from '../domain/notes';
import { snapshotOfCase } from './case-change';
import { summariseEarlierMessages } from './conversation';
import { promotionFor, theHiveAlertFor } from './case-content';
import { errorMessage } from '../observability/logger';

/**
 * The person who clicked, as the thread notes name them: their id on the platform they clicked on and
 * their name, which the other platforms show instead of an id that means nothing there.
 */
function clicker(job: JobOf<'create-case'>): NotePerson {
  return {
    person: job.userId,
    ...(job.userName ? { personName: job.userName } : {}),
    personPlatform: job.platform ?? 'slack',
  };
}

/**
 * Who the case-opened reply names: the person the alert records as escalating it, known by the job
 * when the job is theirs (another click may have taken an abandoned escalation over).
 */
function escalator(alert: AlertRecord, job: JobOf<'create-case'>): NotePerson {
  const person = alert.escalatedBy ?? job.userId;
  if (person === job.userId) return clicker(job);
  return alert.escalatedByName ? { person, personName: alert.escalatedByName } : { person };
}

/**
 * Creates (or finds) the TheHive alert and its case: two requests on the happy path, the requester
 * and the Slack link travelling in the alert's description.
 */
async function openCase(alert: AlertRecord, requestedBy: string, deps: Deps) {
  const route = routeFor({ ...alert.finding, raw: undefined }, deps.config);
  const settings = { tlp: route.tlp, pap: route.pap, caseTemplate: route.caseTemplate };
  const input = theHiveAlertFor(alert, settings, requestedBy);
  // The customer's organisation (X-Organisation) and key: its cases land where its analysts work.
  const theHive = theHiveFor(deps, alert.finding.customer);
  let theHiveAlert;
  try {
    theHiveAlert = await theHive.alerts.create(input);
  } catch (error) {
    if (!isDuplicateAlert(error)) throw error;
    // A previous attempt created it before failing: carry on from there.
    // (For a reported Slack message: the alert the report created.)
    theHiveAlert = await theHive.alerts.findBySourceRef(input.type, input.source, input.sourceRef);
    if (!theHiveAlert) throw error;
  }
  if (theHiveAlert.caseId) return theHive.cases.get(theHiveAlert.caseId);
  try {
    return await theHive.alerts.promote(theHiveAlert._id, promotionFor(settings));
  } catch (error) {
    // Promoted concurrently by an earlier attempt whose answer was lost.
    const again = await theHive.alerts.get(theHiveAlert._id).catch(() => undefined);
    if (again?.caseId) return theHive.cases.get(again.caseId);
    throw error;
  }
}

/**
 * The worker's half of "Create Case". Safe to run again at any point: each step records that it
 * happened, and a retry skips what is done.
 */
export async function createCase(job: JobOf<'create-case'>, deps: WorkerDeps): Promise<void> {
  const { store, logger } = deps;
  const log = logger.createChild({ persistentKeys: { fingerprint: job.fingerprint } });
  const stored = await store.getAlert(job.fingerprint);
  if (!stored) {
    log.warn('create-case for an unknown alert: nothing to do');
    return;
  }
  // The case description, its first comment and the thread reply carry today's links.
  let alert = withCurrentLinks(stored, deps.config);
  if (alert.state !== 'escalating' && alert.state !== 'escalated') {
    log.info('create-case no longer wanted', { state: alert.state });
    return;
  }

  if (!alert.caseId) {
    const theCase = await openCase(alert, job.userId, deps);
    const caseUrl = deps.theHive.caseUrl(theCase._id);
    const saved = await updateAlert(store, job.fingerprint, (current) => ({
      ...current,
      state: 'escalated',
      caseId: theCase._id,
      caseNumber: theCase.number,
      caseOrganisation: organisationOf(deps.config, current.finding.customer),
      caseUrl,
      case: snapshotOfCase(theCase),
      caseCreatedAt: theCase._createdAt,
      caseUpdatedAt: theCase._updatedAt ?? theCase._createdAt,
      lastError: undefined,
    }));
    if (!saved) return;
    alert = withCurrentLinks(saved.after, deps.config);
    log.appendKeys({ caseId: theCase._id });
    log.info('case opened', { caseNumber: theCase.number });
    deps.metrics.count('EscalationsOpened');
    await store.appendAudit({
      fingerprint: job.fingerprint,
      caseId: theCase._id,
      actor: { kind: job.platform ?? 'slack', id: job.userId },
      action: 'case-created',
      details: { caseNumber: theCase.number, caseUrl, requestedAt: job.requestedAt },
    });
  }

  const root = slackRoot(alert);
  if (root && !alert.caseReplyTs && alert.caseId && alert.caseUrl && alert.caseNumber !== undefined) {
    const replyTs = await deps.chats.slack.replyInThread(root, {
      kind: 'case-opened',
      caseNumber: alert.caseNumber,
      caseUrl: alert.caseUrl,
      ...escalator(alert, job),
      observableCount: alert.finding.observables.length,
    });
    const saved = await updateAlert(store, job.fingerprint, (current) => ({
      ...current,
      caseReplyTs: replyTs,
    }));
    if (saved) alert = withCurrentLinks(saved.after, deps.config);
    await store.appendAudit({
      fingerprint: job.fingerprint,
      caseId: alert.caseId,
      actor: { kind: 'system' },
      action: 'case-linked',
      details: { threadTs: alert.ts, replyTs, permalink: alert.permalink, caseUrl: alert.caseUrl },
    });
  }
  alert = withCurrentLinks(await caseOpenedOnOtherPlatforms(alert, escalator(alert, job), deps), deps.config);
  await updateEverywhere(alert, deps);
  // What people said in the thread before the case: one comment, once.
  await summariseEarlierMessages(alert, deps);

  const ref = alert.finding.securityHub;
  if (ref && !alert.securityHubNotifiedAt && alert.caseUrl) {
    await deps.securityHub.markNotified(ref, `TheHive case #${alert.caseNumber}: ${alert.caseUrl}`);
    const notifiedAt = deps.now().toISOString();
    await updateAlert(store, job.fingerprint, (current) => ({
      ...current,
      securityHubNotifiedAt: notifiedAt,
    }));
    await store.appendAudit({
      fingerprint: job.fingerprint,
      caseId: alert.caseId,
      actor: { kind: 'system' },
      action: 'securityhub-notified',
      details: { findingId: ref.id },
    });
  }
}

/** Plain words for why a case could not be created. */
export function describeFailure(error: unknown): string {
  if (error instanceof TheHiveError) {
    if (error.status === 401 || error.status === 403)
      return `TheHive refused Hivewire's credentials (HTTP ${error.status}): check THEHIVE_API_KEY and its permissions`;
    if (error.status === undefined) return `TheHive could not be reached (${error.message})`;
    return `TheHive answered HTTP ${error.status}: ${error.message}`;
  }
  return errorMessage(error);
}

/**
 * When retries are spent: the alert goes back to `open` (the button works again), the thread says
 * what failed, and the audit keeps it. The job itself is kept as a dead letter by the worker.
 */
export async function escalationFailed(job: JobOf<'create-case'>, error: unknown, deps: Deps): Promise<void> {
  deps.metrics.count('EscalationsFailed');
  const reason = describeFailure(error);
  const changed = await updateAlert(deps.store, job.fingerprint, (alert) =>
    alert.caseId
      ? { ...alert, lastError: reason }
      : {
          ...alert,
          state: 'open',
          escalatedBy: undefined,
          escalatedByName: undefined,
          escalatedAt: undefined,
          lastError: reason,
        },
  );
  await deps.store.appendAudit({
    fingerprint: job.fingerprint,
    caseId: changed?.after.caseId,
    actor: { kind: 'system' },
    action: 'error',
    details: { step: 'create-case', reason, requestedBy: job.userId },
  });
  const alert = changed?.after;
  if (!alert) return;
  // A step after the case failed (Slack, Security Hub): the case exists and the button stays gone,
  // so "couldn't create the case" would be false.
  await replyEverywhere(
    alert,
    alert.caseNumber !== undefined
      ? { kind: 'case-step-failed', caseNumber: alert.caseNumber, reason, ...clicker(job) }
      : { kind: 'escalation-failed', reason, ...clicker(job) },
    deps,
  );
  await updateEverywhere(alert, deps);
}
