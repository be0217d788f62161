/**
 * AlienVault / AT&T (LevelBlue) USM Anywhere alarms, in the shape of the API's
 * `GET /api/2.0/alarms/{id}` (which notification integrations forward).
 */
import { isIP } from 'node:net';
import * as z from '../validation/zod';
import { webLink } from './console-links';
import { firstOf, lenient, list, numeric, requiredId, text, timestamp } from './fields';
import type { FindingActor, FindingResource, NormalisedFinding } from '../domain/finding';
import { fingerprintOf } from './fingerprint';
import { ObservableSet, isPlaceholder } from './observables';
import { fieldRejection, schemaRejection, type SourceContext, type SourceOutcome } from './outcome';
import { usmSeverity } from './severity';

const eventMessage = z.object({
  timestamp_occured: timestamp,
  source_address: text,
  destination_address: text,
  source_name: text,
  destination_name: text,
  source_username: text,
  destination_username: text,
  file_hash: text,
  file_hash_md5: text,
  file_hash_sha1: text,
  file_hash_sha256: text,
  request_url: text,
  dns_rrname: text,
  malware_family: text,
});

/** The USM Anywhere alarm schema: strict on `uuid`, lenient elsewhere (the vendor spells it "occured"). */
const usmAlarmSchema = z.object({
  uuid: requiredId('the alarm uuid'),
  rule_method: text,
  rule_id: text,
  rule_intent: text,
  rule_strategy: text,
  rule_attack_id: text,
  rule_attack_technique: text,
  rule_attack_tactic: list(z.string()),
  priority_label: text,
  priority: numeric,
  timestamp_occured: timestamp,
  timestamp_occured_iso8601: timestamp,
  timestamp_received: timestamp,
  timestamp_received_iso8601: timestamp,
  alarm_events_count: numeric,
  source_name: text,
  destination_name: text,
  source_canonical: text,
  destination_canonical: text,
  source_username: text,
  destination_username: text,
  alarm_sources: list(z.string()),
  alarm_destinations: list(z.string()),
  alarm_source_names: list(z.string()),
  alarm_destination_names: list(z.string()),
  _links: lenient(z.object({ self: lenient(z.object({ href: text })) })),
  events: list(z.object({ timeStamp: timestamp, message: lenient(eventMessage) })),
});

type UsmAlarm = z.output<typeof usmAlarmSchema>;
type EventMessage = z.output<typeof eventMessage>;

/** A USM source/destination: an IP (indicator when public) or a host name (context); asset UUIDs are dropped. */
function endpoint(set: ObservableSet, value: string | undefined, side: 'src' | 'dst'): void {
  if (value && isIP(value)) set.ip(value, [side], 'attacker');
  else set.hostname(value, [`${side}-host`]);
}

function messageObservables(message: EventMessage, set: ObservableSet): void {
  endpoint(set, message.source_address, 'src');
  endpoint(set, message.source_name, 'src');
  endpoint(set, message.destination_address, 'dst');
  endpoint(set, message.destination_name, 'dst');
  set.other(message.source_username, ['user-name', 'src']);
  set.other(message.destination_username, ['user-name', 'dst']);
  for (const hash of [
    message.file_hash,
    message.file_hash_md5,
    message.file_hash_sha1,
    message.file_hash_sha256,
  ]) {
    set.hash(hash, ['file'], true);
  }
  set.url(message.request_url, ['request-url'], true);
  set.domain(message.dns_rrname, ['dns-request'], true);
  set.other(message.malware_family, ['malware']);
}

function usmObservables(alarm: UsmAlarm): ObservableSet {
  const set = new ObservableSet();
  for (const source of [...alarm.alarm_sources, alarm.source_name, ...alarm.alarm_source_names])
    endpoint(set, source, 'src');
  for (const destination of [
    ...alarm.alarm_destinations,
    alarm.destination_name,
    ...alarm.alarm_destination_names,
  ]) {
    endpoint(set, destination, 'dst');
  }
  set.other(alarm.source_username, ['user-name', 'src']);
  set.other(alarm.destination_username, ['user-name', 'dst']);
  for (const event of alarm.events) if (event.message) messageObservables(event.message, set);
  return set;
}

/** The rule that fired and its ATT&CK mapping, as readable lines. */
function usmDescription(alarm: UsmAlarm, title: string): string {
  const lines = [
    [alarm.rule_intent, alarm.rule_strategy, alarm.rule_method].filter(Boolean).join(' / ') || title,
  ];
  if (alarm.rule_attack_id) {
    const technique = alarm.rule_attack_technique ? ` ${alarm.rule_attack_technique}` : '';
    const tactics = alarm.rule_attack_tactic.length > 0 ? ` (${alarm.rule_attack_tactic.join(', ')})` : '';
    lines.push(`MITRE ATT&CK ${alarm.rule_attack_id}${technique}${tactics}`);
  }
  return lines.join('\n');
}

/** The user who did it, unless it is a machine account (`HOST$`) rather than a person. */
function usmActor(alarm: UsmAlarm): FindingActor | undefined {
  const name = alarm.source_username;
  if (!name || name.endsWith('$') || isPlaceholder(name)) return undefined;
  return { name };
}

function usmResource(alarm: UsmAlarm): FindingResource | undefined {
  const id = firstOf(
    alarm.destination_canonical,
    alarm.destination_name,
    alarm.source_canonical,
    alarm.source_name,
  );
  if (!id) return undefined;
  const resource: FindingResource = { kind: 'Host', id };
  const name = firstOf(alarm.destination_name, alarm.source_name);
  if (name) resource.name = name;
  return resource;
}

/** Normalises a USM Anywhere alarm. */
export function normaliseUsmAlarm(input: unknown, ctx: SourceContext): SourceOutcome {
  const parsed = usmAlarmSchema.safeParse(input);
  if (!parsed.success) return schemaRejection(ctx.path, parsed.error);
  const alarm = parsed.data;
  const severity = usmSeverity(alarm.priority_label, alarm.priority);
  if (!severity) {
    return fieldRejection(ctx.path, 'priority_label', 'required (low, medium, high), or a numeric priority');
  }

  const occurred = firstOf(alarm.timestamp_occured_iso8601, alarm.timestamp_occured);
  const eventTimes = alarm.events
    .map((event) => firstOf(event.message?.timestamp_occured, event.timeStamp))
    .filter((time): time is string => time !== undefined)
    .sort();
  const firstSeen = firstOf(eventTimes[0], occurred);
  const lastSeen = firstOf(occurred, eventTimes[eventTimes.length - 1]);
  const updatedAt = firstOf(alarm.timestamp_received_iso8601, alarm.timestamp_received, lastSeen);
  if (!firstSeen || !lastSeen || !updatedAt) return fieldRejection(ctx.path, 'timestamp_occured', 'required');

  const title = firstOf(alarm.rule_method, alarm.rule_id) ?? 'USM Anywhere alarm';
  const normalised: NormalisedFinding = {
    fingerprint: fingerprintOf('usm', `usm/${alarm.uuid}`),
    source: 'siem',
    product: 'USM Anywhere',
    sourceId: alarm.uuid,
    title,
    description: usmDescription(alarm, title),
    severity,
    sourceSeverity: alarm.priority_label ?? `priority ${alarm.priority}`,
    type: firstOf(alarm.rule_id, alarm.rule_method) ?? 'alarm',
    kind: 'siem',
    observables: usmObservables(alarm).toArray(),
    firstSeen,
    lastSeen,
    updatedAt,
    count: Math.max(1, Math.floor(alarm.alarm_events_count ?? alarm.events.length)),
    raw: input,
  };
  const resource = usmResource(alarm);
  if (resource) normalised.resource = resource;
  const consoleUrl = webLink(alarm._links?.self?.href);
  if (consoleUrl) normalised.consoleUrl = consoleUrl;
  const actor = usmActor(alarm);
  if (actor) normalised.actor = actor;
  return { finding: normalised };
}
