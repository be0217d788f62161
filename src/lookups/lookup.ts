/**
 * Threat-intel lookups: IPs, domains, URLs and hashes taken from text the way analysts paste them
 * (defanged too) or from an alert's indicators, looked up in RDAP and in each service whose key is
 * configured. Every service has its own timeout and one failing never hides the others' answers.
 *
 * `/hivewire lookup` and the Enrich button only queue a `lookup` job (the answers can take seconds);
 * the worker runs it and answers on the command's response URL or in the alert's thread; from Webex
 * (`@Hivewire lookup`, the card's Enrich), in the Webex thread it was asked in.
 */
import { lookupResults } from '../../blocks/analyst/lookup';
import { AbuseIpDbClient } from '../../clients/intel/abuseipdb';
import { IntelError } from '../../clients/intel/http';
import { RdapClient } from '../../clients/intel/rdap';
import { UrlhausClient, urlhausAcceptsHash } from '../../clients/intel/urlhaus';
import { VirusTotalClient } from '../../clients/intel/virustotal';
import type { Deps, IntelSources } from '../wiring/deps';
import type { JobOf } from '../queue/jobs';

import { postToResponseUrl } from '../slack/response-url';
import { webexChatOf } from '../chat/webex/adapter';
import { webexLookupResults } from '../../cards/webex-analyst';
import type { IntelAnswer, LookupTarget, SourceName, SourceResult, TargetReport } from '../domain/lookups';

/** Where lookups run from a command are audited (audit events are keyed like alerts). */
export const LOOKUPS_AUDIT_KEY = 'lookups';

/** Builds the sources from `VIRUSTOTAL_API_KEY`, `ABUSEIPDB_API_KEY` and `URLHAUS_API_KEY`. */
export function intelSourcesFromEnv(env: NodeJS.ProcessEnv): IntelSources {
  const key = (name: string) => env[name]?.trim() || undefined;
  const virusTotal = key('VIRUSTOTAL_API_KEY');
  const abuseIpDb = key('ABUSEIPDB_API_KEY');
  const urlhaus = key('URLHAUS_API_KEY');
  return {
    rdap: new RdapClient(),
    ...(virusTotal ? { virusTotal: new VirusTotalClient(virusTotal) } : {}),
    ...(abuseIpDb ? { abuseIpDb: new AbuseIpDbClient(abuseIpDb) } : {}),
    ...(urlhaus ? { urlhaus: new UrlhausClient(urlhaus) } : {}),
  };
}

type Question = { source: SourceName; ask: () => Promise<IntelAnswer> };

/** Which services can answer for a target, given the configured ones. */
function questionsFor(target: LookupTarget, sources: IntelSources): Question[] {
  const { rdap, virusTotal, abuseIpDb, urlhaus } = sources;
  const { dataType, value } = target;
  const questions: Question[] = [];
  if (rdap && dataType === 'ip')
    questions.push({ source: 'RDAP', ask: async () => ({ kind: 'rdap-ip', network: await rdap.ip(value) }) });
  if (rdap && dataType === 'domain')
    questions.push({
      source: 'RDAP',
      ask: async () => ({ kind: 'rdap-domain', domain: await rdap.domain(value) }),
    });
  if (virusTotal)
    questions.push({
      source: 'VirusTotal',
      ask: async () => ({ kind: 'virustotal', report: await virusTotal.report(dataType, value) }),
    });
  if (abuseIpDb && dataType === 'ip')
    questions.push({
      source: 'AbuseIPDB',
      ask: async () => ({ kind: 'abuseipdb', report: await abuseIpDb.check(value) }),
    });
  if (urlhaus && (dataType !== 'hash' || urlhausAcceptsHash(value))) {
    const query = dataType === 'url' ? 'url' : dataType === 'hash' ? 'hash' : 'host';
    questions.push({
      source: 'URLhaus',
      ask: async () => ({ kind: 'urlhaus', report: await urlhaus.lookup(query, value) }),
    });
  }
  return questions;
}

/** Words for a failed lookup: the service's own error, never a stack or a request. */
function failure(error: unknown): string {
  if (error instanceof IntelError) return error.message;
  return 'lookup failed';
}

/** Asks every applicable service about every target at once; failures are kept per service. */
export async function lookUp(targets: LookupTarget[], sources: IntelSources): Promise<TargetReport[]> {
  return Promise.all(
    targets.map(async (target) => {
      const questions = questionsFor(target, sources);
      const settled = await Promise.allSettled(questions.map((question) => question.ask()));
      const results = settled.map((outcome, index): SourceResult => {
        const source = (questions[index] as Question).source;
        return outcome.status === 'fulfilled'
          ? { source, ok: true, answer: outcome.value }
          : { source, ok: false, error: failure(outcome.reason) };
      });
      return { target, results };
    }),
  );
}

/** The names of the services a lookup can use, for the answer's footer. */
export function sourceNames(sources: IntelSources): SourceName[] {
  const names: SourceName[] = [];
  if (sources.rdap) names.push('RDAP');
  if (sources.virusTotal) names.push('VirusTotal');
  if (sources.abuseIpDb) names.push('AbuseIPDB');
  if (sources.urlhaus) names.push('URLhaus');
  return names;
}

/** The worker's half: runs the lookups, audits them, answers on the response URL or in the thread. */
export async function runLookup(job: JobOf<'lookup'>, deps: Deps & { intel: IntelSources }): Promise<void> {
  const reports = await lookUp(job.targets, deps.intel);
  const results = { reports, sources: sourceNames(deps.intel), now: deps.now() };
  const fingerprint = job.reply.to === 'response-url' ? undefined : job.reply.fingerprint;
  const alert = fingerprint === undefined ? undefined : await deps.store.getAlert(fingerprint);
  await deps.store.appendAudit({
    fingerprint: fingerprint ?? LOOKUPS_AUDIT_KEY,
    caseId: alert?.caseId,
    actor: { kind: job.reply.to === 'webex' ? 'webex' : 'slack', id: job.userId },
    action: 'lookup',
    details: {
      count: job.targets.length,
      targets: job.targets.map((target) => `${target.dataType}:${target.value.slice(0, 256)}`),
      sources: sourceNames(deps.intel),
      failed: reports.flatMap((report) =>
        report.results.filter((result) => !result.ok).map((result) => result.source),
      ),
    },
  });
  if (job.reply.to === 'webex') {
    await webexChatOf(deps.chats).reply(
      { roomId: job.reply.roomId, messageId: job.reply.parentId },
      webexLookupResults(results),
    );
    return;
  }
  const message = lookupResults(results);
  if (job.reply.to === 'response-url') {
    await postToResponseUrl(job.reply.url, message, deps.config);
    return;
  }
  if (!alert?.ts) {
    deps.logger.warn('lookup results not threaded: the alert is unknown or not posted', {
      fingerprint: job.reply.fingerprint,
    });
    return;
  }
  await deps.slack.reply(alert.channel, alert.ts, message);
}
