/**
 * Response actions: configured buttons (per finding type) that invoke a Lambda function or start an
 * SSM Automation runbook with the finding — isolate an instance, disable an access key. Only users on
 * the action's allow-list (or, without one, the Slack admins) may run one; the click is checked and
 * queued at once, and the AWS call runs in the worker, which threads the result.
 *
 * A retried job never runs the action twice: the result is stored under the request before it is
 * reported, and a retry finding it only reports.
 */
import { AwsActionError } from '../../clients/aws-actions/errors';
import type { ConfigFile } from '../config/config';
import type { Deps } from '../wiring/deps';
import type { JobOf } from '../queue/jobs';
import type { AlertRecord, FindingSnapshot } from '../domain/alert';
import type { ChatActorKind } from '../domain/audit';
import type { AnalystWorkerDeps } from '../wiring/deps';
import { matchesFindingType } from '../domain/finding-types';
import { isAllowed, isWebexAdmin, type GroupMembers } from '../access/permissions';
import { alertRootOn } from '../alerts/roots';

export type ResponseAction = ConfigFile['responseActions'][number];

/** Indicators passed to an action: enough to act on, small enough for an SSM parameter. */
const ACTION_OBSERVABLES_MAX = 20;
/** AWS errors another attempt can get past (throttling, a service hiccup). */
const RETRYABLE_AWS_ERRORS = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'Throttling',
  'ServiceException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalServerError',
  'InternalServerException',
  'EC2ThrottledException',
]);

/** The configured actions that apply to a finding's type. */
export function responseActionsFor(
  finding: Pick<FindingSnapshot, 'type'>,
  config: Pick<Deps['config'], 'file'>,
): ResponseAction[] {
  return config.file.responseActions.filter((action) =>
    matchesFindingType(finding.type, action.findingTypes),
  );
}

/** Who may run the action: its own allow-list, or the Slack admins when it has none. */
export function allowListOf(action: ResponseAction, config: Pick<Deps['config'], 'slack'>) {
  const own = (action.allowedUsers?.length ?? 0) + (action.allowedGroups?.length ?? 0) > 0;
  return own
    ? { users: action.allowedUsers ?? [], groups: action.allowedGroups ?? [] }
    : { users: config.slack.admins, groups: config.slack.adminGroups };
}

export type ResponseActionRequest =
  | { outcome: 'requested'; action: ResponseAction; alert: AlertRecord }
  | { outcome: 'refused'; action: ResponseAction }
  | { outcome: 'not-applicable'; action: ResponseAction }
  | { outcome: 'unknown-action' }
  | { outcome: 'unknown-alert' };

/**
 * Whether the clicker may run the action: on Slack, its allow-list (or the Slack admins); on Webex,
 * whose people the allow-lists (Slack ids and groups) cannot name, the Webex admins.
 */
async function mayRun(
  input: { userId: string; platform?: 'webex'; email?: string },
  action: ResponseAction,
  deps: Pick<Deps, 'config'> & { members?: GroupMembers },
): Promise<boolean> {
  if (input.platform === 'webex')
    return isWebexAdmin({ id: input.userId, email: input.email }, deps.config.webex?.admins ?? []);
  return (
    deps.members !== undefined && isAllowed(input.userId, allowListOf(action, deps.config), deps.members)
  );
}

/**
 * Checks the click (action configured, applies to the finding, user allowed), audits it and queues the
 * run. `platform: 'webex'`: the click came from a Webex card, and the result goes to the Webex thread.
 */
export async function requestResponseAction(
  input: {
    fingerprint: string;
    actionId: string;
    userId: string;
    platform?: 'webex';
    email?: string;
    /** The clicker's name (their Slack user name, a Webex display name). */
    userName?: string;
  },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'> & { members?: GroupMembers },
): Promise<ResponseActionRequest> {
  const action = deps.config.file.responseActions.find((candidate) => candidate.id === input.actionId);
  return requestResponseActionFor(
    {
      ...input,
      actor: { kind: input.platform ?? 'slack', id: input.userId },
      allowed: action ? await mayRun(input, action, deps) : false,
    },
    deps,
  );
}

/**
 * The same, for a person whose right to run the action was decided by their platform (Slack's
 * allow-lists above, Teams' admins); a refusal is audited too.
 */
export async function requestResponseActionFor(
  input: {
    fingerprint: string;
    actionId: string;
    userId: string;
    actor: { kind: ChatActorKind; id: string };
    allowed: boolean;
    /** Where the result is threaded when not on Slack. */
    platform?: 'webex' | 'teams';
    /** The clicker's display name, when their platform gave it. */
    userName?: string;
  },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'>,
): Promise<ResponseActionRequest> {
  const action = deps.config.file.responseActions.find((candidate) => candidate.id === input.actionId);
  if (!action) return { outcome: 'unknown-action' };
  const alert = await deps.store.getAlert(input.fingerprint);
  if (!alert) return { outcome: 'unknown-alert' };
  if (!matchesFindingType(alert.finding.type, action.findingTypes))
    return { outcome: 'not-applicable', action };
  const { actor } = input;
  if (!input.allowed) {
    await deps.store.appendAudit({
      fingerprint: input.fingerprint,
      caseId: alert.caseId,
      actor,
      action: 'response-action-refused',
      details: { actionId: action.id, label: action.label },
    });
    return { outcome: 'refused', action };
  }
  const requestedAt = deps.now().toISOString();
  await deps.store.appendAudit({
    fingerprint: input.fingerprint,
    caseId: alert.caseId,
    actor,
    action: 'response-action-requested',
    details: {
      actionId: action.id,
      label: action.label,
      target: action.lambda ?? action.ssmDocument,
      requestedAt,
    },
  });
  await deps.queue.enqueue({
    kind: 'response-action',
    fingerprint: input.fingerprint,
    actionId: action.id,
    userId: input.userId,
    ...(input.platform ? { platform: input.platform } : {}),
    ...(input.userName ? { userName: input.userName.slice(0, 256) } : {}),
    requestedAt,
  });
  return { outcome: 'requested', action, alert };
}

/** What an action receives: the finding's identity, resource, actor and indicators (no raw event). */
export function findingForAction(alert: AlertRecord): Record<string, unknown> {
  const f = alert.finding;
  return {
    fingerprint: alert.fingerprint,
    source: f.source,
    product: f.product,
    sourceId: f.sourceId,
    type: f.type,
    title: f.title,
    severity: alert.severity,
    accountId: f.accountId,
    region: f.region,
    customer: f.customer,
    resource: f.resource,
    actor: f.actor,
    securityHub: f.securityHub,
    observables: [...f.observables]
      .sort((a, b) => Number(b.ioc === true) - Number(a.ioc === true))
      .slice(0, ACTION_OBSERVABLES_MAX)
      .map((o) => ({ dataType: o.dataType, data: o.data, ioc: o.ioc === true })),
    caseNumber: alert.caseNumber,
    permalink: alert.permalink,
  };
}

/** How a run ended, stored under the request so a retried job reports it instead of running again. */
export interface ResponseActionResult {
  ok: boolean;
  /** The function's answer, the execution id, or the error, in a few hundred characters. */
  summary: string;
  link?: string;
  reported?: boolean;
}

const resultKey = (job: JobOf<'response-action'>) =>
  `response-action:${job.fingerprint}:${job.actionId}:${job.requestedAt}`;

async function run(
  action: ResponseAction,
  job: JobOf<'response-action'>,
  alert: AlertRecord,
  deps: AnalystWorkerDeps,
): Promise<ResponseActionResult> {
  const finding = findingForAction(alert);
  try {
    if (action.lambda) {
      const result = await deps.lambda.invoke(action.lambda, {
        source: 'hivewire',
        action: { id: action.id, label: action.label },
        requestedBy: job.userId,
        requestedAt: job.requestedAt,
        finding,
      });
      return { ok: true, summary: result.payload || `HTTP ${result.statusCode}` };
    }
    const execution = await deps.automation.start(
      action.ssmDocument as string,
      { Finding: [JSON.stringify(finding)] },
      alert.finding.region,
    );
    return {
      ok: true,
      summary: `Automation execution ${execution.executionId} started`,
      link: execution.consoleUrl,
    };
  } catch (error) {
    if (error instanceof AwsActionError && !(error.awsError && RETRYABLE_AWS_ERRORS.has(error.awsError)))
      return { ok: false, summary: error.message };
    throw error;
  }
}

/**
 * The worker's half: runs the action once, then audits and threads the result in the alert's thread on
 * the platform clicked (through the chat port).
 */
export async function runResponseAction(
  job: JobOf<'response-action'>,
  deps: AnalystWorkerDeps,
): Promise<void> {
  const alert = await deps.store.getAlert(job.fingerprint);
  if (!alert) return;
  const action = deps.config.file.responseActions.find((candidate) => candidate.id === job.actionId);
  let result = await deps.store.getSetting<ResponseActionResult>(resultKey(job));
  if (result?.reported) return;
  if (!result) {
    result = action
      ? await run(action, job, alert, deps)
      : { ok: false, summary: 'the action is no longer configured' };
    await deps.store.putSetting(resultKey(job), result);
  }
  await deps.store.appendAudit({
    fingerprint: job.fingerprint,
    caseId: alert.caseId,
    actor: { kind: job.platform ?? 'slack', id: job.userId },
    action: result.ok ? 'response-action-succeeded' : 'response-action-failed',
    details: {
      actionId: job.actionId,
      label: action?.label ?? job.actionId,
      summary: result.summary,
      link: result.link,
    },
  });
  const thread = alertRootOn(alert, job.platform ?? 'slack', deps);
  if (thread)
    await thread.chat.replyInThread(thread.root, {
      kind: 'response-action-result',
      label: action?.label ?? job.actionId,
      person: job.userId,
      ...(job.userName ? { personName: job.userName } : {}),
      personPlatform: job.platform ?? 'slack',
      ok: result.ok,
      summary: result.summary,
      ...(result.link ? { link: result.link } : {}),
    });
  await deps.store.putSetting(resultKey(job), { ...result, reported: true });
}
