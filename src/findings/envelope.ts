/**
 * Envelopes: finds the findings inside whatever carried them (Amazon SNS HTTP notifications, Lambda
 * SNS/SQS records, EventBridge events, arrays, `findings[]` lists, a bare `{"detail": …}`) and says
 * which format each one is in. Events that are not findings are skipped here, with the reason.
 */
import { parseJsonText } from '../validation/json';
import { childPath, type EnvelopeInfo, type SourceContext } from './outcome';

/** The finding formats Hivewire reads. */
export type FindingFormat = 'guardduty' | 'asff' | 'ocsf' | 'usm' | 'mozdef';

/** One entry of the input, in order: a finding to normalise, or something skipped or rejected already. */
export type Unit =
  | { kind: 'finding'; format: FindingFormat; value: unknown; ctx: SourceContext }
  | { kind: 'skipped'; reason: string }
  | { kind: 'rejected'; error: string };

/** EventBridge detail types that carry findings, and the format of their findings. */
const FINDING_EVENTS: Record<string, FindingFormat> = {
  'GuardDuty Finding': 'guardduty',
  'Security Hub Findings - Imported': 'asff',
  'Security Hub Findings - Custom Action': 'asff',
  // Security Hub's 2018 (preview) name for a custom action event: the same `action name/description/id`
  // and ASFF `detail.findings[]`. Rules written then, and replays of archived events, still send it;
  // its findings are validated by the ASFF schema like any other, so skipping it would only lose them.
  'Security Hub Finding Notification': 'asff',
  'Findings Imported V2': 'ocsf',
};

/** SNS inside SQS inside a JSON string is three levels; anything much deeper is not a real delivery. */
const MAX_DEPTH = 8;
/** Longest JSON text decoded from a string field (SNS and SQS messages are at most 256 KiB / 1 MiB). */
const MAX_EMBEDDED_JSON = 2 * 1024 * 1024;
const MAX_NAME_IN_MESSAGE = 100;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function where(path: string): string {
  return path || 'input';
}

function stringField(object: Json, key: string): string | undefined {
  const value = object[key];
  return typeof value === 'string' ? value : undefined;
}

/** Looks like a USM Anywhere alarm (API shape). */
function isUsmAlarm(object: Json): boolean {
  return (
    object.packet_type === 'alarm' ||
    object.event_type === 'Alarm' ||
    ('uuid' in object && ('rule_method' in object || 'rule_intent' in object || 'priority_label' in object))
  );
}

/** The format of a single finding object, or `undefined` when it is none of them. */
function findingFormat(object: Json): FindingFormat | undefined {
  if ('SchemaVersion' in object || ('ProductArn' in object && 'Id' in object) || 'AwsAccountId' in object) {
    return 'asff';
  }
  if ('finding_info' in object || ('class_uid' in object && 'metadata' in object)) return 'ocsf';
  if ('_source' in object) return 'mozdef';
  if ('summary' in object && 'severity' in object && ('utctimestamp' in object || 'category' in object)) {
    return 'mozdef';
  }
  if (isUsmAlarm(object)) return 'usm';
  const arn = stringField(object, 'arn');
  if (
    ('type' in object && ('severity' in object || 'service' in object || 'resource' in object)) ||
    (arn !== undefined && arn.includes(':guardduty:')) ||
    ('service' in object && 'resource' in object)
  ) {
    return 'guardduty';
  }
  return undefined;
}

class Unwrapper {
  readonly units: Unit[] = [];

  private reject(path: string, message: string): void {
    this.units.push({ kind: 'rejected', error: `${where(path)}: ${message}` });
  }

  visit(value: unknown, path: string, depth: number, envelope?: EnvelopeInfo): void {
    if (depth > MAX_DEPTH) return this.reject(path, 'nested too deeply');
    if (typeof value === 'string') return this.visitText(value, path, depth, envelope);
    if (Array.isArray(value)) {
      if (value.length === 0) return this.reject(path, 'empty array: expected at least one event or finding');
      value.forEach((item, index) => this.visit(item, childPath(path, index), depth + 1, envelope));
      return;
    }
    if (!isObject(value)) return this.reject(path, `expected a JSON object, got ${describe(value)}`);
    this.visitObject(value, path, depth, envelope);
  }

  /** JSON delivered as text: an SNS `Message`, an SQS `body`, or a whole event sent as a string. */
  private visitText(value: string, path: string, depth: number, envelope?: EnvelopeInfo): void {
    const text = value.trim();
    if (!text.startsWith('{') && !text.startsWith('[')) {
      return this.reject(path, 'expected a JSON object, got a string');
    }
    if (text.length > MAX_EMBEDDED_JSON) {
      return this.reject(path, `embedded JSON longer than ${MAX_EMBEDDED_JSON} characters`);
    }
    const parsed = parseJsonText(text);
    if (!parsed.ok) return this.reject(path, parsed.error);
    this.visit(parsed.value, path, depth + 1, envelope);
  }

  private visitObject(object: Json, path: string, depth: number, envelope?: EnvelopeInfo): void {
    const snsType = stringField(object, 'Type');
    if (snsType === 'Notification' && 'Message' in object) {
      return this.visit(object.Message, childPath(path, 'Message'), depth + 1, envelope);
    }
    if (
      (snsType === 'SubscriptionConfirmation' || snsType === 'UnsubscribeConfirmation') &&
      'TopicArn' in object
    ) {
      this.units.push({ kind: 'skipped', reason: `SNS ${snsType}: no finding to ingest` });
      return;
    }
    if (Array.isArray(object.Records)) {
      return this.visitRecords(object.Records, childPath(path, 'Records'), depth);
    }
    const detailType = stringField(object, 'detail-type');
    if (detailType !== undefined) return this.visitEvent(object, detailType, path);

    const format = findingFormat(object);
    if (format) {
      this.units.push({ kind: 'finding', format, value: object, ctx: { path, envelope } });
      return;
    }
    // USM notification rules wrap the alarm: {timeStamp, enriched, message: {…alarm}}.
    if (isObject(object.message) && isUsmAlarm(object.message)) {
      this.units.push({
        kind: 'finding',
        format: 'usm',
        value: object.message,
        ctx: { path: childPath(path, 'message'), envelope },
      });
      return;
    }
    const list = Array.isArray(object.findings)
      ? 'findings'
      : Array.isArray(object.Findings)
        ? 'Findings'
        : undefined;
    if (list) {
      return this.visitFindings(object[list] as unknown[], childPath(path, list), undefined, envelope);
    }
    // The detail of an EventBridge event without its envelope: {"detail": {…}}.
    if ('detail' in object) return this.visit(object.detail, childPath(path, 'detail'), depth + 1, envelope);
    this.reject(
      path,
      'unrecognised input: expected an EventBridge event, a GuardDuty, ASFF or OCSF finding, ' +
        'a USM Anywhere alarm or a MozDef alert, or an SNS delivery of one',
    );
  }

  /** Lambda event records: SNS (`Records[].Sns`) or SQS (`Records[].body`). */
  private visitRecords(records: unknown[], path: string, depth: number): void {
    if (records.length === 0) return this.reject(path, 'empty array: expected at least one record');
    records.forEach((record, index) => {
      const at = childPath(path, index);
      if (isObject(record) && isObject(record.Sns)) {
        return this.visit(record.Sns, childPath(at, 'Sns'), depth + 1);
      }
      if (isObject(record) && record.eventSource === 'aws:sqs' && 'body' in record) {
        return this.visit(record.body, childPath(at, 'body'), depth + 1);
      }
      this.reject(at, 'expected an SNS record (Sns) or an SQS record (body)');
    });
  }

  private visitEvent(event: Json, detailType: string, path: string): void {
    const format = FINDING_EVENTS[detailType];
    if (!format) {
      const name = detailType.slice(0, MAX_NAME_IN_MESSAGE);
      this.units.push({ kind: 'skipped', reason: `detail-type "${name}" is not a finding event` });
      return;
    }
    const envelope: EnvelopeInfo = {
      account: stringField(event, 'account'),
      region: stringField(event, 'region'),
    };
    const detailPath = childPath(path, 'detail');
    const detail = event.detail;
    if (!isObject(detail)) return this.reject(detailPath, `expected an object, got ${describe(detail)}`);
    if (format === 'guardduty') {
      this.units.push({ kind: 'finding', format, value: detail, ctx: { path: detailPath, envelope } });
      return;
    }
    if (!Array.isArray(detail.findings)) {
      return this.reject(
        childPath(detailPath, 'findings'),
        `expected an array, got ${describe(detail.findings)}`,
      );
    }
    this.visitFindings(detail.findings, childPath(detailPath, 'findings'), format, envelope);
  }

  /** A list of findings; each in the given format, or recognised one by one. */
  private visitFindings(
    findings: unknown[],
    path: string,
    format: FindingFormat | undefined,
    envelope?: EnvelopeInfo,
  ): void {
    if (findings.length === 0) return this.reject(path, 'empty array: expected at least one finding');
    findings.forEach((value, index) => {
      const at = childPath(path, index);
      const own = isObject(value) ? findingFormat(value) : undefined;
      // A Security Hub event's findings can only be ASFF (or OCSF for V2); a malformed one is
      // rejected by that format's schema, which names the bad field.
      this.units.push({
        kind: 'finding',
        format: format ?? own ?? 'asff',
        value,
        ctx: { path: at, envelope },
      });
    });
  }
}

/** Every finding (or skip, or rejection) carried by an input, in order. */
export function unwrap(input: unknown): Unit[] {
  const unwrapper = new Unwrapper();
  unwrapper.visit(input, '', 0);
  return unwrapper.units;
}
