/**
 * MozDef alerts: the Elasticsearch hit (`_id`, `_index`, alert under `_source`) that MozDef's alert
 * actions receive, or the bare alert dict `createAlertDict` builds.
 */
import * as z from '../validation/zod';
import { firstOf, list, longText, requiredId, stringMap, text, timestamp, lenient } from './fields';
import type { FindingActor, FindingResource, NormalisedFinding } from '../domain/finding';
import { fingerprintOf } from './fingerprint';
import { addGuardDutyServiceObservables } from './guardduty';
import { ObservableSet, isHostname } from './observables';
import {
  childPath,
  fieldRejection,
  schemaRejection,
  type SourceContext,
  type SourceOutcome,
} from './outcome';
import { mozdefSeverity } from './severity';

const alertSchema = z.object({
  summary: longText,
  severity: z.string({ error: (issue) => (issue.input === undefined ? 'required' : 'expected a string') }),
  utctimestamp: timestamp,
  category: text,
  classname: text,
  url: text,
  details: stringMap,
  events: list(
    z.object({
      documentsource: lenient(
        z.object({ utctimestamp: timestamp, hostname: text, summary: text, details: stringMap }),
      ),
    }),
  ),
});

/** An Elasticsearch search hit holding a MozDef alert. */
const hitSchema = z.object({ _id: requiredId('the document id'), _source: z.unknown() });

type MozdefAlert = z.output<typeof alertSchema>;

const EMAIL = /^[^\s@\]]+@[^\s@\]]+\.[^\s@\]]+$/;

/** Adds the IPs and user names MozDef keeps in `details` (`sourceipaddress`, `eventsourceipaddress`, `username`). */
function detailObservables(details: Record<string, string>, set: ObservableSet): void {
  for (const [key, value] of Object.entries(details)) {
    const name = key.toLowerCase();
    if (name.endsWith('ipaddress')) {
      const side = name.includes('destination') ? 'dst' : name.includes('source') ? 'src' : 'ip';
      set.ip(value, [side], 'attacker');
    } else if (name === 'username') {
      set.other(value, ['user-name']);
    }
  }
}

/** Deepest nesting searched for a GuardDuty finding inside an alert (alert → events → documentsource → details → finding). */
const MAX_NESTING = 12;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** GuardDuty's `service` object, whatever the SIEM named it: an `action` saying what happened. */
function isGuardDutyService(value: Record<string, unknown>): boolean {
  const action = value.action;
  return (
    isRecord(action) &&
    (typeof action.actionType === 'string' || Object.keys(action).some((key) => key.endsWith('Action')))
  );
}

/**
 * Adds the observables of every GuardDuty finding an alert carries, at any depth: MozDef's GuardDuty
 * normalisation keeps the finding's `service` as `details.finding`, so its remote IPs sit in
 * `…remoteIpDetails.ipAddressV4`, out of reach of the flat `*ipaddress` keys.
 */
function nestedGuardDutyObservables(value: unknown, set: ObservableSet, depth = 0): void {
  if (!isRecord(value) || depth > MAX_NESTING) return;
  if (!Array.isArray(value) && isGuardDutyService(value)) {
    addGuardDutyServiceObservables(value, set);
    return;
  }
  for (const child of Object.values(value)) nestedGuardDutyObservables(child, set, depth + 1);
}

/** The user the alert is about: a user name from its details that the summary names, with the e-mail written next to it. */
function mozdefActor(alert: MozdefAlert): FindingActor | undefined {
  const summary = alert.summary ?? '';
  const names = [
    alert.details.username,
    ...alert.events.map((event) => event.documentsource?.details.username),
  ];
  for (const name of names) {
    if (!name || !summary.includes(name)) continue;
    const actor: FindingActor = { name };
    // MozDef writes "<user> [<e-mail>]" in summaries about a person.
    const marker = `${name} [`;
    const start = summary.indexOf(marker);
    const end = start < 0 ? -1 : summary.indexOf(']', start + marker.length);
    const email = end < 0 ? undefined : summary.slice(start + marker.length, end);
    if (email && EMAIL.test(email)) actor.email = email;
    return actor;
  }
  return undefined;
}

/** MozDef's `url` is often a bare host (`website.com`): make it a link; keep absolute http(s) URLs as they are. */
function alertLink(url: string | undefined): string | undefined {
  if (!url) return undefined;
  if (/^https?:\/\//i.test(url)) return url;
  const host = url.split('/')[0] ?? '';
  return isHostname(host) ? `https://${url}` : undefined;
}

/** Normalises a MozDef alert, given as an Elasticsearch hit or as the bare alert. */
export function normaliseMozdefAlert(input: unknown, ctx: SourceContext): SourceOutcome {
  let documentId: string | undefined;
  let body: unknown = input;
  let path = ctx.path;
  if (typeof input === 'object' && input !== null && '_source' in input) {
    const hit = hitSchema.safeParse(input);
    if (!hit.success) return schemaRejection(ctx.path, hit.error);
    documentId = hit.data._id;
    body = hit.data._source;
    path = childPath(ctx.path, '_source');
  }
  const parsed = alertSchema.safeParse(body);
  if (!parsed.success) return schemaRejection(path, parsed.error);
  const alert = parsed.data;
  const severity = mozdefSeverity(alert.severity);
  if (!severity) return fieldRejection(path, 'severity', 'expected INFO, NOTICE, WARNING, ERROR or CRITICAL');
  if (!alert.utctimestamp) return fieldRejection(path, 'utctimestamp', 'required');

  const eventTimes = alert.events
    .map((event) => event.documentsource?.utctimestamp)
    .filter((time): time is string => time !== undefined)
    .sort();
  const rule = firstOf(alert.classname, alert.category) ?? 'alert';
  const title =
    firstOf(alert.summary?.trim(), alert.category && `MozDef ${alert.category} alert`) ?? 'MozDef alert';
  const eventSummaries = alert.events
    .map((event) => event.documentsource?.summary)
    .filter((summary): summary is string => Boolean(summary))
    .slice(0, 5);

  const observables = new ObservableSet();
  detailObservables(alert.details, observables);
  for (const event of alert.events) {
    if (event.documentsource) detailObservables(event.documentsource.details, observables);
    observables.hostname(event.documentsource?.hostname, ['host']);
  }
  nestedGuardDutyObservables(body, observables);
  observables.text(alert.summary);

  const normalised: NormalisedFinding = {
    fingerprint: fingerprintOf(
      'mzd',
      documentId ? `mozdef/${documentId}` : `mozdef/${alert.utctimestamp}/${rule}/${alert.summary ?? ''}`,
    ),
    source: 'siem',
    product: 'MozDef',
    sourceId: documentId ?? `${rule}@${alert.utctimestamp}`,
    title,
    description: [title, ...eventSummaries].join('\n'),
    severity,
    sourceSeverity: alert.severity,
    type: rule,
    kind: 'siem',
    observables: observables.toArray(),
    firstSeen: eventTimes[0] ?? alert.utctimestamp,
    lastSeen: eventTimes[eventTimes.length - 1] ?? alert.utctimestamp,
    updatedAt: alert.utctimestamp,
    count: Math.max(1, alert.events.length),
    raw: input,
  };
  const host = alert.events.find((event) => event.documentsource?.hostname)?.documentsource?.hostname;
  if (host) normalised.resource = { kind: 'Host', id: host, name: host } satisfies FindingResource;
  const consoleUrl = alertLink(alert.url);
  if (consoleUrl) normalised.consoleUrl = consoleUrl;
  const actor = mozdefActor(alert);
  if (actor) normalised.actor = actor;
  return { finding: normalised };
}
