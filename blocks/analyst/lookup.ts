/**
 * Threat-intel lookup results: one section per indicator, one line per service. Everything a service
 * answers is untrusted text (a registrant name can hold anything), so it goes through `literal`; the
 * only links are report pages Hivewire builds itself or checks the host of.
 */
import type { KnownBlock } from '@slack/types';
import type { IntelAnswer, SourceName, SourceResult, TargetReport } from '../../src/domain/lookups';
import type { LookupTarget } from '../../src/domain/lookups';
import { context, mrkdwn, section, slackLink, webUrlHost } from '../elements';
import { literal } from '../escape';
import {
  MESSAGE_TEXT_BUDGET,
  OBSERVABLE_VALUE_MAX,
  PROSE_VALUE_MAX,
  SECTION_TEXT_MAX,
  messageTextLength,
} from '../limits';
import { notice, type Reply } from '../replies';

/** Domains younger than this are flagged: freshly registered domains are a classic phishing sign. */
const NEW_DOMAIN_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const REPORT_HOSTS = new Set(['www.virustotal.com', 'www.abuseipdb.com', 'urlhaus.abuse.ch']);

const TYPE_LABELS: Record<LookupTarget['dataType'], string> = {
  ip: 'IP',
  domain: 'Domain',
  url: 'URL',
  hash: 'Hash',
};

/**
 * How a chat writes the lines: bold, untrusted text (escaped for it, at most `max` characters) and a
 * link to a URL Hivewire checked. Slack's mrkdwn here; Webex's markdown in cards/webex-analyst.ts.
 */
export interface LookupMarkup {
  bold(words: string): string;
  text(value: string, max?: number): string;
  link(url: string, label: string): string;
}

const SLACK_MARKUP: LookupMarkup = {
  bold: (words) => `*${words}*`,
  text: (value, max) => literal(value, max),
  link: slackLink,
};

function day(iso: string | undefined, m: LookupMarkup): string | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? m.text(iso) : new Date(time).toISOString().slice(0, 10);
}

function ageDays(iso: string | undefined, now: Date): number | undefined {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / DAY_MS);
}

function reportLink(url: string | undefined, label: string, m: LookupMarkup): string {
  const host = webUrlHost(url);
  return url && host && REPORT_HOSTS.has(host) ? ` · ${m.link(url, label)}` : '';
}

function join(parts: (string | undefined | false)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** One service's answer in one line. */
function answerLine(answer: IntelAnswer, now: Date, m: LookupMarkup): string {
  switch (answer.kind) {
    case 'rdap-ip': {
      const n = answer.network;
      if (!n) return `${m.bold('RDAP')}: no registry knows this address`;
      return `${m.bold('RDAP')}: ${
        join([
          n.name && `network ${m.text(n.name)}`,
          (n.cidr ?? n.range) && m.text(n.cidr ?? n.range ?? ''),
          n.owner && `owner ${m.text(n.owner)}`,
          n.country && m.text(n.country),
          n.registered && `registered ${day(n.registered, m)}`,
        ]) || 'registered, no details'
      }`;
    }
    case 'rdap-domain': {
      const d = answer.domain;
      if (!d) return `${m.bold('RDAP')}: not registered (or the registry has no RDAP service)`;
      const age = ageDays(d.registered, now);
      const fresh = age !== undefined && age >= 0 && age < NEW_DOMAIN_DAYS ? '🆕 ' : '';
      return `${m.bold('RDAP')}: ${fresh}${
        join([
          d.registered &&
            `registered ${day(d.registered, m)}${age !== undefined && age >= 0 ? ` (${age} days ago)` : ''}`,
          d.registrar && `registrar ${m.text(d.registrar)}`,
          d.registrant && `registrant ${m.text(d.registrant)}`,
          d.expires && `expires ${day(d.expires, m)}`,
        ]) || 'registered, no details'
      }`;
    }
    case 'virustotal': {
      const r = answer.report;
      if (!r.found) return `${m.bold('VirusTotal')}: never seen${reportLink(r.link, 'search', m)}`;
      const engines = r.malicious + r.suspicious + r.harmless + r.undetected;
      const mark = r.malicious > 0 ? '🔴 ' : r.suspicious > 0 ? '🟠 ' : '';
      return `${m.bold('VirusTotal')}: ${mark}${join([
        `${r.malicious} malicious, ${r.suspicious} suspicious of ${engines} engines`,
        r.reputation !== undefined && `reputation ${r.reputation}`,
        r.fileType && m.text(r.fileType),
        r.fileName && m.text(r.fileName),
      ])}${reportLink(r.link, 'report', m)}`;
    }
    case 'abuseipdb': {
      const r = answer.report;
      const mark = r.score >= 75 ? '🔴 ' : r.score >= 25 ? '🟠 ' : '';
      return `${m.bold('AbuseIPDB')}: ${mark}${join([
        `confidence ${r.score}%`,
        `${r.totalReports} reports from ${r.distinctReporters} users`,
        r.lastReportedAt && `last ${day(r.lastReportedAt, m)}`,
        r.isp && m.text(r.isp),
        r.usageType && m.text(r.usageType),
        r.isTor && 'Tor exit node',
        r.whitelisted && 'whitelisted',
      ])}${reportLink(r.link, 'report', m)}`;
    }
    case 'urlhaus': {
      const r = answer.report;
      if (!r.listed) return `${m.bold('URLhaus')}: not listed`;
      return `${m.bold('URLhaus')}: 🔴 listed · ${join([
        r.threat && m.text(r.threat),
        r.status && m.text(r.status),
        r.signature && m.text(r.signature),
        r.fileType && m.text(r.fileType),
        r.urlCount !== undefined && Number.isFinite(r.urlCount) && `${r.urlCount} malware URLs`,
        r.tags.length > 0 &&
          `tags ${r.tags
            .slice(0, 8)
            .map((tag) => m.text(tag, 40))
            .join(' ')}`,
        r.firstSeen && `since ${day(r.firstSeen, m)}`,
      ])}${reportLink(r.link, 'entry', m)}`;
    }
  }
}

function resultLine(result: SourceResult, now: Date, m: LookupMarkup): string {
  return result.ok ? answerLine(result.answer, now, m) : `⚠️ ${m.text(result.error, PROSE_VALUE_MAX)}`;
}

/** One indicator's report: its head line, then one line per service, in `m`'s markup. */
export function lookupReportLines(
  report: TargetReport,
  now: Date,
  m: LookupMarkup,
): { head: string; lines: string[] } {
  return {
    head: `${m.bold(TYPE_LABELS[report.target.dataType])} ${m.text(report.target.value, OBSERVABLE_VALUE_MAX)}`,
    lines: report.results.length
      ? report.results.map((result) => resultLine(result, now, m))
      : ['No configured service looks this type up.'],
  };
}

/** How many indicators a lookup flagged (VirusTotal malicious, URLhaus listed, AbuseIPDB ≥ 75 %). */
export function flaggedCount(reports: readonly TargetReport[]): number {
  return reports.filter((report) =>
    report.results.some(
      (r) =>
        r.ok &&
        ((r.answer.kind === 'virustotal' && r.answer.report.malicious > 0) ||
          (r.answer.kind === 'urlhaus' && r.answer.report.listed) ||
          (r.answer.kind === 'abuseipdb' && r.answer.report.score >= 75)),
    ),
  ).length;
}

/** The footer naming the services asked. */
export function lookupSourcesLine(sources: readonly SourceName[]): string {
  return `Sources: ${sources.join(', ') || 'none'} · set VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY or URLHAUS_API_KEY to add a service`;
}

function targetSection(report: TargetReport, now: Date): KnownBlock {
  const { head, lines } = lookupReportLines(report, now, SLACK_MARKUP);
  let text = head;
  for (const line of lines) {
    if (text.length + line.length + 1 > SECTION_TEXT_MAX) break;
    text += `\n${line}`;
  }
  return section(mrkdwn(text));
}

/** The results of one lookup, within Slack's message budget (indicators left out are counted). */
export function lookupResults(input: { reports: TargetReport[]; sources: SourceName[]; now: Date }): Reply {
  const footer = context(mrkdwn(lookupSourcesLine(input.sources)));
  const blocks: KnownBlock[] = [
    section(mrkdwn(`🔎 *Threat-intel lookup* · ${input.reports.length} indicators`)),
  ];
  let left = input.reports.length;
  for (const report of input.reports) {
    const block = targetSection(report, input.now);
    if (messageTextLength([...blocks, block, footer]) > MESSAGE_TEXT_BUDGET) break;
    blocks.push(block);
    left -= 1;
  }
  if (left > 0) blocks.push(context(mrkdwn(`+${left} indicators not shown (message too long)`)));
  blocks.push(footer);
  return {
    text: `Threat-intel lookup: ${input.reports.length} indicators, ${flaggedCount(input.reports)} flagged`,
    blocks,
  };
}

/**
 * A lookup's results as Markdown paragraphs (Webex messages, Teams TextBlocks): the head, one paragraph
 * per indicator (its services as a list) while they fit in `budgetBytes` (the rest counted), the sources.
 */
export function markdownLookupParagraphs(
  input: { reports: TargetReport[]; sources: SourceName[]; now: Date },
  m: LookupMarkup,
  budgetBytes: number,
): string[] {
  const paragraphs = [
    `🔎 ${m.bold('Threat-intel lookup')} · ${input.reports.length} indicators, ${flaggedCount(input.reports)} flagged`,
  ];
  let bytes = 0;
  for (const report of input.reports) {
    const { head, lines } = lookupReportLines(report, input.now, m);
    const paragraph = [head, ...lines.map((line) => `- ${line}`)].join('\n');
    bytes += Buffer.byteLength(paragraph) + 2;
    if (bytes > budgetBytes) break;
    paragraphs.push(paragraph);
  }
  const left = input.reports.length - (paragraphs.length - 1);
  if (left > 0) paragraphs.push(`+${left} indicators not shown (message too long)`);
  paragraphs.push(lookupSourcesLine(input.sources));
  return paragraphs;
}

/**
 * What a lookup left out and why, as a sentence for a card or Webex message (empty when nothing was):
 * `text` escapes each value and reason for where it lands.
 */
export function skippedSentence(
  skipped: readonly { value: string; reason: string }[],
  text: (value: string, max: number) => string,
): string {
  if (skipped.length === 0) return '';
  const listed = skipped
    .slice(0, 10)
    .map((s) => `${text(s.value, 60)} (${text(s.reason, 60)})`)
    .join(', ');
  return ` Not looked up: ${listed}${skipped.length > 10 ? ` and ${skipped.length - 10} more` : ''}.`;
}

/** The immediate answer while the lookup runs; lists what was skipped and why. */
export function lookupStarted(input: {
  count: number;
  skipped: { value: string; reason: string }[];
  where: 'here' | 'thread';
}): Reply {
  const skipped = input.skipped.length
    ? `\nNot looked up: ${input.skipped
        .slice(0, 10)
        .map((s) => `${literal(s.value, 60)} (${s.reason})`)
        .join(', ')}${input.skipped.length > 10 ? ` and ${input.skipped.length - 10} more` : ''}`
    : '';
  const where =
    input.where === 'thread' ? 'the results will be threaded under the alert' : 'results follow here';
  return notice(`🔎 Looking up ${input.count} indicator${input.count === 1 ? '' : 's'}… ${where}.${skipped}`);
}
