/**
 * "Was this you?" (the MozDef triage bot's pattern): the person a finding is about, or the user a SIEM
 * names, is asked in a direct message; the answer is threaded under the alert, audited, commented on the
 * TheHive case, sent to the SIEM's SQS queue when one is configured, and "No" pages the on-call group.
 * No answer within the configured time is reported the same way.
 *
 * Everything goes through the chat port (`Deps.chats`). The person is asked on the platform the
 * analyst clicked Ask the user on: the analyst is reading that platform's thread, and a customer whose
 * alerts go to Webex or Teams has its people there. A configured rule asks on the first platform the
 * alert is posted to (Slack when it is there), a SIEM's question on Slack, as before. What the thread
 * hears (asked, the answer, no answer, could not ask) goes under the alert on every platform it is
 * posted to, as case status replies do; each platform's reply is marked done on the record, so a retry
 * after one platform failed repeats none of the others.
 *
 * A question is a record in the store's settings (`triage:<id>`). Answering and expiring both claim
 * the same delivery key, so exactly one of them closes the question, once, whatever the clicks and
 * retries; each follow-up step is marked done on the record, so a retried job repeats none.
 */
import { randomUUID } from 'node:crypto';
import * as z from '../validation/zod';
import { slackName, triageRaisedMessage, TRIAGE_ANSWERS } from '../../blocks/analyst/triage';
import { escapeMarkdown } from '../cases/markdown';
import type { AnalystWorkerDeps, Deps } from '../wiring/deps';
import { theHiveFor, workspaceMayActOn, workspaceOf } from '../enrich/tenancy';
import type { AlertRecord, FindingSnapshot } from '../domain/alert';
import { fingerprintOf } from '../findings/fingerprint';
import type { JobOf } from '../queue/jobs';
import { msUntil } from '../queue/delayed-jobs';
import { matchesFindingType } from '../domain/finding-types';
import { askedPerson, type TriageRecord, type TriageRequest, type TriageResponse } from '../domain/triage';
import { CHAT_PLATFORM_NAMES, type ChatPerson, type ChatPlatform } from '../domain/chat';
import type { ThreadNote } from '../domain/notes';
import { onEachRoot } from '../alerts/platforms';
import { alertRoots } from '../alerts/roots';
import { errorMessage } from '../observability/logger';

/** MozDef's levels of confidence that the identity is right. */
export const IDENTITY_CONFIDENCES = ['highest', 'high', 'moderate', 'low', 'lowest'] as const;

/** How long a question waits when the config file says nothing. */
export const DEFAULT_TRIAGE_TIMEOUT_MINUTES = 60;
/** Delivery keys (answer or expiry) are kept this long: far beyond any question's life. */
export const TRIAGE_CLAIM_TTL_SECONDS = 30 * 24 * 60 * 60;

const recordKey = (id: string) => `triage:${id}`;
const alertKey = (fingerprint: string) => `triage-for:${fingerprint}`;
/** The alert's latest question (`triage-for:<fingerprint>`). */
interface LatestQuestion {
  id: string;
  at: string;
}
const closedKey = (id: string) => `triage-closed:${id}`;
/** The questions put to a person, newest first (`triage-asked:<platform>:<id>`): what a typed answer answers. */
const askedKey = (person: Pick<ChatPerson, 'platform' | 'id'>) =>
  `triage-asked:${person.platform}:${person.id}`;
interface AskedQuestions {
  ids: string[];
}
/** How many of a person's latest questions a typed answer looks through for one still waiting. */
const ASKED_KEPT = 10;

async function askedQuestions(
  deps: Pick<Deps, 'store'>,
  person: Pick<ChatPerson, 'platform' | 'id'>,
): Promise<string[]> {
  return (await deps.store.getSetting<AskedQuestions>(askedKey(person)))?.ids ?? [];
}

/** Where a question's audit events go: its alert's trail, or one trail per SIEM identifier. */
export function triageAuditKey(record: Pick<TriageRecord, 'fingerprint' | 'identifier' | 'id'>): string {
  return record.fingerprint ?? `triage:${record.identifier ?? record.id}`;
}

async function readRecord(deps: Pick<Deps, 'store'>, id: string): Promise<TriageRecord | undefined> {
  return deps.store.getSetting<TriageRecord>(recordKey(id));
}

async function saveRecord(deps: Pick<Deps, 'store'>, record: TriageRecord): Promise<TriageRecord> {
  await deps.store.putSetting(recordKey(record.id), record);
  return record;
}

/** Re-reads the record and applies `change` to the latest version (the answer may land in between). */
async function updateRecord(
  deps: Pick<Deps, 'store'>,
  id: string,
  change: (record: TriageRecord) => TriageRecord,
): Promise<TriageRecord | undefined> {
  const current = await readRecord(deps, id);
  return current ? saveRecord(deps, change(current)) : undefined;
}

function timeoutMinutes(config: Deps['config']): number {
  return config.file.triage?.timeoutMinutes ?? DEFAULT_TRIAGE_TIMEOUT_MINUTES;
}

/** The person to ask about a finding: their e-mail and how sure Hivewire is that it is theirs. */
export type PersonToAsk =
  | { found: true; name: string; email: string; identityConfidence: string }
  | { found: false; problem: 'no-person' }
  | { found: false; problem: 'no-email'; name: string };

/**
 * The finding's actor and their e-mail: from the finding itself (high confidence: the source named
 * the address) or from the config file's `users` map of IAM/SIEM user → e-mail (moderate: Hivewire
 * inferred it from a user name).
 */
export function personToAsk(finding: Pick<FindingSnapshot, 'actor'>, config: Deps['config']): PersonToAsk {
  const actor = finding.actor;
  if (!actor?.name && !actor?.email) return { found: false, problem: 'no-person' };
  const name = actor.name || actor.email || '';
  if (actor.email && z.email().safeParse(actor.email).success)
    return { found: true, name, email: actor.email, identityConfidence: 'high' };
  const mapped = config.file.users[actor.name];
  if (mapped) return { found: true, name, email: mapped, identityConfidence: 'moderate' };
  return { found: false, problem: 'no-email', name };
}

/** A question still open: asked, or being asked (a job that never finished stops counting after a while). */
function isWaiting(record: TriageRecord, now: Date): boolean {
  if (record.state === 'asked') return true;
  return record.state === 'asking' && now.getTime() - Date.parse(record.requestedAt) < ASKING_STALE_MS;
}

/** After this long, a question stuck before its DM went out no longer blocks asking again. */
const ASKING_STALE_MS = 15 * 60 * 1000;

/**
 * Requests "was this you?" for an alert (the Ask the user button, or a configured rule): checks there
 * is someone to ask and no question waiting already, then queues the `triage-ask` job. Fast: Slack's
 * lookups and the DM happen in the worker.
 */
export async function requestTriage(
  input: { fingerprint: string; requestedBy: string; platform?: ChatPlatform; requestedByName?: string },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'>,
): Promise<TriageRequest> {
  const alert = await deps.store.getAlert(input.fingerprint);
  if (!alert) return { outcome: 'unknown-alert' };
  const person = personToAsk(alert.finding, deps.config);
  if (!person.found)
    return person.problem === 'no-person'
      ? { outcome: 'no-person' }
      : { outcome: 'no-email', name: person.name };
  const now = deps.now();
  const previous = await deps.store.getSetting<LatestQuestion>(alertKey(input.fingerprint));
  if (previous) {
    const record = await readRecord(deps, previous.id);
    // Requested but not yet picked up by the worker counts as waiting too, for a while.
    if (record ? isWaiting(record, now) : now.getTime() - Date.parse(previous.at) < ASKING_STALE_MS)
      return { outcome: 'pending', since: previous.at, person: record && askedPerson(record) };
  }
  // Two clicks at once both get here: only the one that claims this generation asks.
  const generation = `triage-ask:${input.fingerprint}:${previous?.id ?? 'first'}`;
  if (!(await deps.store.claimDelivery(generation, TRIAGE_CLAIM_TTL_SECONDS)))
    return { outcome: 'pending', since: now.toISOString() };
  const triageId = randomUUID();
  const requestedAt = now.toISOString();
  await deps.store.putSetting<LatestQuestion>(alertKey(input.fingerprint), { id: triageId, at: requestedAt });
  await deps.queue.enqueue({
    kind: 'triage-ask',
    triageId,
    request: {
      origin: 'alert',
      fingerprint: input.fingerprint,
      requestedBy: input.requestedBy,
      ...(input.platform ? { platform: input.platform } : {}),
      ...(input.requestedByName ? { requestedByName: input.requestedByName } : {}),
    },
    requestedAt,
  });
  return { outcome: 'requested', triageId };
}

/** Whether a configured rule asks automatically for this finding type (`triage.autoAsk`). */
export function asksAutomatically(
  finding: Pick<FindingSnapshot, 'type' | 'actor'>,
  config: Deps['config'],
): boolean {
  const patterns = config.file.triage?.autoAsk ?? [];
  return patterns.length > 0 && finding.actor !== undefined && matchesFindingType(finding.type, patterns);
}

/**
 * For the ingest path, once `alert` (as ingest just wrote it) is posted: asks the person automatically
 * when a rule says so. Resolves to what happened (`undefined` when no rule applies).
 */
export async function askAutomatically(
  alert: AlertRecord,
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'>,
): Promise<TriageRequest | undefined> {
  if (alert.state !== 'open' || !asksAutomatically(alert.finding, deps.config)) return undefined;
  return requestTriage({ fingerprint: alert.fingerprint, requestedBy: 'auto' }, deps);
}

/** The body of `POST /triage` and of a direct Lambda invocation (MozDef's triage-bot request). */
export const siemTriageRequestSchema = z.object({
  identifier: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
  user: z.email(),
  alert: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)),
  summary: z.string().check(z.trim(), z.minLength(1), z.maxLength(4000)),
  identityConfidence: z.pipe(
    z.pipe(
      z.string(),
      z.transform((value) => value.trim().toLowerCase()),
    ),
    z.enum(IDENTITY_CONFIDENCES),
  ),
});
export type SiemTriageRequest = z.infer<typeof siemTriageRequestSchema>;

/** A request to ask that does not hold what it must; `field` names the first bad field. */
export class TriageValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'TriageValidationError';
  }
}

/** Validates a SIEM's request; throws TriageValidationError naming the field. */
export function parseSiemTriageRequest(body: unknown): SiemTriageRequest {
  const parsed = siemTriageRequestSchema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new TriageValidationError(issue?.path.join('.') || 'body', issue?.message ?? 'invalid');
}

/** Queues a SIEM's question; the DM goes out from the worker. Resolves to the question's id. */
export async function requestSiemTriage(
  request: SiemTriageRequest,
  deps: Pick<Deps, 'store' | 'queue' | 'now'>,
): Promise<{ triageId: string }> {
  const triageId = randomUUID();
  const requestedAt = deps.now().toISOString();
  await deps.queue.enqueue({
    kind: 'triage-ask',
    triageId,
    request: {
      origin: 'siem',
      identifier: request.identifier,
      email: request.user,
      alert: request.alert,
      summary: request.summary,
      identityConfidence: request.identityConfidence,
    },
    requestedAt,
  });
  await deps.store.appendAudit({
    fingerprint: `triage:${request.identifier}`,
    actor: { kind: 'system' },
    action: 'triage-requested',
    details: { triageId, email: request.user, alert: request.alert, via: 'siem' },
  });
  return { triageId };
}

/** The new record for a job, from the alert (or the SIEM's request). Undefined when there is no one to ask. */
async function newRecord(job: JobOf<'triage-ask'>, deps: AnalystWorkerDeps): Promise<TriageRecord | string> {
  const base = {
    id: job.triageId,
    requestedAt: job.requestedAt,
    timeoutMinutes: timeoutMinutes(deps.config),
    state: 'asking' as const,
    done: {},
  };
  const { request } = job;
  if (request.origin === 'siem') {
    // A MozDef alert Hivewire also ingested is the same alert: answers thread under it.
    const linked = await deps.store.getAlert(fingerprintOf('mzd', `mozdef/${request.identifier}`));
    return {
      ...base,
      origin: 'siem',
      fingerprint: linked?.fingerprint,
      identifier: request.identifier,
      alertName: request.alert,
      summary: request.summary,
      email: request.email,
      identityConfidence: request.identityConfidence,
      requestedBy: 'siem',
    };
  }
  const alert = await deps.store.getAlert(request.fingerprint);
  if (!alert) return 'the alert is unknown';
  const person = personToAsk(alert.finding, deps.config);
  if (!person.found)
    return person.problem === 'no-person'
      ? 'the finding names no person'
      : `no e-mail address known for ${person.name} (add it to the config file's users map)`;
  const finding = alert.finding;
  const where = [finding.accountName ?? finding.accountId, finding.region].filter(Boolean).join(', ');
  return {
    ...base,
    origin: 'alert',
    fingerprint: alert.fingerprint,
    customer: finding.customer,
    team: workspaceOf(deps.config, finding.customer),
    identifier: finding.sourceId,
    alertName: finding.title,
    summary: [
      finding.description.trim() || finding.title,
      `Seen ${alert.count === 1 ? 'once' : `${alert.count} times`}, last ${alert.lastSeen}${where ? ` (${where})` : ''}.`,
    ].join('\n\n'),
    email: person.email,
    identityConfidence: person.identityConfidence,
    requestedBy: request.requestedBy,
    ...(request.platform ? { requestedOn: request.platform } : {}),
    ...(request.requestedByName ? { requestedByName: request.requestedByName } : {}),
  };
}

/**
 * Says `note` under the record's alert on every platform it is posted to, once per platform for
 * `step` (marked on the record). Resolves to whether the alert has a thread anywhere.
 */
async function replyUnderAlert(
  record: Pick<TriageRecord, 'id' | 'fingerprint' | 'done'>,
  step: string,
  note: ThreadNote,
  deps: Deps,
): Promise<boolean> {
  if (!record.fingerprint) return false;
  const alert = await deps.store.getAlert(record.fingerprint);
  if (!alert || alertRoots(alert, deps).length === 0) return false;
  // A platform refusing for good (its card deleted) is audited and skipped, as status replies are.
  await onEachRoot(alert, deps, `${note.kind} note`, async (root, chat) => {
    const key = `${step}:${root.platform}`;
    if (record.done.replies?.includes(key)) return;
    await chat.replyInThread(root, note);
    await updateRecord(deps, record.id, (current) => ({
      ...current,
      done: { ...current.done, replies: [...(current.done.replies ?? []), key] },
    }));
  });
  return true;
}

/** The analyst who asked, on the platform they asked from; none for a rule or a SIEM. */
function requesterOf(
  record: Pick<TriageRecord, 'requestedBy' | 'requestedOn' | 'requestedByName'>,
): ChatPerson | undefined {
  const platform = record.requestedOn ?? 'slack';
  if (platform === 'slack' && !/^[UW][A-Z0-9]+$/.test(record.requestedBy)) return undefined;
  if (['', 'auto', 'siem'].includes(record.requestedBy)) return undefined;
  return {
    platform,
    id: record.requestedBy,
    ...(record.requestedByName ? { name: record.requestedByName } : {}),
  };
}

/** How the audit names the person asked: a Slack user as before (`slackUserId`), others by platform. */
function personDetails(person: ChatPerson): Record<string, unknown> {
  return person.platform === 'slack'
    ? { slackUserId: person.id }
    : { person: { platform: person.platform, id: person.id } };
}

/**
 * Where the person is asked (see the header): the analyst's platform; for a rule, the first platform
 * the alert is posted to; otherwise Slack.
 */
async function platformToAsk(record: TriageRecord, deps: Deps): Promise<ChatPlatform> {
  if (record.requestedOn) return record.requestedOn;
  if (record.origin !== 'alert' || !record.fingerprint) return 'slack';
  const alert = await deps.store.getAlert(record.fingerprint);
  return (alert && alertRoots(alert, deps)[0]?.root.platform) ?? 'slack';
}

/** The worker's "ask": finds the person, sends them the question, threads it, schedules the timeout. */
export async function askTriage(job: JobOf<'triage-ask'>, deps: AnalystWorkerDeps): Promise<void> {
  let record = await readRecord(deps, job.triageId);
  if (record?.state === 'failed') return;
  if (!record) {
    const made = await newRecord(job, deps);
    if (typeof made === 'string') {
      if (job.request.origin === 'alert') await triageFailed(job, made, deps);
      return;
    }
    record = made;
  }
  if (!record.ts) {
    const asked = await postQuestion(record, deps);
    if (!asked) return;
    record = asked;
  }
  const { dueAt = deps.now().toISOString() } = record;
  const person = askedPerson(record);
  // Scheduled before the thread hears of it: a sent question expires even if that reply never goes out.
  if (!record.done.scheduled) {
    // Webex and Teams deliver what the person types in that direct conversation: a typed answer answers
    // this. Written here, not with the message, so that a retry after the question went out writes it.
    if (person && person.platform !== 'slack') {
      const others = (await askedQuestions(deps, person)).filter((id) => id !== record.id);
      await deps.store.putSetting(askedKey(person), {
        ids: [record.id, ...others].slice(0, ASKED_KEPT),
      } satisfies AskedQuestions);
    }
    await deps.delayedJobs.enqueueWhenDue({ kind: 'triage-timeout', triageId: record.id, dueAt });
    await markDone(deps, record.id, 'scheduled');
  }
  if (!record.done.asked && person) {
    const requester = requesterOf(record);
    await replyUnderAlert(
      record,
      'asked',
      {
        kind: 'triage-asked',
        person,
        requestedBy:
          record.requestedBy === 'auto'
            ? 'auto'
            : (requester ?? { platform: 'slack', id: record.requestedBy }),
        timeoutMinutes: record.timeoutMinutes,
      },
      deps,
    );
    await markDone(deps, record.id, 'asked');
  }
}

/**
 * Finds the person on the platform they are asked on and sends them the question; resolves to the
 * record with the question's message, or undefined when the person cannot be found there (said in the
 * thread, audited).
 */
async function postQuestion(
  record: TriageRecord,
  deps: AnalystWorkerDeps,
): Promise<TriageRecord | undefined> {
  const known = askedPerson(record);
  const platform = known?.platform ?? (await platformToAsk(record, deps));
  const chat = deps.chats[platform];
  // On Slack the person is found, and asked, in the workspace of the alert's customer.
  const person =
    known ?? (chat && (await chat.findPerson(record.email, platform === 'slack' ? record.team : undefined)));
  if (!chat || !person) {
    const failure = chat
      ? `no ${CHAT_PLATFORM_NAMES[platform]} user with the e-mail ${record.email}`
      : `${CHAT_PLATFORM_NAMES[platform]} is not configured here`;
    const failed = await saveRecord(deps, { ...record, state: 'failed', failure });
    await triageFailedFor(failed, failure, deps);
    return undefined;
  }
  const dueAt = new Date(deps.now().getTime() + record.timeoutMinutes * 60_000).toISOString();
  const ready = await saveRecord(deps, { ...record, person, dueAt });

  const question = await chat.directMessage(person, { kind: 'triage-question', record: ready });
  // The person may have answered already: keep their answer, add the question's message.
  const asked =
    (await updateRecord(deps, ready.id, (current) => ({
      ...current,
      channel: question.channel,
      ts: question.messageId,
      state: current.state === 'asking' ? 'asked' : current.state,
    }))) ?? ready;
  const requester = requesterOf(asked);
  await deps.store.appendAudit({
    fingerprint: triageAuditKey(asked),
    actor: requester ? { kind: requester.platform, id: requester.id } : { kind: 'system' },
    action: 'triage-asked',
    details: {
      triageId: asked.id,
      email: asked.email,
      ...personDetails(person),
      identityConfidence: asked.identityConfidence,
      requestedBy: asked.requestedBy,
      dueAt,
    },
  });
  return asked;
}

async function triageFailedFor(record: TriageRecord, reason: string, deps: Deps) {
  await deps.store.appendAudit({
    fingerprint: triageAuditKey(record),
    actor: { kind: 'system' },
    action: 'error',
    details: { step: 'triage-ask', triageId: record.id, reason },
  });
  await replyUnderAlert(record, 'failed', { kind: 'triage-failed', reason }, deps);
}

/**
 * A question whose job failed for good (Slack unreachable through every retry, a missing scope): failed,
 * said in the thread and audited, as a person not found is. Not once the question was sent: the
 * person may still answer it, and its timeout, scheduled first after the message, closes it if not.
 */
export async function triageAskFailed(job: JobOf<'triage-ask'>, error: unknown, deps: Deps): Promise<void> {
  const reason = errorMessage(error);
  const record = await readRecord(deps, job.triageId);
  if (!record) {
    if (job.request.origin === 'alert') await triageFailed(job, reason, deps);
    return;
  }
  if (record.state !== 'asking' || record.ts) return;
  const failed = await saveRecord(deps, { ...record, state: 'failed', failure: reason });
  await triageFailedFor(failed, reason, deps);
}

/** A question that could not even be recorded (no alert, no person, no e-mail): said in the thread and audited. */
async function triageFailed(job: JobOf<'triage-ask'>, reason: string, deps: Deps): Promise<void> {
  const fingerprint = job.request.origin === 'alert' ? job.request.fingerprint : undefined;
  const failed = await saveRecord(deps, {
    id: job.triageId,
    origin: job.request.origin,
    fingerprint,
    alertName: '',
    summary: '',
    email: '',
    identityConfidence: '',
    requestedBy: job.request.origin === 'alert' ? job.request.requestedBy : 'siem',
    requestedAt: job.requestedAt,
    timeoutMinutes: timeoutMinutes(deps.config),
    state: 'failed',
    failure: reason,
    done: {},
  });
  await triageFailedFor(failed, reason, deps);
}

export type TriageAnswer =
  | { outcome: 'recorded'; record: TriageRecord; response: TriageResponse }
  | { outcome: 'closed'; record: TriageRecord }
  | { outcome: 'not-yours'; record: TriageRecord }
  | { outcome: 'unknown' };

/**
 * Records an answer the person typed in their direct conversation (Webex, Teams), as `answerTriage`
 * records a click, with the same checks. It answers the newest question put to them that is still
 * waiting; when none is, the newest (which then says it is closed, or shows the same answer again).
 */
export async function answerTypedTriage(
  input: { response: TriageResponse; userId: string; platform: 'webex' | 'teams' },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'>,
): Promise<TriageAnswer | { outcome: 'no-question' }> {
  const ids = await askedQuestions(deps, { platform: input.platform, id: input.userId });
  if (ids.length === 0) return { outcome: 'no-question' };
  const now = deps.now();
  let triageId = ids[0]!;
  for (const id of ids) {
    const record = await readRecord(deps, id);
    if (record && isWaiting(record, now)) {
      triageId = id;
      break;
    }
  }
  return answerTriage({ ...input, triageId, team: undefined }, deps);
}

/**
 * Records the person's click (fast path): only the person asked may answer, on the platform (and, on
 * Slack, from the workspace) they were asked in, and only once (the first of answer and expiry claims the question). Audited; the
 * follow-up runs in a `triage-followup` job.
 */
export async function answerTriage(
  input: {
    triageId: string;
    response: TriageResponse;
    userId: string;
    /** Where the click came from; Slack when not said. */
    platform?: ChatPlatform;
    team: string | undefined;
  },
  deps: Pick<Deps, 'store' | 'queue' | 'now' | 'config'>,
): Promise<TriageAnswer> {
  const record = await readRecord(deps, input.triageId);
  if (!record) return { outcome: 'unknown' };
  // A SIEM's question names no customer: it is asked, and answered, in the provider's workspace.
  const platform = input.platform ?? 'slack';
  const person = askedPerson(record);
  if (
    person?.platform !== platform ||
    person.id !== input.userId ||
    (platform === 'slack' && !workspaceMayActOn(deps.config, record.customer ?? '', input.team))
  )
    return { outcome: 'not-yours', record };
  if (!(await deps.store.claimDelivery(closedKey(record.id), TRIAGE_CLAIM_TTL_SECONDS)))
    // The same answer again (a retry after showing it failed, a second click or message) is shown again,
    // recorded once; any other answer comes too late.
    return record.state === 'answered' && record.response === input.response
      ? { outcome: 'recorded', record, response: input.response }
      : { outcome: 'closed', record };
  const answeredAt = deps.now().toISOString();
  const answered =
    (await updateRecord(deps, record.id, (current) => ({
      ...current,
      state: 'answered',
      response: input.response,
      answeredAt,
    }))) ?? record;
  await deps.store.appendAudit({
    fingerprint: triageAuditKey(answered),
    actor: { kind: platform, id: input.userId },
    action: 'triage-answered',
    details: { triageId: record.id, email: record.email, response: input.response },
  });
  await deps.queue.enqueue({ kind: 'triage-followup', triageId: record.id });
  return { outcome: 'recorded', record: answered, response: input.response };
}

/** The message a SIEM reads from its queue (MozDef's triage-bot shape). */
export function siemMessage(record: TriageRecord): Record<string, unknown> {
  return {
    identifier: record.identifier ?? record.fingerprint ?? record.id,
    user: { email: record.email, ...personOnPlatform(askedPerson(record)) },
    identityConfidence: record.identityConfidence,
    response: record.response,
  };
}

/** The person's id under their platform's name (MozDef's `slack` key for a Slack user). */
function personOnPlatform(person: ChatPerson | undefined): Record<string, string> {
  return person ? { [person.platform]: person.id } : {};
}

function commentFor(record: TriageRecord): string {
  const answer =
    record.response === 'noanswer' || !record.response
      ? 'no answer in time'
      : TRIAGE_ANSWERS[record.response];
  const person = askedPerson(record);
  const on = `${CHAT_PLATFORM_NAMES[person?.platform ?? 'slack']} ${escapeMarkdown(person?.id ?? 'unknown')}`;
  return (
    `**Was this you?** ${escapeMarkdown(record.email)} (${on}) ` +
    `answered: **${escapeMarkdown(answer)}**${record.answeredAt ? ` at ${escapeMarkdown(record.answeredAt)}` : ''}.`
  );
}

/** Marks one follow-up step done on the record. */
async function markDone(deps: Deps, id: string, step: keyof TriageRecord['done']): Promise<void> {
  await updateRecord(deps, id, (current) => ({ ...current, done: { ...current.done, [step]: true } }));
}

/**
 * Tells everyone what came of a closed question: the thread (with the on-call group paged on "No"),
 * the TheHive case, the SIEM's queue. Each step is marked done, so a retry repeats none.
 */
async function reportOutcome(record: TriageRecord, deps: AnalystWorkerDeps): Promise<void> {
  const person = askedPerson(record) ?? { platform: 'slack', id: '' };
  const alert = record.fingerprint ? await deps.store.getAlert(record.fingerprint) : undefined;
  if (!record.done.threaded) {
    const note: ThreadNote =
      record.response === 'noanswer' || !record.response
        ? { kind: 'triage-no-answer', person, timeoutMinutes: record.timeoutMinutes }
        : {
            kind: 'triage-answered',
            person,
            response: record.response,
            ...(deps.config.slack.onCall ? { onCall: deps.config.slack.onCall } : {}),
          };
    const threaded = await replyUnderAlert(record, 'threaded', note, deps);
    if (!threaded && record.response === 'no' && !record.done.raised) {
      // Nowhere to thread it: a "No" still has to reach people, in the Slack alerts channel.
      await deps.slack.post(
        deps.config.slack.alertChannel,
        triageRaisedMessage({ record, slackUserId: slackName(person), onCall: deps.config.slack.onCall }),
      );
      await markDone(deps, record.id, 'raised');
    }
    await markDone(deps, record.id, 'threaded');
  }
  if (!record.done.commented && alert?.caseId) {
    await theHiveFor(deps, alert.finding.customer).comments.createInCase(alert.caseId, commentFor(record));
    await markDone(deps, record.id, 'commented');
  }
  const queueUrl = deps.config.file.triage?.siemQueueUrl;
  if (!record.done.siem && queueUrl) {
    await deps.queueMessages.send(queueUrl, siemMessage(record));
    await markDone(deps, record.id, 'siem');
    await deps.store.appendAudit({
      fingerprint: triageAuditKey(record),
      actor: { kind: 'system' },
      action: 'triage-sent-to-siem',
      details: { triageId: record.id, response: record.response },
    });
  }
}

/** The worker's half of an answer. */
export async function followUpTriage(job: JobOf<'triage-followup'>, deps: AnalystWorkerDeps): Promise<void> {
  const record = await readRecord(deps, job.triageId);
  if (!record || (record.state !== 'answered' && record.state !== 'expired')) return;
  await reportOutcome(record, deps);
}

/**
 * Closes an unanswered question when it is due: the DM says it expired, the thread and the SIEM hear
 * "no answer". Run early (a hop of a long SQS delay), it schedules itself again.
 */
export async function expireTriage(job: JobOf<'triage-timeout'>, deps: AnalystWorkerDeps): Promise<void> {
  if (msUntil(job.dueAt, deps.now()) > 0) {
    await deps.delayedJobs.enqueueWhenDue(job);
    return;
  }
  const record = await readRecord(deps, job.triageId);
  if (!record || record.state !== 'asked') {
    if (record?.state === 'expired') await reportOutcome(record, deps);
    return;
  }
  if (!(await deps.store.claimDelivery(closedKey(record.id), TRIAGE_CLAIM_TTL_SECONDS))) return;
  const expired =
    (await updateRecord(deps, record.id, (current) => ({
      ...current,
      state: 'expired',
      response: 'noanswer',
    }))) ?? record;
  await deps.store.appendAudit({
    fingerprint: triageAuditKey(expired),
    actor: { kind: 'system' },
    action: 'triage-expired',
    details: { triageId: record.id, email: record.email, timeoutMinutes: record.timeoutMinutes },
  });
  const person = askedPerson(expired);
  const chat = person && deps.chats[person.platform];
  if (person && chat && expired.channel && expired.ts)
    await chat.updateDirectMessage(
      { platform: person.platform, channel: expired.channel, messageId: expired.ts },
      person,
      { kind: 'triage-closed', record: expired, response: 'noanswer' },
    );
  await reportOutcome(expired, deps);
}
