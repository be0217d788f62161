/**
 * Storms. Enabling a Security Hub standard across an organisation produces thousands of findings at
 * once, and Slack takes about one post per second per channel: posted one by one they would fill the
 * channel for hours. So once a channel's backlog passes `storms.threshold` (new findings for it within
 * the last minute, each a post Slack would take a second for), its new findings are grouped
 * by finding type (the Security Hub control, such as `S3.8`) and account into one digest alert per
 * `storms.digestMinutes`: "37 new findings: S3.8 in payments-prod".
 *
 * A digest is an alert like any other (render, Create Case, Ignore, the case threaded back): its finding
 * combines the members' (highest severity, every distinct observable up to the most an alert keeps) and
 * its description lists them. Each member is still an alert record of its own, with its `received`
 * event and a `digested` one naming the digest, so the store and the audit keep every finding. A member
 * delivered again once the storm is over, with something newer, is posted on its own and links to its
 * digest (in Slack and in the case TheHive gets).
 *
 * The backlog is a count per channel and minute kept in the store (`addStormArrivals`, one atomic
 * UpdateItem), so every container and every restart sees the same storm.
 *
 * Cost: a finding grouped into a known digest costs the store what a new alert does (read, create, one
 * conditional update of the digest, which this process keeps as it last wrote it), and Slack nothing: the
 * digest's message is re-rendered by a `refresh-digest` job at most every DIGEST_REFRESH_MS. The storm
 * count adds one request per channel at a process's first new finding of each minute and at every
 * STORM_COUNT_EVERY-th after.
 */
import { controlId } from '../../blocks/facts';
import type { Deps, IngestDeps } from '../wiring/deps';
import type { AlertRecord, DigestMember, DigestSummary, FindingSnapshot } from '../domain/alert';
import type { NewAuditEvent } from '../domain/audit';
import { severityRank, type Finding, type Observable, type Severity } from '../domain/finding';
import { fingerprintOf } from '../findings/fingerprint';
import type { DelayingQueue, JobOf, Queue } from '../queue/jobs';
import { updateAlert, type Store } from '../store/store';
import { updateEverywhere, type PlatformDeps } from './platforms';

/** The storm count's unit: Slack's pace is per second, so a minute of it (the backlog is this minute's and the last). */
const BACKLOG_WINDOW_MS = 60_000;
/** Findings a digest names one by one; the rest are counted. */
export const DIGEST_LISTED_MAX = 25;
/** Distinct observables a digest keeps: the most the store keeps of any finding's (store/item-size.ts). */
export const DIGEST_OBSERVABLES_MAX = 500;
/**
 * How long a digest's message may lag behind its record: at most one `chat.update` per digest per this
 * (Slack allows about 50 a minute per method), however fast its findings come.
 */
export const DIGEST_REFRESH_MS = 30_000;
/** A refresh due this long ago and still marked was lost (its job failed for good): the next member queues another. */
const REFRESH_LOST_MS = 15 * 60_000;
/** Digests this process remembers as it last wrote them (a storm has dozens, not thousands). */
const KNOWN_DIGESTS_MAX = 1_000;

/** A process writes its count of a channel at its first new finding of each minute and at every this many. */
export const STORM_COUNT_EVERY = 5;

/**
 * What this process knows of each channel's storm count (the store's, as of its last write there) and
 * the new findings it counted since without writing them (`pending`): per store, so two runtimes in one
 * process count as two containers do.
 */
interface KnownCount {
  window: number;
  current: number;
  previous: number;
  pending: number;
}

const knownCounts = new WeakMap<Store, Map<string, KnownCount>>();

/**
 * The channel's new findings before this one, within the current minute and the one before (one to two
 * minutes), counting `added` (1 for a new finding, 0 to only look). The count lives in the store, so every
 * container sees the others' findings: it is written (and read back in the same request) at this
 * process's first new finding of the channel in each minute and at every STORM_COUNT_EVERY-th; in
 * between, the findings this process counted are added to what it last read.
 */
async function backlog(channel: string, deps: Pick<Deps, 'store' | 'now'>, added: 0 | 1): Promise<number> {
  const window = Math.floor(deps.now().getTime() / BACKLOG_WINDOW_MS);
  let channels = knownCounts.get(deps.store);
  if (!channels) {
    channels = new Map();
    knownCounts.set(deps.store, channels);
  }
  const known = channels.get(channel);
  if (known?.window === window && known.pending + added < STORM_COUNT_EVERY) {
    known.pending += added;
    return known.current + known.previous + known.pending - added;
  }
  // Findings counted but not written yet go to their own minute (the one before, when it has just ended).
  const unwritten = known?.window === window ? known.pending : 0;
  const late = known?.window === window - 1 ? known.pending : 0;
  // Taken before the request (jobs run concurrently): what others count while it is under way stays pending.
  const entry = known?.window === window ? known : { window, current: 0, previous: 0, pending: 0 };
  entry.pending = 0;
  channels.set(channel, entry);
  const count = await deps.store.addStormArrivals(channel, window, unwritten + added, late);
  // Requests answered out of order: the higher totals are the later ones.
  entry.current = Math.max(entry.current, count.current);
  entry.previous = Math.max(entry.previous, count.previous);
  return entry.current + entry.previous + entry.pending - added;
}

/**
 * Whether a channel is in a storm: `storms.threshold` new findings came for it within the last one to two
 * minutes (store.ts `addStormArrivals`, counted by every container), each of which would be a post Slack
 * takes one a second for. Digested findings count too, so the storm lasts as long as the findings keep
 * coming. `added`: 1 counts a new finding first (the answer is then whether the storm was on when it came).
 */
async function stormOn(
  channel: string,
  deps: Pick<Deps, 'config' | 'store' | 'now'>,
  added: 0 | 1,
): Promise<boolean> {
  const { enabled, threshold } = deps.config.file.storms;
  // Off: nothing counted, nothing written.
  return enabled && (await backlog(channel, deps, added)) >= threshold;
}

/** Whether `channel` is in a storm now (see `stormOn`). */
export const inStorm = (channel: string, deps: Pick<Deps, 'config' | 'store' | 'now'>) =>
  stormOn(channel, deps, 0);

/** Counts a new finding for `channel` and answers whether the channel was in a storm when it came. */
export const newFindingInStorm = (channel: string, deps: Pick<Deps, 'config' | 'store' | 'now'>) =>
  stormOn(channel, deps, 1);

/** What a digest groups by: the finding type (a Security Hub control by its id) and the account. */
export function digestGroup(finding: FindingSnapshot): { type: string; account: string } {
  const control =
    finding.kind === 'compliance' && finding.source === 'securityhub' ? controlId(finding) : undefined;
  return {
    type: control ?? finding.type,
    account: finding.accountName ?? finding.accountId ?? finding.customer,
  };
}

/**
 * The digest a finding of this channel joins at `now`: one per group and `digestMinutes` period, the
 * same in every process (its creation is a conditional write, so two containers meet on one digest).
 */
export function digestFingerprint(
  finding: Finding,
  channel: string,
  now: Date,
  digestMinutes: number,
): string {
  const period = Math.floor(now.getTime() / (digestMinutes * 60_000));
  const { type } = digestGroup(finding);
  return fingerprintOf('dg', [channel, finding.customer, finding.accountId ?? '', type, period].join('\n'));
}

/** The audit event that ties a finding to the digest it was grouped into. */
export function digestedEvent(fingerprint: string, digest: string): NewAuditEvent {
  return { fingerprint, actor: { kind: 'system' }, action: 'digested', details: { digest } };
}

function memberOf(finding: Finding): DigestMember {
  const resource = finding.resource
    ? `${finding.resource.kind} ${finding.resource.name ?? finding.resource.id}`
    : undefined;
  return {
    fingerprint: finding.fingerprint,
    title: finding.title,
    severity: finding.severity,
    ...(resource ? { resource } : {}),
  };
}

function titleOf(count: number, { type, account }: DigestSummary['group']): string {
  return `${count} new finding${count === 1 ? '' : 's'}: ${type} in ${account}`;
}

/** The digest's description: what it is, then its members one per line (plain text, escaped where it lands). */
function descriptionOf(count: number, listed: readonly DigestMember[]): string {
  const lines = listed.map(
    (member) => `• ${member.severity} · ${member.title}${member.resource ? ` · ${member.resource}` : ''}`,
  );
  const more = count - listed.length;
  return [
    'Grouped into one alert: this channel had more new findings than Slack shows one by one. ' +
      'Each finding is kept with its own record and audit trail.',
    ...lines,
    ...(more > 0 ? [`+${more} more`] : []),
  ].join('\n');
}

function observableKey(observable: Observable): string {
  return `${observable.dataType}\n${observable.data}`;
}

function higher(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

/** The digest record for its first member: open, with no message yet. */
export function newDigestRecord(
  finding: Finding,
  fingerprint: string,
  channel: string,
  now: Date,
): Omit<AlertRecord, 'version'> {
  const at = now.toISOString();
  const group = digestGroup(finding);
  const {
    raw: _raw,
    resource: _resource,
    consoleUrl: _url,
    actor: _actor,
    securityHub: _ref,
    ...shared
  } = finding;
  const empty: AlertRecord = {
    fingerprint,
    finding: {
      ...shared,
      fingerprint,
      sourceId: fingerprint,
      title: titleOf(0, group),
      description: descriptionOf(0, []),
      sourceSeverity: 'highest of the group',
      observables: [],
      count: 0,
      workflowStatus: undefined,
    },
    channel,
    count: 0,
    severity: finding.severity,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    state: 'open',
    digest: { group, count: 0, listed: [], observablesLeftOut: 0 },
    createdAt: at,
    updatedAt: at,
    version: 0,
  };
  const { version: _version, ...record } = withMember(empty, finding);
  return record;
}

/** The digest with one more member: count, list, severity, times and observables. */
export function withMember(digest: AlertRecord, finding: Finding): AlertRecord {
  const summary = digest.digest ?? {
    group: digestGroup(digest.finding),
    count: 0,
    listed: [],
    observablesLeftOut: 0,
  };
  const count = summary.count + 1;
  const listed =
    summary.listed.length < DIGEST_LISTED_MAX ? [...summary.listed, memberOf(finding)] : summary.listed;
  const observables = [...digest.finding.observables];
  const seen = new Set(observables.map(observableKey));
  let leftOut = summary.observablesLeftOut;
  for (const observable of finding.observables) {
    const key = observableKey(observable);
    if (seen.has(key)) continue;
    seen.add(key);
    if (observables.length < DIGEST_OBSERVABLES_MAX) observables.push(observable);
    else leftOut += 1;
  }
  const severity = higher(digest.severity, finding.severity);
  const firstSeen = finding.firstSeen < digest.firstSeen ? finding.firstSeen : digest.firstSeen;
  const lastSeen = finding.lastSeen > digest.lastSeen ? finding.lastSeen : digest.lastSeen;
  return {
    ...digest,
    finding: {
      ...digest.finding,
      title: titleOf(count, summary.group),
      description: descriptionOf(count, listed),
      severity,
      observables,
      firstSeen,
      lastSeen,
      updatedAt: finding.updatedAt > digest.finding.updatedAt ? finding.updatedAt : digest.finding.updatedAt,
      count,
    },
    count,
    severity,
    firstSeen,
    lastSeen,
    digest: { ...summary, count, listed, observablesLeftOut: leftOut },
  };
}

/** Whether a digest's message needs a refresh queued: posted, and none queued (or the one queued was lost). */
function refreshWanted(digest: AlertRecord, now: Date): boolean {
  if (!digest.ts) return false;
  const due = digest.digest?.refreshDue;
  return due === undefined || now.getTime() - Date.parse(due) >= REFRESH_LOST_MS;
}

const knownDigests = new WeakMap<Store, Map<string, AlertRecord>>();

/** The digests this process wrote last, per store: the next member starts from them instead of a read. */
function known(store: Store): Map<string, AlertRecord> {
  let digests = knownDigests.get(store);
  if (!digests) {
    digests = new Map();
    knownDigests.set(store, digests);
  }
  return digests;
}

function remember(store: Store, digest: AlertRecord): void {
  const digests = known(store);
  if (digests.size >= KNOWN_DIGESTS_MAX && !digests.has(digest.fingerprint)) digests.clear();
  digests.set(digest.fingerprint, digest);
}

/**
 * Posts a digest's root message: `claimed` when this delivery created it with the claim to post, else
 * the record as last written (the post then takes the claim, unless another delivery holds it).
 */
export type DigestPoster = (digest: AlertRecord, claimed: boolean) => Promise<AlertRecord | undefined>;

/**
 * Adds a finding (already kept as its own record, with its `digested` event) to the digest named, creating
 * and posting the digest for its first member.
 */
export async function addToDigest(
  finding: Finding,
  fingerprint: string,
  channel: string,
  deps: IngestDeps,
  post: DigestPoster,
): Promise<void> {
  const { store } = deps;
  const now = deps.now();
  const last = known(store).get(fingerprint);
  if (!last) {
    const record = {
      ...newDigestRecord(finding, fingerprint, channel, now),
      postingSince: now.toISOString(),
      postingBy: deps.leases?.holder,
      postAttemptedAt: now.toISOString(),
    };
    const opened: NewAuditEvent = {
      fingerprint,
      actor: { kind: 'system' },
      action: 'digest-opened',
      details: { channel, ...digestGroup(finding), first: finding.fingerprint },
    };
    if (await store.createAlert(record, [opened])) {
      const created = { ...record, version: 1 };
      remember(store, created);
      const posted = await post(created, true);
      if (posted) remember(store, posted);
      return;
    }
    // Another delivery (or container) opened it first: join it.
  }

  let queueRefresh = false;
  const changed = await updateAlert(
    store,
    fingerprint,
    (digest) => {
      const next = withMember(digest, finding);
      queueRefresh = refreshWanted(digest, now);
      if (!queueRefresh) return next;
      const due = new Date(now.getTime() + DIGEST_REFRESH_MS).toISOString();
      return { ...next, digest: { ...next.digest!, refreshDue: due } };
    },
    { known: last },
  );
  if (!changed) return;
  const { after } = changed;
  remember(store, after);
  if (queueRefresh && after.digest?.refreshDue) {
    const job = { kind: 'refresh-digest' as const, fingerprint, dueAt: after.digest.refreshDue };
    const queue = deps.queue as Queue | DelayingQueue;
    if ('enqueueAt' in queue) await queue.enqueueAt(job, new Date(Date.now() + DIGEST_REFRESH_MS));
    else await queue.enqueue(job);
  } else if (!after.ts) {
    // Its first post failed, or its poster stopped: post it now (unless that poster is still at it).
    const posted = await post(after, false);
    if (posted) remember(store, posted);
  }
}

/** The `refresh-digest` job: shows the digest's members as they are now (and lets the next change queue another). */
export async function refreshDigest(job: JobOf<'refresh-digest'>, deps: PlatformDeps): Promise<void> {
  const cleared = await updateAlert(deps.store, job.fingerprint, (digest) =>
    digest.digest?.refreshDue
      ? { ...digest, digest: { ...digest.digest, refreshDue: undefined } }
      : undefined,
  );
  const digest = cleared?.after;
  if (digest) await updateEverywhere(digest, deps);
}

/**
 * A member about to be posted on its own, with its digest's Slack link (read once, then kept with it),
 * so its message and its case lead back to the digest it was first shown in.
 */
export async function withDigestLink(member: AlertRecord, deps: Pick<Deps, 'store'>): Promise<AlertRecord> {
  if (!member.inDigest || member.inDigest.permalink) return member;
  const digest = await deps.store.getAlert(member.inDigest.fingerprint);
  const permalink = digest?.permalink;
  if (!permalink) return member;
  const saved = await updateAlert(
    deps.store,
    member.fingerprint,
    (current) =>
      current.inDigest ? { ...current, inDigest: { ...current.inDigest, permalink } } : undefined,
    { known: member },
  );
  return saved?.after ?? member;
}
