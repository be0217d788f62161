/**
 * What a source normaliser returns for one finding, and how a schema failure becomes a rejection
 * whose message names the field (`detail.findings[1].Severity: …`).
 */
import type * as z from '../validation/zod';
import type { NormalisedFinding } from '../domain/finding';

/** One finding's fate: normalised, skipped on purpose (not a finding for us), or rejected as malformed. */
export type SourceOutcome = { finding: NormalisedFinding } | { skipped: string } | { error: string };

/** What the EventBridge envelope around a finding says, used only where the finding itself is silent. */
export interface EnvelopeInfo {
  account?: string;
  region?: string;
}

/** Where a finding sits in the input (for error messages) and what surrounded it. */
export interface SourceContext {
  /** Path of the finding inside the input, `''` at the top (e.g. `detail.findings[1]`). */
  path: string;
  envelope?: EnvelopeInfo;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;
const MAX_KEY_IN_MESSAGE = 64;

/** Appends one step to a field path: `.name`, `[3]`, or `["odd key"]`. */
export function childPath(path: string, key: PropertyKey): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const name = String(key);
  if (IDENTIFIER.test(name)) return path ? `${path}.${name}` : name;
  return `${path}[${JSON.stringify(name.slice(0, MAX_KEY_IN_MESSAGE))}]`;
}

const MAX_ISSUES = 3;

/** A rejection naming each failing field (up to three) under the finding's path. */
export function schemaRejection(path: string, error: z.$ZodError): { error: string } {
  const messages = error.issues.slice(0, MAX_ISSUES).map((issue) => {
    const field = issue.path.reduce<string>((at, key) => childPath(at, key), path);
    return `${field || 'input'}: ${issue.message}`;
  });
  return { error: messages.join('; ') };
}

/** A rejection for one field under the finding's path. */
export function fieldRejection(path: string, field: string, message: string): { error: string } {
  return { error: `${childPath(path, field)}: ${message}` };
}
