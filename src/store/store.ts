/**
 * The store port: alert records, the case → alert index, the append-only audit trail, settings and
 * delivery keys. Every state change is a conditional write, so concurrent clicks, retries and
 * redelivered webhooks cannot duplicate a case or a thread reply.
 */
import type { AlertRecord } from '../domain/alert';
import type { AuditEvent, NewAuditEvent } from '../domain/audit';
import type { ConversationCopy } from '../domain/conversation';

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

/** A channel's new findings in one minute (`window`, minutes since the epoch) and in the minute before. */
export interface StormCount {
  current: number;
  previous: number;
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
   * The alerts of several fingerprints at once (a batch of findings), strongly consistent: every
   * fingerprint asked is a key of the answer, undefined when it has no alert.
   */
  getAlerts(fingerprints: readonly string[]): Promise<Map<string, AlertRecord | undefined>>;
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
  /**
   * The alert a TheHive case belongs to (by `_id` such as `~123`, or by case number within
   * `organisation`: TheHive numbers cases per organisation).
   */
  findAlertByCase(caseIdOrNumber: string | number, organisation?: string): Promise<AlertRecord | undefined>;
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

  /**
   * Adds `added` new findings to `channel`'s storm count for minute `window` (and `addedBefore` to the
   * minute before, findings counted late), atomically, so every process and container counts into the
   * same total; resolves to both minutes' totals after the addition.
   */
  addStormArrivals(channel: string, window: number, added: number, addedBefore?: number): Promise<StormCount>;

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

/** The longest wait before another try at a conditional write that lost (see `afterConflict`). */
const CONFLICT_BACKOFF_CAP_MS = 1_000;
/** The longest wait after the first loss; it doubles with each further loss, up to the cap. */
const CONFLICT_BACKOFF_MS = 10;

/**
 * Waits before another try at a conditional write that lost its race (`losses` so far): a random time
 * up to a ceiling that doubles with each loss. Writers that lost together then re-read apart, and each
 * round costs one win and few losses. Without it every loser re-reads and re-writes at once: n writers
 * on one item take about n²/2 writes (50 racing increments: ~1,200 writes; with it, ~450).
 */
function afterConflict(losses: number): Promise<void> {
  const ceilingMs = Math.min(CONFLICT_BACKOFF_CAP_MS, CONFLICT_BACKOFF_MS * 2 ** (losses - 1));
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}

/**
 * Read-modify-write with optimistic concurrency: re-reads and re-applies `change` when another
 * writer got there first (after a short random wait, `afterConflict`). `change` returns the new
 * record, or `undefined` to write nothing.
 */
export async function updateAlert(
  store: Store,
  fingerprint: string,
  change: (current: AlertRecord) => AlertRecord | undefined,
  options: UpdateAlertOptions = {},
): Promise<{ before: AlertRecord; after: AlertRecord } | undefined> {
  const attempts = options.attempts ?? 10;
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await afterConflict(attempt);
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
 * Read-modify-write of a conversation copy with optimistic concurrency (as `updateAlert`, with its
 * wait between tries): `change` returns the new copy, or `undefined` to write nothing. Undefined when
 * the copy does not exist.
 */
export async function updateConversationCopy(
  store: Store,
  key: string,
  change: (current: ConversationCopy) => ConversationCopy | undefined,
  attempts = 10,
): Promise<ConversationCopy | undefined> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0) await afterConflict(attempt);
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
