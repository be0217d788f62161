/**
 * The alert as Hivewire keeps it: the finding, where it was posted, its state (open, escalating,
 * escalated, ignored), what is known of its TheHive case and the thread replies still owed. Every layer
 * speaks these types; the store persists them.
 */
import type { Finding, Severity } from './finding';
import type { CaseChange, ThreadNote } from './notes';

// Declared with the notes that carry it; re-exported where the record's users have always found it.
export type { CaseChange };
import type { SlaRecord } from './sla';

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
  /** The escalating person's display name, when their platform gave one: the cards show it, not the id. */
  escalatedByName?: string;
  escalatedAt?: string;
  caseId?: string;
  caseNumber?: number;
  /**
   * The TheHive organisation the case is in (TheHive numbers cases per organisation): the case number is
   * indexed under it. Absent on cases opened before, and with no organisation configured.
   */
  caseOrganisation?: string;
  caseUrl?: string;
  case?: CaseSnapshot;
  /** TheHive `_createdAt` (epoch ms) of the case: where its SLA clocks start. */
  caseCreatedAt?: number;
  /** For a Slack message reported to the SOC: who reported it, first reporter first, and who was told. */
  reports?: { by: string; at: string; confirmed?: true }[];
  /** SLA watch: what the thread has been told, and the breach the status line shows. */
  sla?: SlaRecord;
  /** TheHive `_updatedAt` (epoch ms) of the last case change applied: older changes are not applied again. */
  caseUpdatedAt?: number;
  ignoredBy?: string;
  /** The display name of who ignored it, when their platform gave one: the cards show it, not the id. */
  ignoredByName?: string;
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
  /** The alert on chat platforms other than Slack (Slack's message is `channel`/`ts` above). */
  posts?: Partial<Record<'webex' | 'teams', PlatformPost>>;
  /** On a digest alert: the findings grouped into it while its channel was in a storm (alerts/storm.ts). */
  digest?: DigestSummary;
  /** On a finding grouped into a digest: that digest, and its Slack link once the finding is posted alone. */
  inDigest?: { fingerprint: string; permalink?: string };
  createdAt: string;
  updatedAt: string;
  /** Optimistic-concurrency version: every write names the version it read. */
  version: number;
}

/**
 * The alert's root message on one chat platform other than Slack (Slack keeps its fields on the record,
 * so stored items read as before).
 */
export interface PlatformPost {
  /** Webex roomId | Teams conversation id. */
  channel: string;
  /** The root message, once posted (Webex message id | Teams activity id). */
  messageId?: string;
  /** When a worker claimed posting it (the same lease as the Slack post's `postingSince`). */
  postingSince?: string;
  /** The thread reply announcing the case, once posted. */
  caseReplyId?: string;
}

/** One finding as a digest lists it. */
export interface DigestMember {
  fingerprint: string;
  title: string;
  severity: Severity;
  /** The resource it is about (`S3Bucket my-bucket`), when it names one. */
  resource?: string;
}

/** What a digest alert holds besides its combined finding. */
export interface DigestSummary {
  /** What it groups: the finding type (a Security Hub control by its id) and the account, as shown. */
  group: { type: string; account: string };
  /** How many findings it groups. */
  count: number;
  /** The first of them (a Slack message and a store item have room for a list, not for thousands). */
  listed: DigestMember[];
  /** Observables left out because the combined finding already holds the most it keeps. */
  observablesLeftOut: number;
  /** When a refresh of its Slack message is queued for: later additions wait for it (none queued when unset). */
  refreshDue?: string;
}

/**
 * A reply owed to the alert's threads (the outbox): platform-neutral, rendered by each platform's
 * adapter when it is delivered to every platform the alert is on.
 */
export interface PendingReply {
  id: string;
  /** What to say. Items stored before replies were kept as notes have only `text`/`blocks` (below). */
  note?: ThreadNote;
  /** A rendered Slack message: items stored by earlier versions, delivered to Slack as they are. */
  text?: string;
  blocks?: unknown[];
  /** A TheHive case change (counted as `CaseUpdatesThreaded` once posted), not an analyst's action. */
  caseUpdate?: true;
  /** The other platforms it was already delivered to (a retry after Slack failed skips them). */
  deliveredTo?: ('webex' | 'teams')[];
}
