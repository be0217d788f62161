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

function day(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const time = Date.parse(iso);
  return Number.isNaN(time) ? literal(iso) : new Date(time).toISOString().slice(0, 10);
}

function ageDays(iso: string | undefined, now: Date): number | undefined {
  const time = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(time) ? undefined : Math.floor((now.getTime() - time) / DAY_MS);
}

function reportLink(url: string | undefined, label: string): string {
  const host = webUrlHost(url);
  return url && host && REPORT_HOSTS.has(host) ? ` · ${slackLink(url, label)}` : '';
}

function join(parts: (string | undefined | false)[]): string {
  return parts.filter(Boolean).join(' · ');
}

/** One service's answer in one line. */
function answerLine(answer: IntelAnswer, now: Date): string {
  switch (answer.kind) {
    case 'rdap-ip': {
      const n = answer.network;
      if (!n) return '*RDAP*: no registry knows this address';
      return `*RDAP*: ${
        join([
          n.name && `network ${literal(n.name)}`,
          (n.cidr ?? n.range) && literal(n.cidr ?? n.range ?? ''),
          n.owner && `owner ${literal(n.owner)}`,
          n.country && literal(n.country),
          n.registered && `registered ${day(n.registered)}`,
        ]) || 'registered, no details'
      }`;
    }
    case 'rdap-domain': {
      const d = answer.domain;
      if (!d) return '*RDAP*: not registered (or the registry has no RDAP service)';
      const age = ageDays(d.registered, now);
      const fresh = age !== undefined && age >= 0 && age < NEW_DOMAIN_DAYS ? '🆕 ' : '';
      return `*RDAP*: ${fresh}${
        join([
          d.registered &&
            `registered ${day(d.registered)}${age !== undefined && age >= 0 ? ` (${age} days ago)` : ''}`,
          d.registrar && `registrar ${literal(d.registrar)}`,
          d.registrant && `registrant ${literal(d.registrant)}`,
          d.expires && `expires ${day(d.expires)}`,
        ]) || 'registered, no details'
      }`;
    }
    case 'virustotal': {
      const r = answer.report;
      if (!r.found) return `*VirusTotal*: never seen${reportLink(r.link, 'search')}`;
      const engines = r.malicious + r.suspicious + r.harmless + r.undetected;
      const mark = r.malicious > 0 ? '🔴 ' : r.suspicious > 0 ? '🟠 ' : '';
      return `*VirusTotal*: ${mark}${join([
        `${r.malicious} malicious, ${r.suspicious} suspicious of ${engines} engines`,
        r.reputation !== undefined && `reputation ${r.reputation}`,
        r.fileType && literal(r.fileType),
        r.fileName && literal(r.fileName),
      ])}${reportLink(r.link, 'report')}`;
    }
    case 'abuseipdb': {
      const r = answer.report;
      const mark = r.score >= 75 ? '🔴 ' : r.score >= 25 ? '🟠 ' : '';
      return `*AbuseIPDB*: ${mark}${join([
        `confidence ${r.score}%`,
        `${r.totalReports} reports from ${r.distinctReporters} users`,
        r.lastReportedAt && `last ${day(r.lastReportedAt)}`,
        r.isp && literal(r.isp),
        r.usageType && literal(r.usageType),
        r.isTor && 'Tor exit node',
        r.whitelisted && 'whitelisted',
      ])}${reportLink(r.link, 'report')}`;
    }
    case 'urlhaus': {
      const r = answer.report;
      if (!r.listed) return '*URLhaus*: not listed';
      return `*URLhaus*: 🔴 listed · ${join([
        r.threat && literal(r.threat),
        r.status && literal(r.status),
        r.signature && literal(r.signature),
        r.fileType && literal(r.fileType),
        r.urlCount !== undefined && Number.isFinite(r.urlCount) && `${r.urlCount} malware URLs`,
        r.tags.length > 0 &&
          `tags ${r.tags
            .slice(0, 8)
            .map((tag) => literal(tag, 40))
            .join(' ')}`,
        r.firstSeen && `since ${day(r.firstSeen)}`,
      ])}${reportLink(r.link, 'entry')}`;
    }
  }
}

function resultLine(result: SourceResult, now: Date): string {
  return result.ok ? answerLine(result.answer, now) : `⚠️ ${literal(result.error, PROSE_VALUE_MAX)}`;
}

function targetSection(report: TargetReport, now: Date): KnownBlock {
  const head = `*${TYPE_LABELS[report.target.dataType]}* ${literal(report.target.value, OBSERVABLE_VALUE_MAX)}`;
  const lines = report.results.length
    ? report.results.map((result) => resultLine(result, now))
    : ['No configured service looks this type up.'];
  let text = head;
  for (const line of lines) {
    if (text.length + line.length + 1 > SECTION_TEXT_MAX) break;
    text += `\n${line}`;
  }
  return section(mrkdwn(text));
}

/** The results of one lookup, within Slack's message budget (indicators left out are counted). */
export function lookupResults(input: { reports: TargetReport[]; sources: SourceName[]; now: Date }): Reply {
  const footer = context(
    mrkdwn(
      `Sources: ${input.sources.join(', ') || 'none'} · set VIRUSTOTAL_API_KEY, ABUSEIPDB_API_KEY or URLHAUS_API_KEY to add a service`,
    ),
  );
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
  const flagged = input.reports.filter((report) =>
    report.results.some(
      (r) =>
        r.ok &&
        ((r.answer.kind === 'virustotal' && r.answer.report.malicious > 0) ||
          (r.answer.kind === 'urlhaus' && r.answer.report.listed) ||
          (r.answer.kind === 'abuseipdb' && r.answer.report.score >= 75)),
    ),
  ).length;
  return { text: `Threat-intel lookup: ${input.reports.length} indicators, ${flagged} flagged`, blocks };
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
