/**
 * "Was this you?": the question put to the person a finding is about, and its answer.
 */

export type TriageResponse = 'yes' | 'no' | 'notsure';

export interface TriageRecord {
  id: string;
  origin: 'alert' | 'siem';
  /** The Hivewire alert the question is about (a SIEM's question may match an ingested alert). */
  fingerprint?: string;
  /** The SIEM's id for its alert; for a Hivewire alert, the finding's own id. */
  identifier?: string;
  alertName: string;
  summary: string;
  email: string;
  identityConfidence: string;
  /** The alert's customer; none for a SIEM's question (the provider's own). */
  customer?: string;
  /**
   * The workspace (team id) the person is looked up and asked in: the customer's own, or none for the
   * provider's (`SLACK_BOT_TOKEN`). Only an answer from there counts.
   */
  team?: string;
  /** Slack user id of the analyst who asked, `auto` for a configured rule, `siem` for POST /triage. */
  requestedBy: string;
  requestedAt: string;
  timeoutMinutes: number;
  dueAt?: string;
  state: 'asking' | 'asked' | 'answered' | 'expired' | 'failed';
  slackUserId?: string;
  /** The DM (`D…`) and the question's `ts` in it. */
  channel?: string;
  ts?: string;
  response?: TriageResponse | 'noanswer';
  answeredAt?: string;
  failure?: string;
  /** Follow-up steps already done. */
  done: {
    asked?: boolean;
    scheduled?: boolean;
    threaded?: boolean;
    commented?: boolean;
    siem?: boolean;
    raised?: boolean;
  };
}

export type TriageRequest =
  | { outcome: 'requested'; triageId: string }
  | { outcome: 'pending'; since: string; slackUserId?: string }
  | { outcome: 'no-person' }
  | { outcome: 'no-email'; name: string }
  | { outcome: 'unknown-alert' };
