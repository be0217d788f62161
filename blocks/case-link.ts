/**
 * How every message names a TheHive case and links to it: shared by the alert, the thread replies and
 * the analyst answers (a module of its own, so the replies need not import the alert's builder).
 */
import type { AlertRecord } from '../src/domain/alert';
import { webUrlHost } from './elements';
import { literal } from './escape';

/** `Case #42`, or the case id while its number is not known. */
export function caseName(alert: Pick<AlertRecord, 'caseNumber' | 'caseId'>): string {
  if (alert.caseNumber !== undefined && Number.isSafeInteger(alert.caseNumber))
    return `Case #${alert.caseNumber}`;
  return alert.caseId === undefined ? 'Case' : `Case ${literal(alert.caseId)}`;
}

/** The case URL when it is a web URL below TheHive's base URL (when that is known). */
export function trustedCaseUrl(caseUrl: string | undefined, theHiveUrl?: string): string | undefined {
  if (!caseUrl || !webUrlHost(caseUrl)) return undefined;
  if (theHiveUrl === undefined) return caseUrl;
  const base = theHiveUrl.endsWith('/') ? theHiveUrl : `${theHiveUrl}/`;
  return caseUrl.startsWith(base) ? caseUrl : undefined;
}
