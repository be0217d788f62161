/**
 * One TheHive case change, or one SLA clock's announcement, in the words an alert's thread uses on every
 * Adaptive Card platform: Webex
 * writes it into a markdown message, Teams into a card's TextBlock. Each platform passes its own
 * escaping for the values that came from TheHive (a status, a login, a title, tags).
 */
import type { CaseChange } from '../src/domain/alert';
import type { SlaAnnouncement } from '../src/domain/sla';
import { PROSE_VALUE_MAX } from '../blocks/limits';
import { formatMinutes, LIMIT_NAMES } from '../blocks/sla-clock';

/** Escapes one untrusted value for where the line lands, cut to `max` characters. */
export type EscapeText = (value: string, max?: number) => string;

/** TheHive 5 case severity 1–4, TLP 2.0 as TheHive numbers it, PAP: as the Slack replies name them. */
const LEVELS: Record<'severity' | 'tlp' | 'pap', { name: string; labels: string[] }> = {
  severity: { name: 'Severity', labels: ['', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] },
  tlp: { name: 'TLP', labels: ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'] },
  pap: { name: 'PAP', labels: ['CLEAR', 'GREEN', 'AMBER', 'RED'] },
};

function level(field: 'severity' | 'tlp' | 'pap', value: number | undefined, text: EscapeText): string {
  if (value === undefined) return 'unset';
  return (Number.isInteger(value) ? LEVELS[field].labels[value] : undefined) || text(String(value));
}

/** One case change, in the thread's words. */
export function caseChangeLine(change: CaseChange, text: EscapeText): string {
  switch (change.field) {
    case 'status':
      if (change.stage === 'Closed') return `✅ Closed as ${text(change.to)}`;
      return `🔄 Status ${change.from === undefined ? '' : `${text(change.from)} → `}${text(change.to)}`;
    case 'assignee':
      if (!change.to) return `👤 Unassigned${change.from ? ` (was ${text(change.from)})` : ''}`;
      return `👤 Assigned to ${text(change.to)}${change.from ? ` (was ${text(change.from)})` : ''}`;
    case 'severity':
    case 'tlp':
    case 'pap':
      return `🎚️ ${LEVELS[change.field].name} ${level(change.field, change.from, text)} → ${level(change.field, change.to, text)}`;
    case 'title':
      return `✏️ Title changed to ${change.to?.trim() ? text(change.to, PROSE_VALUE_MAX) : 'nothing'}`;
    case 'tags':
      // The sign is escaped with its tag: a linkifier reads `+.ba` as a host name, symbol and all.
      return `🏷️ Tags ${[...change.added.map((tag) => text(`+${tag}`)), ...change.removed.map((tag) => text(`−${tag}`))].join(' ')}`;
    case 'gone':
      return change.to === 'deleted' ? '🗑️ Deleted in TheHive' : '🔀 Merged into another case in TheHive';
  }
}

/** An SLA clock's announcement about the case named `name` (already written for where it lands). */
export function slaLine(name: string, announcement: SlaAnnouncement, text: EscapeText): string {
  const limit = `${LIMIT_NAMES[announcement.clock]} (${formatMinutes(announcement.limitMinutes)})`;
  const time = formatMinutes(announcement.waitedMinutes);
  const waited =
    announcement.clock === 'acknowledge'
      ? `has waited ${time} in ${text(announcement.stage)}`
      : `has been open ${time}`;
  const over = formatMinutes(Math.max(0, announcement.waitedMinutes - announcement.limitMinutes));
  switch (announcement.tier) {
    case 'warning':
      return `⏳ ${name} ${waited}: its ${limit} is close.`;
    case 'breach':
      return `🚨 ${name} ${waited}: past its ${limit}.`;
    case 'leads':
      return `🚨 ${name} ${waited}: ${over} past its ${limit}.`;
    case 'stopped':
      return `✅ ${name} was ${announcement.clock === 'acknowledge' ? 'acknowledged' : 'closed'} after ${time}: its ${LIMIT_NAMES[announcement.clock]} no longer counts.`;
  }
}
