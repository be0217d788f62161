/**
 * "Report to SOC", the pure part: a reported Slack message becomes a finding like any other (so it is
 * posted as a Hivewire alert with the usual buttons, and escalated the usual way), named by the
 * message itself (team, channel, ts) so that a second report of it finds the first.
 */
import type { NormalisedFinding, Severity } from '../domain/finding';
import { extractObservablesFromText } from '../findings/observables';
import type { JobOf } from '../queue/jobs';

/** The product name reported findings carry. */
export const REPORT_PRODUCT = 'Slack report';
/** Title length the modal offers (TheHive allows 512; a Slack header 150). */
export const REPORT_TITLE_MAX = 150;

/** Identifies a message across reports: TheHive's `sourceRef` of its alert. */
export function reportSourceRef(message: { team: string; channel: string; ts: string }): string {
  return `${message.team}-${message.channel}-${message.ts}`;
}

/** The fingerprint of a reported message's Hivewire alert. */
export function reportFingerprint(message: { team: string; channel: string; ts: string }): string {
  return `slack-report-${reportSourceRef(message)}`;
}

/**
 * A message's text as a person reads it: Slack writes links as `<https://x|label>`, mentions as
 * `<@U1>`, channels as `<#C1|name>` and escapes `&`, `<`, `>`. The indicators in it are read from this.
 */
export function readableSlackText(text: string): string {
  return text
    .replace(/<(https?:\/\/[^|>]+)\|[^>]*>/g, '$1')
    .replace(/<mailto:([^|>]+)\|[^>]*>/g, '$1')
    .replace(/<(https?:\/\/[^>]+)>/g, '$1')
    .replace(/<#C[A-Z0-9]+\|([^>]*)>/g, '#$1')
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<!(here|channel|everyone)(\|[^>]*)?>/g, '@$1')
    .replace(/<!subteam\^(S[A-Z0-9]+)(\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The title the modal suggests: the message's first non-empty line, cut to fit. */
export function suggestedTitle(text: string): string {
  const line = readableSlackText(text)
    .split('\n')
    .map((part) => part.trim())
    .find(Boolean);
  const title = line ? `Reported: ${line}` : 'Reported Slack message';
  const chars = Array.from(title);
  return chars.length <= REPORT_TITLE_MAX ? title : `${chars.slice(0, REPORT_TITLE_MAX - 1).join('')}…`;
}

/** When a message was posted, from its `ts` (seconds since the epoch). */
function postedAt(ts: string): string {
  return new Date(Math.floor(Number(ts) * 1000)).toISOString();
}

/** The finding a report makes; `permalink` is the reported message's. */
export function reportedFinding(
  report: Pick<JobOf<'report'>, 'message' | 'title' | 'severity' | 'note' | 'reporter'>,
  permalink: string | undefined,
): NormalisedFinding {
  const { message } = report;
  const text = readableSlackText(message.text);
  const at = postedAt(message.ts);
  const description = [
    `Posted by ${message.user ? `Slack user ${message.user}` : 'an app'} in ${message.channel}:`,
    text,
    report.note?.trim() ? `Note from the reporter: ${report.note.trim()}` : undefined,
  ]
    .filter(Boolean)
    .join('\n\n');
  return {
    fingerprint: reportFingerprint(message),
    source: 'slack',
    product: REPORT_PRODUCT,
    sourceId: reportSourceRef(message),
    title: report.title,
    description,
    severity: report.severity as Severity,
    sourceSeverity: report.severity,
    type: 'slack-report',
    kind: 'siem',
    observables: extractObservablesFromText(text),
    firstSeen: at,
    lastSeen: at,
    updatedAt: at,
    count: 1,
    ...(permalink ? { consoleUrl: permalink } : {}),
    raw: { message, reporter: report.reporter, note: report.note },
  };
}
