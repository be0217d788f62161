/**
 * SLA watch, the product's words for it: a case's two clocks, the tiers called on in turn, what an
 * alert record keeps of its announcements, and what the thread is told. Shared by the decisions
 * (`src/cases/sla-policy.ts`) and the messages (`blocks/sla.ts`).
 */

/** The two SLA clocks of a case: time to acknowledge (while `New`) and time to resolve (until closed). */
export type SlaClock = 'acknowledge' | 'resolve';
/** Who is called on, in order: the warning (the assignee), the breach (on-call), later the leads. */
export type SlaTier = 'warning' | 'breach' | 'leads';

export interface SlaRecord {
  /**
   * Announcements made, as `<clock>:<tier>` or `<clock>:stopped`: each is decided by the conditional
   * write that queues its reply, so it is made once whatever the number of runs, workers or restarts.
   */
  announced: string[];
  /** The clock past its limit, for the status line; cleared when the clock stops. */
  breached?: { clock: SlaClock; limitMinutes: number; at: string };
}

/** One clock of a case as it stands. */
export interface SlaReading {
  clock: SlaClock;
  /** False once the case has moved on (acknowledged for the first clock, closed for both). */
  running: boolean;
  /** From the case's creation to now (running) or to its last applied change (stopped). */
  waitedMs: number;
  limitMinutes: number;
  /** The highest tier due, while running. */
  due?: SlaTier;
}

/** One thing the thread is told. */
export interface SlaAnnouncement {
  clock: SlaClock;
  tier: SlaTier | 'stopped';
  waitedMinutes: number;
  limitMinutes: number;
  /** The case's stage at the time (`New`, `InProgress`, `Closed`). */
  stage: string;
  /** Who is now called on: a Slack user (the assignee) or a user group. */
  calledOn?: { user: string } | { group: string };
}
