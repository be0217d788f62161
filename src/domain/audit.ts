/**
 * The append-only audit trail of an alert: who did what, when (`hivewire audit` prints it).
 */

export type AuditActor =
  | { kind: 'slack'; id: string }
  | { kind: 'webex'; id: string }
  | { kind: 'teams'; id: string }
  | { kind: 'thehive'; id: string }
  | { kind: 'system' };

/** The chat platforms a person acts from, as the audit names them. */
export type ChatActorKind = 'slack' | 'webex' | 'teams';

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
