/**
 * The store port: alert records, the case → alert index, the append-only audit trail, settings and
 * delivery keys. Every state change is a conditional write, so concurrent clicks, retries and
 * redelivered webhooks cannot duplicate a case or a thread reply.
 */
import type { Finding, Severity } from '../findings/finding';

export type AlertState = 'open' | 'escalating' | 'escalated' | 'ignored';

/** What Hivewire last knew of the TheHive case, so replies can say "New → InProgress". */
export interface CaseSnapshot {
  status: string;
  stage: string;
  severity?: number;
  assignee?: string;
  title?: string;
  tags?: string[];
  tlp?: number;
  pap?: number;
  summary?: string;
  impactStatus?: string;
  /** Set when the case was deleted or merged away in TheHive. */
  gone?: 'deleted' | 'merged';
}

/**
 * One change to a TheHive case, as the status sync found it (TheHive names only new values; `from`
 * is what Hivewire knew before). `actor` is the TheHive login that made the change.
 */
export type CaseChange =
  | { field: 'status'; from?: string; to: string; stage: string; summary?: string; actor: string }
  | { field: 'assignee'; from?: string; to?: string; toSlackUser?: string; actor: string }
  | { field: 'severity' | 'tlp' | 'pap'; from?: number; to?: number; actor: string }
  | { field: 'title'; from?: string; to?: string; actor: string }
  | { field: 'tags'; added: string[]; removed: string[]; actor: string }
  | { field: 'gone'; to: 'deleted' | 'merged'; actor: string };

/** A finding as stored with its alert: everything but the raw event (kept in the audit trail). */
export type FindingSnapshot = Omit<Finding, 'raw'>;

export interface AlertRecord {
  fingerprint: string;
  finding: FindingSnapshot;
  channel: string;
  /** Slack `ts` of the root alert message, once posted. */
  ts?: string;
  permalink?: string;
  count: number;
  severity: Severity;
  firstSeen: string;
  lastSeen: string;
  state: AlertState;
  escalatedBy?: string;
  escalatedAt?: string;
  caseId?: string;
  caseNumber?: number;
  caseUrl?: string;
  case?: CaseSnapshot;
  /** TheHive `_updatedAt` (epoch ms) of the last case change applied: older changes are not applied again. */
  caseUpdatedAt?: number;
  ignoredBy?: string;
  ignoredAt?: string;
  ignoreReason?: string;
  /** The last failure shown in the thread (cleared on success). */
  lastError?: string;
  /** When a worker claimed posting the root message (a lease, so a crashed post is retried once it lapses). */
  postingSince?: string;
  /** Which process holds that lease (see `Deps.leases`). */
  postingBy?: string;
  /** When the first post not yet confirmed began (the message may exist in Slack without its `ts` here). */
  postAttemptedAt?: string;
  /** Thread reply announcing the case, once posted. */
  caseReplyTs?: string;
  /** When the Security Hub finding was marked NOTIFIED with the case link. */
  securityHubNotifiedAt?: string;
  /**
   * Thread replies decided by a conditional write but not yet delivered to Slack: written together with the
   * state change they describe, so a failed delivery is retried and a redelivered change adds none.
   */
  pendingReplies?: PendingReply[];
  /** A Security Hub workflow update decided with a case change, not yet applied. */
  pendingWorkflow?: { status: 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED'; note: string };
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version: every write names the version it read. */
  version: number;
}

/** A rendered Slack message waiting to be threaded under the alert. */
export interface PendingReply {
  id: string;
  text: string;
  blocks: unknown[];
  /** A TheHive case change (counted as `CaseUpdatesThreaded` once posted), not an analyst's action. */
  caseUpdate?: true;
}

export type AuditActor = { kind: 'slack'; id: string } | { kind: 'thehive'; id: string } | { kind: 'system' };

export interface AuditEvent {
  fingerprint: string;
  caseId?: string;
  /** ISO-8601, with a sequence suffix added by the store so events at the same millisecond keep their order. */
  at: string;
  actor: AuditActor;
  action: string;
  details?: Record<string, unknown>;
}

/** An audit event to append: `at` is now unless given. */
export type NewAuditEvent = Omit<AuditEvent, 'at'> & { at?: string };

/**
 * One message of a case's conversation copied to the other side: a person's Slack message in the
 * alert's thread (key `slack:<channel>:<ts>`) became a TheHive comment, or a TheHive comment (key
 * `thehive:<commentId>`) became a thread reply; `before:<channel>:<threadTs>` marks a thread people
 * wrote in before its case existed, summarised in one comment at escalation. Created with a conditional write before the copy is
 * made, so retries, double deliveries and concurrent workers make one copy; a comment Hivewire wrote
 * itself also gets a `thehive:` item (`own`), so it is never copied back.
 */
export interface ConversationCopy {
  key: string;
  fingerprint: string;
  caseId: string;
  direction: 'slack-to-thehive' | 'thehive-to-slack';
  /** A comment Hivewire wrote (from Slack): never threaded back. */
  own?: true;
  /** A Slack message said before the case, part of the one comment summarising them: not copied on its own. */
  inSummary?: true;
  /** The TheHive comment: the copy (from Slack) or the original (to Slack). */
  commentId?: string;
  /** The Slack message: the original (to TheHive) or the copy (from TheHive). */
  channel?: string;
  ts?: string;
  permalink?: string;
  /** Who wrote the original: a Slack user id, or a TheHive login. */
  author?: string;
  /** The name Slack showed for the author when the message was copied. */
  authorName?: string;
  /** The original's newest text (Slack mrkdwn, or TheHive Markdown). */
  text?: string;
  /** Files shared with a Slack message: named in the comment with their permalink. */
  files?: { name: string; permalink?: string }[];
  /** The `ts` of the newest version of a Slack message (its own, or its last edit's): older edits are not applied. */
  revision?: string;
  /** When the original was deleted (ISO-8601): the copy then says so. */
  deletedAt?: string;
  /** The revision the copy shows (`<revision>` or `<revision>#deleted`); behind `revision` while an edit is being written. */
  appliedRevision?: string;
  /** When a worker started making the copy (epoch ms): another one waits until it lapses. */
  claimedAt?: number;
  /** Set once the copy exists on the other side. */
  copiedAt?: string;
  version: number;
}

/** A rejected input or a job that failed for good, kept so nothing is lost. */
export interface DeadLetter {
  id: string;
  at: string;
  kind: string;
  error: string;
  payload: unknown;
}

/**
 * A job of the local queue, kept from before its enqueue resolves until it is done, so a process that
 * stops (even killed) resumes it at its next start. (In AWS, SQS keeps the jobs.)
 */
export interface PendingJob {
  /** Unique, and in enqueue order: `<enqueuedAt>#<random>`. */
  id: string;
  /** The job as queued (JSON-safe; read back through the queue's validation). */
  job: unknown;
  /** Attempts started so far: one that was running when the process stopped counts. */
  attempts: number;
  /** Not to run before this time (ISO-8601): a retry's backoff or a delayed job's due time. */
  notBefore: string;
}

/** Thrown when a conditional write finds the record changed since it was read. */
export class ConflictError extends Error {
  constructor(message = 'the record changed since it was read') {
    super(message);
    this.name = 'ConflictError';
  }
}

export interface Store {
  getAlert(fingerprint: string): Promise<AlertRecord | undefined>;
  /**
   * Creates the record with `events` as the start of its audit trail, in one write; resolves false (and
   * writes nothing) when one already exists.
   */
  createAlert(record: Omit<AlertRecord, 'version'>, events?: NewAuditEvent[]): Promise<boolean>;
  /**
   * Writes `record` and appends `events` to its audit trail only if the stored version is still
   * `record.version`; throws ConflictError (nothing written) otherwise. Returns the new record.
   */
  putAlert(record: AlertRecord, events?: NewAuditEvent[]): Promise<AlertRecord>;
  /** The alert a TheHive case belongs to (by `_id` such as `~123`, or by case number). */
  findAlertByCase(caseIdOrNumber: string | number): Promise<AlertRecord | undefined>;
  /** Alerts with a case that is not closed, for the reconcile job. */
  listFollowedCases(): Promise<AlertRecord[]>;
  /** The most recent alerts, newest first. */
  listAlerts(limit: number): Promise<AlertRecord[]>;

  /** The alert whose root message is `ts` in `channel`; indexed once the alert has a case. */
  findAlertByThread(channel: string, ts: string): Promise<AlertRecord | undefined>;

  getConversationCopy(key: string): Promise<ConversationCopy | undefined>;
  /** Creates the copy at version 1; false (nothing written) when `key` has one already. */
  createConversationCopy(copy: Omit<ConversationCopy, 'version'>): Promise<boolean>;
  /** Writes `copy` as version + 1 if the stored version is still `copy.version`; ConflictError otherwise. */
  putConversationCopy(copy: ConversationCopy): Promise<ConversationCopy>;

  appendAudit(event: NewAuditEvent): Promise<AuditEvent>;
  listAudit(fingerprint: string): Promise<AuditEvent[]>;

  /** Claims a delivery key (Slack event id, webhook request id, …) once; false when already claimed. */
  claimDelivery(key: string, ttlSeconds: number): Promise<boolean>;

  getSetting<T>(name: string): Promise<T | undefined>;
  putSetting<T>(name: string, value: T): Promise<void>;

  putDeadLetter(letter: Omit<DeadLetter, 'id' | 'at'>): Promise<DeadLetter>;
  listDeadLetters(limit: number): Promise<DeadLetter[]>;

  /** Keeps a new pending job (a conditional write: an id is never reused). */
  putJob(job: PendingJob): Promise<void>;
  /** Records an attempt started or a retry's wait; false (nothing written) when the job is no longer pending. */
  updateJob(id: string, progress: Pick<PendingJob, 'attempts' | 'notBefore'>): Promise<boolean>;
  /** Forgets a job that is done (or dead-lettered). */
  deleteJob(id: string): Promise<void>;
  /** Every pending job, oldest first. */
  listPendingJobs(): Promise<PendingJob[]>;
}

export interface UpdateAlertOptions {
  /** The record as the caller last read or wrote it: the first attempt starts from it instead of a read. */
  known?: AlertRecord;
  /** Audit events written with the change, in the same write (and not at all when nothing changes). */
  events?: NewAuditEvent[];
  attempts?: number;
}

/**
 * Read-modify-write with optimistic concurrency: re-reads and re-applies `change` when another
 * writer got there first. `change` returns the new record, or `undefined` to write nothing.
 */
export async function updateAlert(
  store: Store,
  fingerprint: string,
  change: (current: AlertRecord) => AlertRecord | undefined,
  options: UpdateAlertOptions = {},
): Promise<{ before: AlertRecord; after: AlertRecord } | undefined> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const current = attempt === 0 && options.known ? options.known : await store.getAlert(fingerprint);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return undefined;
    try {
      const after = await store.putAlert(
        { ...next, version: current.version, updatedAt: new Date().toISOString() },
        options.events,
      );
      return { before: current, after };
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError(`alert ${fingerprint}: gave up after ${attempts} concurrent updates`);
}

/**
 * Read-modify-write of a conversation copy with optimistic concurrency (as `updateAlert`): `change`
 * returns the new copy, or `undefined` to write nothing. Undefined when the copy does not exist.
 */
export async function updateConversationCopy(
  store: Store,
  key: string,
  change: (current: ConversationCopy) => ConversationCopy | undefined,
  attempts = 10,
): Promise<ConversationCopy | undefined> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const current = await store.getConversationCopy(key);
    if (!current) return undefined;
    const next = change(current);
    if (!next) return current;
    try {
      return await store.putConversationCopy({ ...next, version: current.version });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  throw new ConflictError(`conversation copy ${key}: gave up after ${attempts} concurrent updates`);
}
