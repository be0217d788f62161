/**
 * What the product says in an alert's thread or privately to one person, platform-neutral: each chat
 * adapter renders a note with its own pure builders (blocks/ for Slack). The kinds mirror the Slack
 * replies of blocks/replies.ts; person fields hold the platform's user id (a Slack user id today).
 */
import type { CaseChange } from './alert';
import type { Severity } from './finding';

export type ThreadNote =
  | { kind: 'case-opened'; caseNumber: number; caseUrl: string; person: string; observableCount: number }
  | { kind: 'case-change'; caseNumber?: number; caseUrl?: string; changes: CaseChange[]; actor: string }
  | { kind: 'escalation-failed'; reason: string; person: string }
  | { kind: 'ignored'; person: string; reason?: string }
  | { kind: 'severity-raised'; from: Severity; to: Severity; reopened: boolean; count?: number }
  | {
      kind: 'already-escalated';
      caseNumber?: number;
      caseId?: string;
      caseUrl?: string;
      escalatedBy?: string;
    }
  /** Plain product text, escaped by the adapter. */
  | { kind: 'notice'; text: string };
