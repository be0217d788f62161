/**
 * Ingest: a normalised finding becomes one alert, posted on Slack and on every other platform its
 * customer routes to (platforms.ts). The same fingerprint again (GuardDuty republishes with a growing
 * `service.count`; a GuardDuty finding also arrives through Security Hub) edits the existing messages
 * instead of posting new ones (or says "seen again" in the thread where a platform cannot edit).
 *
 * Store round trips are the cost of ingest (each is an HTTP request to DynamoDB): a new finding takes
 * three (read; create with the posting claim and its `received` event; save the posted message with
 * its `posted` event), a skipped one (below the threshold, or nothing newer) one; with storms on, the
 * channel's storm count adds one at a process's first new finding of each minute and at every fifth
 * (storm.ts). Every write is still conditional: a concurrent delivery makes a write fail, and only then
 * is the record read again.
 */
import { askAutomatically } from '../triage/triage';
import type { IngestDeps } from '../wiring/deps';
import { enrichFinding } from '../enrich/enrich';
import { severityRank, type Finding, type NormalisedFinding, type Severity } from '../domain/finding';
import { parseEvent, type ParseResult } from '../findings/parse';
import { alertView } from './render';
import { postToPlatforms, replyEverywhere, showRepublished } from './platforms';
import { admitNewFinding } from './admission';
import { updateAlert } from '../store/store';
import type { AlertRecord, FindingSnapshot } from '../domain/alert';
import { countUnparsed, type CountMetric } from '../observability/metrics';
import {
  addToDigest,
  digestedEvent,
  digestFingerprint,
  inStorm,
  newFindingInStorm,
  withDigestLink,
} from './storm';

export type IngestOutcome = 'posted' | 'digested' | 'updated' | 'unchanged' | 'below-threshold';

export interface IngestResult {
  fingerprint: string;
  outcome: IngestOutcome;
}

/** How long a claim to post the root message holds before another delivery may retry the post. */
const POSTING_LEASE_MS = 60_000;
/** The raw event kept in the audit trail is capped: the store's items are limited to 400 KB. */
const AUDIT_RAW_LIMIT = 64 * 1024;

function snapshot(finding: Finding): FindingSnapshot {
  const { raw: _raw, ...rest } = finding;
  return rest;
}

/** The record of a finding not yet seen: open, not yet posted. */
export function newAlertRecord(finding: Finding, channel: string, now: Date): Omit<AlertRecord, 'version'> {
  const at = now.toISOString();
  return {
    fingerprint: finding.fingerprint,
    finding: snapshot(finding),
    channel,
    count: finding.count,
    severity: finding.severity,
    firstSeen: finding.firstSeen,
    lastSeen: finding.lastSeen,
    state: 'open',
    createdAt: at,
    updatedAt: at,
  };
}

function rawForAudit(raw: unknown): unknown {
  const text = JSON.stringify(raw) ?? '';
  return text.length <= AUDIT_RAW_LIMIT ? raw : { truncated: true, head: text.slice(0, AUDIT_RAW_LIMIT) };
}

function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) >= severityRank(b) ? a : b;
}

function isNewer(finding: NormalisedFinding, alert: AlertRecord): boolean {
  return (
    finding.count > alert.count ||
    finding.updatedAt > alert.finding.updatedAt ||
    severityRank(finding.severity) > severityRank(alert.severity)
  );
}

/**
 * Posts or updates the Slack alert for one finding.
 *
 * @example
 *   const { outcome } = await ingestFinding(finding, deps); // 'posted' the first time, then 'updated'
 */
export async function ingestFinding(
  normalised: NormalisedFinding,
  deps: IngestDeps,
  options: IngestOptions = {},
): Promise<IngestResult> {
  deps.metrics.count('FindingsReceived', normalised.source);
  const result = await postOrUpdate(normalised, deps, options);
  deps.metrics.count(OUTCOME_METRICS[result.outcome], normalised.source);
  return result;
}

/** What operators count of each outcome: posted, updated, or not shown. */
const OUTCOME_METRICS = {
  posted: 'FindingsPosted',
  digested: 'FindingsDigested',
  updated: 'FindingsUpdated',
  unchanged: 'FindingsSkipped',
  'below-threshold': 'FindingsSkipped',
} as const satisfies Record<IngestOutcome, CountMetric>;

/**
 * Alerts read for a whole batch of findings in one request (`Store.getAlerts`), each taken once: a
 * second finding of the same fingerprint in the batch reads it again. What was read may be stale by
 * the time a finding is ingested; every write is conditional, so a stale read costs a retry, never a
 * wrong write.
 */
export type PrefetchedAlerts = Map<string, AlertRecord | undefined>;

async function currentAlert(
  fingerprint: string,
  deps: IngestDeps,
  prefetched: PrefetchedAlerts | undefined,
): Promise<AlertRecord | undefined> {
  if (!prefetched?.has(fingerprint)) return deps.store.getAlert(fingerprint);
  const alert = prefetched.get(fingerprint);
  prefetched.delete(fingerprint);
  return alert;
}

/** How a finding came in, when not from a security source. */
export interface IngestOptions {
  /** A person reported it to the SOC for this customer: posted in its channel whatever its severity. */
  reportedFor?: string;
  /** The batch's alerts, read at once (findings queue). */
  prefetched?: PrefetchedAlerts;
}

async function postOrUpdate(
  normalised: NormalisedFinding,
  deps: IngestDeps,
  options: IngestOptions,
): Promise<IngestResult> {
  const { store, logger } = deps;
  const finding =
    options.reportedFor === undefined
      ? await enrichFinding(normalised, deps.directory)
      : { ...normalised, customer: options.reportedFor };
  const fingerprint = finding.fingerprint;

  let current = await currentAlert(fingerprint, deps, options.prefetched);
  if (!current) {
    const { route, posted } = await admitNewFinding(finding, deps);
    if (!posted && options.reportedFor === undefined) {
      // The fingerprint rides on the line, not on a child logger: building one per finding costs
      // more CPU than the rest of a skipped finding.
      logger.info('finding below the severity threshold: not posted', {
        fingerprint,
        metric: 'findings_below_threshold',
        severity: finding.severity,
        threshold: route.severityThreshold,
      });
      return { fingerprint, outcome: 'below-threshold' };
    }
    const now = deps.now();
    const received = {
      fingerprint,
      actor: { kind: 'system' as const },
      action: 'received',
      details: { source: finding.source, sourceId: finding.sourceId, raw: rawForAudit(finding.raw) },
    };
    if (await newFindingInStorm(route.channel, deps)) {
      const digest = digestFingerprint(finding, route.channel, now, deps.config.file.storms.digestMinutes);
      const member = { ...newAlertRecord(finding, route.channel, now), inDigest: { fingerprint: digest } };
      if (await store.createAlert(member, [received, digestedEvent(fingerprint, digest)])) {
        await addToDigest(finding, digest, route.channel, deps, (record, claimed) =>
          claimed || !leaseHeld(record, deps.now(), deps.leases)
            ? postRootMessage(digest, deps, claimed ? record : undefined)
            : Promise.resolve(undefined),
        );
        return { fingerprint, outcome: 'digested' };
      }
    } else {
      // Created with the claim to post it, so posting needs no write of its own first.
      const record = {
        ...newAlertRecord(finding, route.channel, now),
        postingSince: now.toISOString(),
        postingBy: deps.leases?.holder,
        postAttemptedAt: now.toISOString(),
      };
      if (await store.createAlert(record, [received])) {
        const posted = await postRootMessage(fingerprint, deps, { ...record, version: 1 });
        const everywhere = posted && (await postToPlatforms(posted, deps, true));
        if (everywhere) await askIfConfigured(everywhere, deps);
        return { fingerprint, outcome: 'posted' };
      }
    }
    // Another delivery created it first.
    current = await store.getAlert(fingerprint);
  }

  if (current?.inDigest && !current.ts) {
    // Grouped into a digest: it stays there while the storm lasts or while nothing is newer; after
    // that, news of it is posted on its own, linking to the digest.
    if (!isNewer(finding, current) || (await inStorm(current.channel, deps)))
      return updateExistingAlert(finding, deps, current);
    current = await withDigestLink(current, deps);
  }
  if (current && !current.ts) {
    // A previous delivery created the record but its post failed or is under way: finish it.
    current = (await postRootMessage(fingerprint, deps)) ?? current;
  }
  // The same on the other platforms its customer's alerts go to.
  if (current?.ts) current = await postToPlatforms(current, deps);
  return updateExistingAlert(finding, deps, current);
}

/**
 * A new alert of a `triage.autoAsk` type queues "was this you?". Only a queued job: the lookups and
 * the DM run in the worker. A failure here must not fail the delivery (the alert is already posted and
 * a retry would find it posted and not ask again), so it is logged.
 */
async function askIfConfigured(alert: AlertRecord, deps: IngestDeps): Promise<void> {
  try {
    await askAutomatically(alert, deps);
  } catch (error) {
    deps.logger.error('automatic "was this you?" not queued', {
      fingerprint: alert.fingerprint,
      error: String(error),
    });
  }
}

/** Whether another delivery's claim to post still stands (see `Deps.leases`). */
function leaseHeld(alert: AlertRecord, now: Date, leases: IngestDeps['leases']): boolean {
  if (!alert.postingSince || now.getTime() - Date.parse(alert.postingSince) >= POSTING_LEASE_MS) return false;
  return !leases?.alone || alert.postingBy === leases.holder;
}

/**
 * Posts the root message and records its `ts`, permalink and `posted` event in one write. `claimed` is
 * the record as this delivery created it, claim included; without it the claim is taken here first (a
 * conditional write), for a record an earlier delivery left unposted. When that earlier claim's post
 * was never confirmed (a failed call whose message Slack may still have stored, a process killed before
 * it saved the `ts`), the message is first looked for in the channel, so a retry does not post twice.
 * Resolves to the saved record, or undefined when another delivery holds the claim.
 */
async function postRootMessage(
  fingerprint: string,
  deps: IngestDeps,
  claimed?: AlertRecord,
): Promise<AlertRecord | undefined> {
  const { store } = deps;
  const slack = deps.chats.slack;
  let claim = claimed;
  let unconfirmedSince: string | undefined;
  if (!claim) {
    const now = deps.now();
    const taken = await updateAlert(store, fingerprint, (alert) => {
      if (alert.ts || leaseHeld(alert, now, deps.leases)) return undefined;
      return {
        ...alert,
        postingSince: now.toISOString(),
        postingBy: deps.leases?.holder,
        postAttemptedAt: alert.postAttemptedAt ?? alert.postingSince ?? now.toISOString(),
      };
    });
    if (!taken) return undefined;
    claim = taken.after;
    unconfirmedSince = taken.before.postAttemptedAt ?? taken.before.postingSince;
  }

  let ts: string;
  try {
    const earlier = unconfirmedSince
      ? await slack.findAlertMessage(claim.channel, fingerprint, new Date(unconfirmedSince))
      : undefined;
    ts = earlier ?? (await slack.postAlert(claim.channel, alertView(claim, deps.config)));
  } catch (error) {
    // Give the claim back, so a retry posts at once (after looking for this attempt's message).
    const { postingSince } = claim;
    await updateAlert(store, fingerprint, (alert) =>
      alert.postingSince === postingSince && !alert.ts
        ? { ...alert, postingSince: undefined, postingBy: undefined }
        : undefined,
    );
    throw error;
  }
  // Slack's form of link, built without a call: the link the alert's other messages (digests, TheHive) point at.
  const permalink = await deps.slack.rootPermalink(claim.channel, ts);
  const saved = await updateAlert(
    store,
    fingerprint,
    (alert) => ({
      ...alert,
      ts,
      permalink,
      postingSince: undefined,
      postingBy: undefined,
      postAttemptedAt: undefined,
    }),
    {
      known: claim,
      events: [
        {
          fingerprint,
          actor: { kind: 'system' },
          action: 'posted',
          details: { channel: claim.channel, ts, permalink },
        },
      ],
    },
  );
  // Deliveries that arrived while we were posting changed the record: show their counts too.
  if (saved && saved.before.version !== claim.version) {
    await slack.updateAlert(
      { platform: 'slack', channel: saved.after.channel, messageId: ts },
      alertView(saved.after, deps.config),
    );
  }
  return saved?.after;
}

/** Applies a newer delivery of the finding; `known` is the record as last read (tried first, no re-read). */
async function updateExistingAlert(
  finding: Finding,
  deps: IngestDeps,
  known: AlertRecord | undefined,
): Promise<IngestResult> {
  const { store } = deps;
  const fingerprint = finding.fingerprint;
  const changed = await updateAlert(
    store,
    fingerprint,
    (alert) => {
      if (!isNewer(finding, alert)) return undefined;
      const severity = maxSeverity(alert.severity, finding.severity);
      const rose = severityRank(severity) > severityRank(alert.severity);
      return {
        ...alert,
        finding: { ...snapshot(finding), severity },
        count: Math.max(alert.count, finding.count),
        lastSeen: finding.lastSeen > alert.lastSeen ? finding.lastSeen : alert.lastSeen,
        severity,
        // An ignored finding whose severity rises needs eyes again.
        ...(rose && alert.state === 'ignored'
          ? {
              state: 'open' as const,
              ignoredBy: undefined,
              ignoredByName: undefined,
              ignoredAt: undefined,
              ignoreReason: undefined,
            }
          : {}),
      };
    },
    { known },
  );
  if (!changed) return { fingerprint, outcome: 'unchanged' };

  const { before, after } = changed;
  const rose = severityRank(after.severity) > severityRank(before.severity);
  await store.appendAudit({
    fingerprint,
    caseId: after.caseId,
    actor: { kind: 'system' },
    action: 'updated',
    details: {
      count: { before: before.count, after: after.count },
      severity: { before: before.severity, after: after.severity },
      lastSeen: after.lastSeen,
      ...(before.state !== after.state ? { state: { before: before.state, after: after.state } } : {}),
    },
  });
  await showRepublished(after, deps);
  if (rose) {
    await replyEverywhere(
      after,
      {
        kind: 'severity-raised',
        from: before.severity,
        to: after.severity,
        reopened: before.state === 'ignored',
      },
      deps,
    );
  }
  return { fingerprint, outcome: 'updated' };
}

export interface IngestEventResult {
  results: IngestResult[];
  skipped: { index: number; reason: string }[];
  rejected: { index: number; error: string }[];
}

/**
 * Parses an event (anything `hivewire render` reads) and ingests every finding in it; `parsed` when the
 * caller parsed it already (to read a batch's alerts at once).
 */
export async function ingestEvent(
  event: unknown,
  deps: IngestDeps,
  prepared: { parsed?: ParseResult; prefetched?: PrefetchedAlerts } = {},
): Promise<IngestEventResult> {
  const parsed = prepared.parsed ?? parseEvent(event);
  countUnparsed(deps.metrics, parsed);
  for (const rejection of parsed.rejected) {
    await deps.store.putDeadLetter({ kind: 'rejected-finding', error: rejection.error, payload: event });
  }
  const results: IngestResult[] = [];
  for (const finding of parsed.findings)
    results.push(await ingestFinding(finding, deps, { prefetched: prepared.prefetched }));
  return { results, skipped: parsed.skipped, rejected: parsed.rejected };
}
