/**
 * What the product says in an alert's thread or privately to one person, platform-neutral: each chat
 * adapter renders a note with its own pure builders (blocks/ for Slack). The kinds mirror the Slack
 * replies of blocks/replies.ts; a person who acted is named with their platform ({@link NotePerson}).
 */
import type { ChatPerson, ChatPlatform } from './chat';
import type { Severity } from './finding';
import type { SourceName, TargetReport } from './lookups';
import type { SlaAnnouncement } from './sla';
import type { TriageRecord, TriageResponse } from './triage';

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

/**
 * The person a note names, who acted on one platform: the note goes to every platform the alert is on,
 * and each mentions only its own people. `person`: their id on `personPlatform`; `personName`: their
 * name, when their platform gave one with the click (a Slack user name, a Teams `from.name`, a Webex
 * display name): what the other platforms show, where the id means nothing. `personPlatform` is absent
 * on notes stored before it was recorded: each platform then reads the id as it always did.
 */
export interface NotePerson {
  person: string;
  personName?: string;
  personPlatform?: ChatPlatform;
}

/** Whether `note`'s person is `platform`'s own (mentioned there), when the note records their platform. */
export function isOwnPerson(note: NotePerson, platform: ChatPlatform): boolean | undefined {
  return note.personPlatform === undefined ? undefined : note.personPlatform === platform;
}

export type ThreadNote =
  | ({
      kind: 'case-opened';
      caseNumber: number;
      caseUrl: string;
      observableCount: number;
    } & NotePerson)
  | { kind: 'case-change'; caseNumber?: number; caseUrl?: string; changes: CaseChange[]; actor: string }
  | ({ kind: 'escalation-failed'; reason: string } & NotePerson)
  /** The case was opened but a step after it (a reply, Security Hub) failed for good. */
  | ({ kind: 'case-step-failed'; caseNumber: number; reason: string } & NotePerson)
  /** `suppressesSecurityHub`: the thread also hears that the Security Hub finding is marked SUPPRESSED. */
  | ({
      kind: 'ignored';
      reason?: string;
      suppressesSecurityHub?: boolean;
    } & NotePerson)
  | { kind: 'severity-raised'; from: Severity; to: Severity; reopened: boolean; count?: number }
  | {
      kind: 'already-escalated';
      caseNumber?: number;
      caseId?: string;
      caseUrl?: string;
      escalatedBy?: string;
    }
  /** A republished finding, said in the thread where the root message cannot be edited (Webex cards). */
  | { kind: 'seen-again'; count: number; lastSeen: string; severity: Severity }
  /** An SLA clock's warning, breach, call on the leads, or stop (cases/sla.ts). */
  | { kind: 'sla'; caseNumber?: number; caseId?: string; announcement: SlaAnnouncement }
  /** Plain product text, escaped by the adapter. */
  | { kind: 'notice'; text: string }
  /** A threat-intel lookup's answers (Enrich, `lookup <values>`); `at`: when it ran, for the ages shown. */
  | { kind: 'lookup-results'; reports: TargetReport[]; sources: SourceName[]; at: string }
  /** A comment people added on the case in TheHive (`login` wrote it), threaded under the alert. */
  | {
      kind: 'case-comment';
      login: string;
      message: string;
      commentId: string;
      caseNumber?: number;
      caseUrl?: string;
    }
  /** What a response action did, or why it failed; `person` clicked it. */
  | ({
      kind: 'response-action-result';
      label: string;
      ok: boolean;
      summary: string;
      link?: string;
    } & NotePerson)
  /**
   * "Was this you?" in the alert's thread (src/triage/): who was asked, by whom, their answer, no answer
   * in time, or why they could not be asked. A person is mentioned only on their own platform. `onCall`
   * is the Slack group paged on "No" (the config's `slack.onCall`).
   */
  | { kind: 'triage-asked'; person: ChatPerson; requestedBy: ChatPerson | 'auto'; timeoutMinutes: number }
  | { kind: 'triage-answered'; person: ChatPerson; response: TriageResponse; onCall?: string }
  | { kind: 'triage-no-answer'; person: ChatPerson; timeoutMinutes: number }
  | { kind: 'triage-failed'; reason: string }
  /** The question in the person's direct conversation, with its answer buttons. */
  | { kind: 'triage-question'; record: TriageRecord }
  /** The question once answered or expired: what replaces it (or, where it cannot be edited, follows it). */
  | { kind: 'triage-closed'; record: TriageRecord; response: TriageResponse | 'noanswer' };

/** The note of one kind. */
export type NoteOf<K extends ThreadNote['kind']> = Extract<ThreadNote, { kind: K }>;
