/**
 * The private answer to `/hivewire case <number>`: the case's state, links to the Slack thread and to
 * TheHive, and the alert's timeline from the audit trail. Audit details come from findings, TheHive
 * and users, so every value goes through `literal`.
 */
import type { KnownBlock } from '@slack/types';
import type { AlertRecord } from '../../src/domain/alert';
import type { AuditEvent } from '../../src/domain/audit';
import { formatTime } from '../alert';
import { caseName, trustedCaseUrl } from '../case-link';
import { context, mrkdwn, section, slackLink, webUrlHost } from '../elements';
import { literal, mention } from '../escape';
import { PROSE_VALUE_MAX, SECTION_TEXT_MAX, VALUE_MAX } from '../limits';
import { notice, type Reply } from '../replies';

function actor(event: AuditEvent): string {
  switch (event.actor.kind) {
    case 'slack':
      return mention(event.actor.id);
    case 'webex':
      return `Webex ${literal(event.actor.id)}`;
    case 'teams':
      return `Teams ${literal(event.actor.id)}`;
    case 'thehive':
      return `TheHive ${literal(event.actor.id)}`;
    case 'system':
      return 'Hivewire';
  }
}

function text(value: unknown, max = VALUE_MAX): string {
  return literal(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''), max);
}

function beforeAfter(value: unknown): { before?: unknown; after?: unknown } {
  return typeof value === 'object' && value !== null ? (value as { before?: unknown; after?: unknown }) : {};
}

/** One audit event in a few words. */
export function describeAuditEvent(event: AuditEvent): string {
  const d = event.details ?? {};
  switch (event.action) {
    case 'received':
      return `finding received from ${text(d.source)}`;
    case 'posted':
      return 'alert posted';
    case 'updated': {
      const count = beforeAfter(d.count);
      const severity = beforeAfter(d.severity);
      const parts = [`seen ${text(count.after)} times`];
      if (severity.before !== severity.after)
        parts.push(`severity ${text(severity.before)} → ${text(severity.after)}`);
      return `finding updated: ${parts.join(', ')}`;
    }
    case 'escalation-requested':
      return 'Create Case clicked';
    case 'case-created':
      return `case #${text(d.caseNumber)} created`;
    case 'case-linked':
      return 'case link threaded';
    case 'status-changed': {
      const before = beforeAfter(d.before) as { status?: unknown };
      const after = beforeAfter(d.after) as { status?: unknown; gone?: unknown };
      if (after.gone) return `case ${text(after.gone)}`;
      return before.status === after.status
        ? 'case updated'
        : `case status ${text(before.status ?? '—')} → ${text(after.status)}`;
    }
    case 'ignored':
      return `ignored: ${text(d.reasonLabel)}${d.note ? ` — ${text(d.note, PROSE_VALUE_MAX)}` : ''}`;
    case 'securityhub-notified':
      return 'Security Hub finding NOTIFIED';
    case 'securityhub-workflow':
      return `Security Hub finding ${text(d.status)}`;
    case 'triage-asked':
      return `asked ${text(d.email)} "was this you?"`;
    case 'triage-answered':
      return `${text(d.email)} answered ${text(d.response)}`;
    case 'triage-expired':
      return `no answer from ${text(d.email)}`;
    case 'lookup':
      return `threat-intel lookup of ${text(d.count)} indicators`;
    case 'response-action-requested':
      return `response action ${text(d.label)} requested`;
    case 'response-action-succeeded':
      return `response action ${text(d.label)} succeeded`;
    case 'response-action-failed':
      return `response action ${text(d.label)} failed`;
    case 'error':
      return `error in ${text(d.step)}: ${text(d.reason, PROSE_VALUE_MAX)}`;
    default:
      return text(event.action);
  }
}

function stateLine(alert: AlertRecord): string {
  const snapshot = alert.case;
  const name = `*${caseName(alert)}*`;
  if (snapshot?.gone) return `${name} · ${snapshot.gone} in TheHive`;
  if (!snapshot) return `${name} · state unknown`;
  const assignee = snapshot.assignee ? `assigned to ${literal(snapshot.assignee)}` : 'unassigned';
  return `${name} · ${literal(snapshot.status)} (${literal(snapshot.stage)}) · ${assignee}`;
}

/** An audit time: the store may append a sequence suffix after the ISO timestamp. */
function eventTime(at: string): string {
  return formatTime(at.replace(/(Z).+$/, '$1'));
}

/** Keeps whole timeline lines within `max` characters, oldest dropped first. */
function fitTimeline(lines: string[], max: number, omitted: number): string {
  const kept: string[] = [];
  let length = 0;
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] as string;
    if (length + line.length + 1 > max - 40) {
      omitted += i + 1;
      break;
    }
    kept.unshift(line);
    length += line.length + 1;
  }
  return `${omitted > 0 ? `… ${omitted} earlier events\n` : ''}${kept.join('\n')}`;
}

/** The case's state, its links and its timeline. */
export function caseSummary(input: {
  alert: AlertRecord;
  timeline: AuditEvent[];
  omitted: number;
  theHiveUrl?: string;
}): Reply {
  const { alert } = input;
  const links: string[] = [];
  if (alert.permalink && webUrlHost(alert.permalink)) links.push(slackLink(alert.permalink, 'Slack thread'));
  const caseUrl = trustedCaseUrl(alert.caseUrl, input.theHiveUrl);
  if (caseUrl) links.push(slackLink(caseUrl, 'Open in TheHive'));
  const head =
    `${stateLine(alert)}\n${alert.severity} · ${literal(alert.finding.title, PROSE_VALUE_MAX)}` +
    (links.length ? `\n${links.join(' · ')}` : '');
  const lines = input.timeline.map(
    (event) => `• ${eventTime(event.at)} · ${actor(event)} · ${describeAuditEvent(event)}`,
  );
  const blocks: KnownBlock[] = [section(mrkdwn(head))];
  if (lines.length)
    blocks.push(section(mrkdwn(`*Timeline*\n${fitTimeline(lines, SECTION_TEXT_MAX - 12, input.omitted)}`)));
  blocks.push(context(mrkdwn(`Alert state: ${alert.state} · last update ${formatTime(alert.updatedAt)}`)));
  return { text: `${caseName(alert)}: ${alert.case ? literal(alert.case.status) : 'state unknown'}`, blocks };
}

/** The answer when no alert is linked to the case. */
export function caseNotFound(caseNumber: number): Reply {
  return notice(`No Hivewire alert is linked to case #${caseNumber}.`);
}
