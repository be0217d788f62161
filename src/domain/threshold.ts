/**
 * The severity threshold: the level below which findings are kept but not posted, as shown and changed
 * with `/hivewire threshold`.
 */
import type { Severity } from './finding';

/** The threshold in force and where it comes from. */
export interface ThresholdView {
  level: Severity;
  /** `setting`: changed with the command; `config`: SEVERITY_THRESHOLD or the config file's default. */
  source: 'setting' | 'config';
  configured: Severity;
  /** Customers with a threshold of their own in the config file. */
  customers: { customer: string; level: Severity }[];
  /** The customer whose threshold this is (the command ran in its workspace). */
  customer?: string;
}

export type ThresholdChange =
  | { outcome: 'changed'; from: Severity; to: Severity }
  | { outcome: 'unchanged'; level: Severity }
  | { outcome: 'refused' };
