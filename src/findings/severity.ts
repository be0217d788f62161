/**
 * Severity: every source's own scale mapped onto Hivewire's five levels.
 */
import type { Severity } from '../domain/finding';

/**
 * GuardDuty's 0–10 score: 0 is informational, then < 4 LOW, < 7 MEDIUM, < 9 HIGH, ≥ 9 CRITICAL
 * (9–10 is used by Extended Threat Detection attack sequences).
 */
export function guardDutySeverity(score: number): Severity {
  if (score <= 0) return 'INFORMATIONAL';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}

/** ASFF `Severity.Normalized` (0–100): 0 / 1–39 / 40–69 / 70–89 / 90–100, as Security Hub derives its labels. */
export function normalizedSeverity(normalized: number): Severity {
  if (normalized <= 0) return 'INFORMATIONAL';
  if (normalized < 40) return 'LOW';
  if (normalized < 70) return 'MEDIUM';
  if (normalized < 90) return 'HIGH';
  return 'CRITICAL';
}

const LABELS: Record<string, Severity> = {
  INFORMATIONAL: 'INFORMATIONAL',
  INFO: 'INFORMATIONAL',
  LOW: 'LOW',
  MEDIUM: 'MEDIUM',
  HIGH: 'HIGH',
  CRITICAL: 'CRITICAL',
  FATAL: 'CRITICAL',
};

/** A severity label in any case (`HIGH`, `High`, `informational`); `undefined` when unknown. */
export function severityFromLabel(label: string | undefined): Severity | undefined {
  return label === undefined ? undefined : LABELS[label.trim().toUpperCase()];
}

/** OCSF `severity_id`: 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical, 6 Fatal (0 Unknown, 99 Other). */
const OCSF_IDS: Record<number, Severity> = {
  1: 'INFORMATIONAL',
  2: 'LOW',
  3: 'MEDIUM',
  4: 'HIGH',
  5: 'CRITICAL',
  6: 'CRITICAL',
};

/** An OCSF finding's severity from `severity_id`, falling back to its `severity` caption. */
export function ocsfSeverity(
  severityId: number | undefined,
  caption: string | undefined,
): Severity | undefined {
  return (severityId === undefined ? undefined : OCSF_IDS[severityId]) ?? severityFromLabel(caption);
}

/**
 * A USM Anywhere alarm's severity from `priority_label` (low | medium | high), else from the numeric
 * `priority` (observed: 20 with the label "low") on the same bands as ASFF `Normalized`.
 */
export function usmSeverity(label: string | undefined, priority: number | undefined): Severity | undefined {
  return severityFromLabel(label) ?? (priority === undefined ? undefined : normalizedSeverity(priority));
}

const MOZDEF_LEVELS: Record<string, Severity> = {
  DEBUG: 'INFORMATIONAL',
  INFO: 'INFORMATIONAL',
  NOTICE: 'LOW',
  WARNING: 'MEDIUM',
  ERROR: 'HIGH',
  CRITICAL: 'CRITICAL',
  ALERT: 'CRITICAL',
  EMERGENCY: 'CRITICAL',
};

/** A MozDef alert's syslog-style severity (INFO, NOTICE, WARNING, ERROR, CRITICAL). */
export function mozdefSeverity(level: string): Severity | undefined {
  return MOZDEF_LEVELS[level.trim().toUpperCase()];
}
