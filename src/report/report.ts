/**
 * "Report to SOC": anyone allowed turns a Slack message into a TheHive alert (type `slack-report`) and
 * a Hivewire alert in the customer's alert channel, and is told privately where it went.
 *
 * The shortcut keeps the message in the store (a modal's private metadata holds 3,000 characters, a
 * message up to 40,000) and opens the modal; the submission queues a job; the worker files it. Every
 * step is idempotent on the message: the alert's fingerprint and TheHive's `sourceRef` are made of its
 * team, channel and ts, so a second report, a retried job or a double submit finds what the first made.
 */
import * as z from '../validation/zod';
import { reportConfirmation, reportFailedNotice } from '../../blocks/analyst/report';
import type { Reply } from '../../blocks/replies';
import { errorMessage } from '../observability/logger';
import { ingestFinding } from '../alerts/ingest';
import { withCurrentLinks } from '../alerts/links';
import { theHiveAlertFor } from '../cases/case-content';
import { isDuplicateAlert } from '../../clients/thehive/client';
import type { Deps } from '../wiring/deps';
import { routeFor } from '../enrich/enrich';
import { customerOfWorkspace, theHiveFor } from '../enrich/tenancy';
import { reportJob, type JobOf } from '../queue/jobs';
import { updateAlert } from '../store/store';
import type { AlertRecord } from '../domain/alert';
import { isAllowed, type GroupMembers } from '../access/permissions';
import { reportedFinding, reportSourceRef } from './report-content';

/** The store setting keeping a reported message between the shortcut and the modal's submission. */
const DRAFT_PREFIX = 'report-draft:';

export type ReportedMessage = JobOf<'report'>['message'];
const reportedMessage = reportJob.shape.message;

/** Whether `userId` may report: everyone, unless the config file's `report` lists who may. */
export async function mayReport(
  userId: string,
  deps: Pick<Deps, 'config'> & { members: GroupMembers },
): Promise<boolean> {
  const allow = deps.config.file.report;
  if (!allow || (allow.allowedUsers === undefined && allow.allowedGroups === undefined)) return true;
  return isAllowed(
    userId,
    { users: allow.allowedUsers ?? [], groups: allow.allowedGroups ?? [] },
    deps.members,
  );
}

/**
 * The customers a report from workspace `team` may be filed for: in a customer's own workspace that
 * customer only (its people never file into another customer's channel or organisation); in the
 * provider's, every customer, the default one first.
 */
export function reportCustomers(deps: Pick<Deps, 'config'>, team: string | undefined): string[] {
  const own = customerOfWorkspace(deps.config, team);
  if (own) return [own];
  const { customers, defaults } = deps.config.file;
  return [...new Set([defaults.customer, ...Object.keys(customers)])];
}

/** Keeps the message until the modal is submitted; resolves to the key the modal carries. */
export async function keepReportedMessage(
  message: ReportedMessage,
  deps: Pick<Deps, 'store'>,
): Promise<string> {
  const key = `${DRAFT_PREFIX}${reportSourceRef(message)}`;
  await deps.store.putSetting(key, reportedMessage.parse(message));
  return key;
}

/** What the modal's submission says. */
export interface ReportSubmission {
  draftKey: string;
  reporter: string;
  title: string;
  severity: JobOf<'report'>['severity'];
  customer: string;
  note?: string;
}

/** Queues the report; `expired` when the kept message is gone (a modal from before a store reset). */
export async function submitReport(
  submission: ReportSubmission,
  deps: Pick<Deps, 'store' | 'queue' | 'now'>,
): Promise<'queued' | 'expired'> {
  if (!submission.draftKey.startsWith(DRAFT_PREFIX)) return 'expired';
  const kept = reportedMessage.safeParse(await deps.store.getSetting(submission.draftKey));
  if (!kept.success) return 'expired';
  const { draftKey: _draftKey, ...said } = submission;
  await deps.queue.enqueue(
    reportJob.parse({ kind: 'report', ...said, message: kept.data, requestedAt: deps.now().toISOString() }),
  );
  return 'queued';
}

const reportsOf = (alert: AlertRecord): NonNullable<AlertRecord['reports']> => alert.reports ?? [];

/** Files a report (the worker's part): alert posted, TheHive alert created or found, reporter told. */
export async function fileReport(job: JobOf<'report'>, deps: Deps): Promise<void> {
  const { message } = job;
  const permalink = await deps.slack.permalink(message.channel, message.ts, message.team);
  const finding = reportedFinding(job, permalink);
  await ingestFinding(finding, deps, { reportedFor: job.customer });

  const recorded = await updateAlert(deps.store, finding.fingerprint, (current) =>
    reportsOf(current).some((report) => report.by === job.reporter)
      ? undefined
      : { ...current, reports: [...reportsOf(current), { by: job.reporter, at: job.requestedAt }] },
  );
  if (recorded) {
    await deps.store.appendAudit({
      fingerprint: finding.fingerprint,
      actor: { kind: 'slack', id: job.reporter },
      action: 'reported',
      details: { sourceRef: finding.sourceId, permalink, severity: job.severity, customer: job.customer },
    });
  }
  const stored = recorded?.after ?? (await deps.store.getAlert(finding.fingerprint));
  if (!stored) throw new Error(`reported message ${finding.sourceId}: its alert was not kept`);
  // Its links as they read today (in the sandbox, its Slack permalink leads into the console).
  const alert = withCurrentLinks(stored, deps.config);

  const route = routeFor(alert.finding, deps.config);
  const input = theHiveAlertFor(
    alert,
    { tlp: route.tlp, pap: route.pap },
    reportsOf(alert)[0]?.by ?? job.reporter,
  );
  try {
    await theHiveFor(deps, alert.finding.customer).alerts.create(input);
  } catch (error) {
    // Reported before (or this job's earlier attempt got that far): TheHive keeps one alert per message.
    if (!isDuplicateAlert(error)) throw error;
  }

  const report = reportsOf(alert).find((entry) => entry.by === job.reporter);
  if (report?.confirmed) return;
  const first = reportsOf(alert)[0]?.by;
  await tellReporter(
    job,
    reportConfirmation({ alert, firstReporter: first === job.reporter ? undefined : first }),
    deps,
  );
  await updateAlert(deps.store, finding.fingerprint, (current) => ({
    ...current,
    reports: reportsOf(current).map((entry) =>
      entry.by === job.reporter ? { ...entry, confirmed: true as const } : entry,
    ),
  }));
}

/** A DM to the reporter, in the workspace the reported message is in (with that workspace's token). */
async function tellReporter(job: JobOf<'report'>, message: Reply, deps: Pick<Deps, 'slack'>): Promise<void> {
  const { team } = job.message;
  const dm = await deps.slack.openDm(job.reporter, team);
  await deps.slack.post(dm, message, team);
}

/** A report that failed for good (kept as a dead letter by the worker): the reporter is told so. */
export async function reportFailed(job: JobOf<'report'>, error: unknown, deps: Deps): Promise<void> {
  await tellReporter(job, reportFailedNotice(errorMessage(error)), deps);
}

/** A Slack `plain_text_input` value read back from the modal, for the submission's zod check. */
export const reportModalValues = z.object({
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(512)),
  severity: reportJob.shape.severity,
  customer: z.string().check(z.minLength(1)),
  note: z.optional(z.string().check(z.maxLength(3000))),
});
