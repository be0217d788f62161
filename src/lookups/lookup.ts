/**
 * Threat-intel lookups: IPs, domains, URLs and hashes taken from text the way analysts paste them
 * (defanged too) or from an alert's indicators, looked up in RDAP and in each service whose key is
 * configured. Every service has its own timeout and one failing never hides the others' answers.
 *
 * `/hivewire lookup` and the Enrich button only queue a `lookup` job (the answers can take seconds);
 * the worker runs it and answers through the chat port (src/chat/port.ts): on the Slack command's
 * response URL, in the alert's thread on the platform Enrich was clicked on, or in the thread of
 * `@Hivewire lookup` in Webex or Teams.
 */
import { AbuseIpDbClient } from '../../clients/intel/abuseipdb';
import { IntelError } from '../../clients/intel/http';
import { RdapClient } from '../../clients/intel/rdap';
import { UrlhausClient, urlhausAcceptsHash } from '../../clients/intel/urlhaus';
import { VirusTotalClient } from '../../clients/intel/virustotal';
import type { Deps, IntelSources } from '../wiring/deps';
import type { JobOf } from '../queue/jobs';
import { alertRootOn } from '../alerts/roots';
import type { ChatMessageRef, ChatPlatform, ChatPort } from '../chat/port';
import type { AlertRecord } from '../domain/alert';
import type { ThreadNote } from '../domain/notes';
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

/** The platform a lookup was asked on (Slack's command and button when the job does not say). */
function askedOn(reply: JobOf<'lookup'>['reply']): ChatPlatform {
  switch (reply.to) {
    case 'response-url':
      return 'slack';
    case 'thread':
      return reply.platform ?? 'slack';
    case 'chat':
      return reply.platform;
    case 'webex':
      return 'webex';
  }
}

/** The thread a lookup's answer goes to, with its platform's adapter; undefined when there is none. */
function threadOf(
  reply: Exclude<JobOf<'lookup'>['reply'], { to: 'response-url' }>,
  alert: AlertRecord | undefined,
  deps: Pick<Deps, 'chats'>,
): { root: ChatMessageRef; chat: ChatPort } | undefined {
  if (reply.to === 'thread') return alert && alertRootOn(alert, askedOn(reply), deps);
  const root: ChatMessageRef =
    reply.to === 'chat'
      ? {
          platform: reply.platform,
          channel: reply.channel,
          messageId: reply.messageId,
          ...(reply.serviceUrl ? { serviceUrl: reply.serviceUrl } : {}),
        }
      : { platform: 'webex', channel: reply.roomId, messageId: reply.parentId };
  const chat = deps.chats[root.platform];
  return chat && { root, chat };
}

/**
 * The worker's half: runs the lookups, audits them, answers through the chat port: on a Slack command's
 * response URL, in the alert's thread on the platform Enrich was clicked on, or in a command's thread.
 */
export async function runLookup(job: JobOf<'lookup'>, deps: Deps & { intel: IntelSources }): Promise<void> {
  const reports = await lookUp(job.targets, deps.intel);
  const sources = sourceNames(deps.intel);
  const { reply } = job;
  const fingerprint = reply.to === 'thread' || reply.to === 'webex' ? reply.fingerprint : undefined;
  const alert = fingerprint === undefined ? undefined : await deps.store.getAlert(fingerprint);
  await deps.store.appendAudit({
    fingerprint: fingerprint ?? LOOKUPS_AUDIT_KEY,
    caseId: alert?.caseId,
    actor: { kind: askedOn(reply), id: job.userId },
    action: 'lookup',
    details: {
      count: job.targets.length,
      targets: job.targets.map((target) => `${target.dataType}:${target.value.slice(0, 256)}`),
      sources,
      failed: reports.flatMap((report) =>
        report.results.filter((result) => !result.ok).map((result) => result.source),
      ),
    },
  });
  const note: ThreadNote = { kind: 'lookup-results', reports, sources, at: deps.now().toISOString() };
  if (reply.to === 'response-url') {
    await deps.chats.slack.answerCommand(reply.url, note);
    return;
  }
  const thread = threadOf(reply, alert, deps);
  if (!thread) {
    deps.logger.warn('lookup results not threaded: the alert is unknown or not posted', {
      fingerprint,
      platform: askedOn(reply),
    });
    return;
  }
  await thread.chat.replyInThread(thread.root, note);
}
