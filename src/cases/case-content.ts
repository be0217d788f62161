/**
 * What "Create Case" sends to TheHive, as pure functions of the alert and who asked: the TheHive alert
 * (with the finding's observables inline, the requester and the Slack link in its description) and the
 * promotion to a case. Two requests, whatever the number of observables. Shared by the worker and by
 * `hivewire case-request`, so the command prints exactly what the worker sends.
 */
import type { Finding, Severity } from '../domain/finding';
import type { InputCreateAlert, Pap, Tlp } from '../../clients/thehive/client';
import type { AlertRecord } from '../domain/alert';
import { showInvisibles } from '../domain/invisible';
import { escapeMarkdown, escapeTableCell, markdownLink } from './markdown';

/** TheHive field limits (TheHive 5 API v1). */
export const THEHIVE_LIMITS = { title: 512, tag: 128, type: 32, source: 32, sourceRef: 128 } as const;

/** The TheHive alert `type` of everything Hivewire escalates. */
export const THEHIVE_ALERT_TYPE = 'hivewire';
/**
 * The TheHive alert `type` of a Slack message reported to the SOC: its `sourceRef` names the message
 * (team, channel, ts), so reporting it again, or escalating its alert, finds the same TheHive alert.
 */
export const REPORT_ALERT_TYPE = 'slack-report';

const THEHIVE_SEVERITY: Record<Severity, 1 | 2 | 3 | 4> = {
  INFORMATIONAL: 1,
  LOW: 1,
  MEDIUM: 2,
  HIGH: 3,
  CRITICAL: 4,
};

/** TheHive's 1–4 severity for a finding severity. */
export function theHiveSeverity(severity: Severity): 1 | 2 | 3 | 4 {
  return THEHIVE_SEVERITY[severity];
}

export interface CaseSettings {
  /** Validated 0..4 and 0..3 by the config schema. */
  tlp: number;
  pap: number;
  caseTemplate?: string;
}

/** The TheHive alert input, as the typed client defines it. */
export type TheHiveAlertInput = InputCreateAlert & {
  tags: string[];
  observables: NonNullable<InputCreateAlert['observables']>;
};

export interface CaseRequest {
  method: 'POST' | 'PATCH' | 'GET';
  path: string;
  body?: unknown;
}

function cut(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** TheHive's `sourceRef` for a fingerprint: the fingerprint itself, within TheHive's 128-character limit. */
export function sourceRefFor(fingerprint: string): string {
  return cut(fingerprint, THEHIVE_LIMITS.sourceRef);
}

function tagsFor(finding: Omit<Finding, 'raw'>): string[] {
  const tags = [
    `customer:${finding.customer}`,
    `source:${finding.source}`,
    finding.accountId ? `aws-account:${finding.accountId}` : undefined,
    finding.region ? `region:${finding.region}` : undefined,
    finding.type,
  ];
  return [
    ...new Set(tags.filter((tag): tag is string => Boolean(tag)).map((tag) => cut(tag, THEHIVE_LIMITS.tag))),
  ];
}

function timestamp(iso: string): number {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? 0 : ms;
}

/** What a finding's own link opens, by source. */
const CONSOLE_LINK_LABELS: Record<Finding['source'], string> = {
  guardduty: 'Open in the AWS console',
  securityhub: 'Open in the AWS console',
  siem: 'Open in the SIEM',
  slack: 'The reported Slack message',
};

/**
 * The case description: the finding's facts, links both ways (AWS console or SIEM, and the Slack
 * alert) and the Slack user who asked for the case. TheHive copies an alert's description into the
 * case it is promoted to, so this says it without a third request (a comment).
 */
export function caseDescription(alert: AlertRecord, requestedBy: string): string {
  const f = alert.finding;
  const rows: [string, string][] = [
    ['Source', `${f.product} (${f.source})`],
    ['Finding id', f.sourceId],
    ['Type', f.type],
    ['Severity', `${f.severity} (source value ${f.sourceSeverity})`],
    ['Customer', f.customer],
  ];
  if (f.accountId) rows.push(['Account', f.accountName ? `${f.accountId} (${f.accountName})` : f.accountId]);
  if (f.region) rows.push(['Region', f.region]);
  if (f.resource) rows.push(['Resource', `${f.resource.kind} ${f.resource.name ?? f.resource.id}`]);
  rows.push(['First seen', f.firstSeen], ['Last seen', f.lastSeen], ['Count', String(alert.count)]);
  if (f.actor) rows.push(['User', f.actor.email ? `${f.actor.name} <${f.actor.email}>` : f.actor.name]);

  const links = [
    f.consoleUrl ? markdownLink(CONSOLE_LINK_LABELS[f.source], f.consoleUrl) : undefined,
    alert.permalink ? markdownLink('Slack alert', alert.permalink) : undefined,
    alert.inDigest?.permalink
      ? markdownLink('Storm digest it was first grouped into', alert.inDigest.permalink)
      : undefined,
  ].filter(Boolean);
  const leftOut = alert.digest?.observablesLeftOut ?? 0;

  return [
    // A heading is one line: a newline in the title would start a paragraph of finding text.
    `### ${escapeMarkdown(f.title.replace(/\s*[\r\n]+\s*/g, ' '))}`,
    '',
    '| Field | Value |',
    '| --- | --- |',
    ...rows.map(([name, value]) => `| ${name} | ${escapeTableCell(value)} |`),
    '',
    links.length ? `Links: ${links.join(' · ')}` : '',
    '',
    '#### Description',
    '',
    escapeMarkdown(f.description),
    '',
    ...(alert.digest
      ? [
          `_A digest of ${alert.digest.count} findings: each is kept in Hivewire with its own audit trail (\`hivewire audit <fingerprint>\`)` +
            `${leftOut > 0 ? `; ${leftOut} of their distinct observables are not attached (an alert keeps at most ${f.observables.length})` : ''}._`,
          '',
        ]
      : []),
    `_${f.source === 'slack' ? 'Reported to the SOC' : 'Escalated'} from Slack by Slack user ${escapeMarkdown(requestedBy)} with Hivewire (fingerprint ${escapeMarkdown(alert.fingerprint)})._`,
  ].join('\n');
}

/** The TheHive alert for an escalation: observables inline, so escalation costs two requests whatever their number. */
export function theHiveAlertFor(
  alert: AlertRecord,
  settings: CaseSettings,
  requestedBy: string,
): TheHiveAlertInput {
  const f = alert.finding;
  const reported = f.source === 'slack';
  return {
    type: reported ? REPORT_ALERT_TYPE : THEHIVE_ALERT_TYPE,
    source: cut(f.source, THEHIVE_LIMITS.source),
    sourceRef: reported ? cut(f.sourceId, THEHIVE_LIMITS.sourceRef) : sourceRefFor(alert.fingerprint),
    // Shown as text in TheHive's lists: a direction override would reverse it there too.
    title: cut(showInvisibles(f.title), THEHIVE_LIMITS.title),
    description: caseDescription(alert, requestedBy),
    severity: theHiveSeverity(alert.severity),
    date: timestamp(f.firstSeen),
    tags: tagsFor(f),
    tlp: settings.tlp as Tlp,
    pap: settings.pap as Pap,
    ...(f.consoleUrl?.startsWith('https://') ? { externalLink: f.consoleUrl } : {}),
    observables: f.observables.map((o) => ({
      dataType: o.dataType,
      data: o.data,
      ...(o.tags?.length ? { tags: o.tags.map((tag) => cut(tag, THEHIVE_LIMITS.tag)) } : {}),
      ...(o.ioc !== undefined ? { ioc: o.ioc } : {}),
      ...(o.message ? { message: o.message } : {}),
    })),
  };
}

/** The promotion of the TheHive alert into a case (an optional case template from config). */
export function promotionFor(settings: CaseSettings): { caseTemplate?: string } {
  return settings.caseTemplate ? { caseTemplate: settings.caseTemplate } : {};
}

/**
 * The requests "Create Case" sends when `requestedBy` clicks, in order, with paths relative to
 * `THEHIVE_URL` (`{alertId}` stands for the `_id` TheHive gives the alert).
 */
export function caseRequests(alert: AlertRecord, settings: CaseSettings, requestedBy: string): CaseRequest[] {
  return [
    { method: 'POST', path: '/api/v1/alert', body: theHiveAlertFor(alert, settings, requestedBy) },
    { method: 'POST', path: '/api/v1/alert/{alertId}/case', body: promotionFor(settings) },
  ];
}
