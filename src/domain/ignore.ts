/** Ignoring an alert: the reasons an analyst gives (the modal's choices, the audit's codes) and when it may be. */
import type { AlertRecord } from './alert';

/** Why an analyst ignores an alert: the modal's choices, the audit's codes. */
export const IGNORE_REASONS = {
  'false-positive': 'False positive',
  'expected-activity': 'Expected activity',
  duplicate: 'Duplicate',
  'accepted-risk': 'Accepted risk',
} as const;

export type IgnoreReason = keyof typeof IGNORE_REASONS;

/** Whether a submitted value is one of the reasons. */
export function isIgnoreReason(value: unknown): value is IgnoreReason {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(IGNORE_REASONS, value);
}

/** Longest free-text note accepted with a reason (the modal enforces it too). */
export const IGNORE_NOTE_MAX = 500;

/** Why an alert cannot be ignored, or that it can. */
export type IgnoreCheck =
  | { outcome: 'ignorable'; alert: AlertRecord }
  | { outcome: 'escalated' | 'escalating' | 'already-ignored'; alert: AlertRecord }
  | { outcome: 'unknown-alert' };
