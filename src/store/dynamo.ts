/**
 * The Store on DynamoDB: AWS DynamoDB in the cloud, dynalite (the same protocol on LevelDB) locally
 * and in tests, so both run one adapter and one set of conditional-write rules.
 *
 * Single-table design (the full description, with sizes and access patterns, is the README's "The table"):
 *
 *   pk                 sk                          what                                  gsi1pk / gsi1sk
 *   ALERT#<fp>         ALERT                       alert record (`record` = JSON) and    ALERTS or ALERTS#FOLLOWED / <createdAt>#<fp>
 *                                                 its first audit events (`events`)
 *   ALERT#<fp>         AUDIT#<at>#<seq>#<proc>     audit event, append-only              –
 *   CASE#<caseId>      CASE                        case id → fingerprint                 –
 *   CASENUM#<org>#<n>  CASE                        case number in a TheHive organisation → fingerprint –
 *   CASENUM#<number>   CASE                        case number → fingerprint (no organisation) –
 *   THREAD#<ch>#<ts>   THREAD                      alert thread → fingerprint            –
 *   COPY#<key>         COPY                        conversation copy (`record` = JSON)   –
 *   DELIVERY#<key>     DELIVERY                    claimed delivery key (TTL expiresAt)  –
 *   SETTING#<name>     SETTING                     setting (`value` = JSON)              –
 *   STORM#<channel>    STORM                       new findings per minute `w<minute>` (N) –
 *   DEADLETTER         <at>#<id>                   dead letter (`payload` = JSON)        –
 *   JOB                <enqueuedAt>#<id>           pending local job (`job` = JSON)      –
 *
 * Why these choices:
 * - Records, audit events, settings and payloads are stored as JSON strings, not DynamoDB maps: they carry
 *   attacker-controlled nesting (DynamoDB allows 32 levels), map keys and numbers (38 digits) that must
 *   not be able to fail a write; only what conditions and indexes use is a top-level attribute.
 * - Optimistic concurrency: `version` is checked by every `putAlert` (`#version = :expected`) and creation
 *   is `attribute_not_exists(pk)`; audit events are written with `attribute_not_exists` too.
 * - The first audit events of an alert (received, posted) ride in the alert item's `events` list, written
 *   by the same conditional write as the state they record: one request instead of three, and no
 *   transaction needed. `putAlert` appends to that list (`list_append`) and never sets it, so those
 *   events stay append-only; later events are items of their own, so the alert item cannot grow
 *   without bound. `listAudit` reads both from one partition.
 * - `putAlert` is an UpdateItem that sets the record's attributes: it needs no read of the item first
 *   when the caller holds the version it changes (see updateAlert in store.ts).
 * - No transactions (dynalite has no TransactWriteItems): the case index items are written just before
 *   the alert write that gives the alert its case, idempotently, and lookups check the alert they lead to.
 * - One GSI serves two access patterns: an alert whose case is open sits in the `ALERTS#FOLLOWED`
 *   partition, every other alert in `ALERTS`, both sorted by creation time. Moving between the two is
 *   part of the alert's own write, so the followed list can never disagree with the records; the newest
 *   alerts are a merge of the two partitions.
 * - No reliance on TTL (dynalite lacks it, and DynamoDB deletes expired items up to days late): an
 *   expired delivery key is claimable again by its `expiresAtMs`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type PutCommandInput,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, type DeadLetter, type PendingJob, type Store, type StormCount } from './store';
import type { AlertRecord } from '../domain/alert';
import type { AuditEvent, NewAuditEvent } from '../domain/audit';
import type { ConversationCopy } from '../domain/conversation';
import { AlertTooLargeError, InvalidAuditTimeError, JobTooLargeError } from './errors';
import { boundFinding, FINDING_BUDGET_BYTES, jsonBytes, MAX_ITEM_BYTES, truncateUtf8 } from './item-size';
import { GSI1 } from './table';

export interface DynamoStoreOptions {
  client: DynamoDBClient | DynamoDBDocumentClient;
  tableName: string;
  /** The clock for delivery-key expiry, audit and dead-letter times (tests inject one). */
  now?: () => Date;
}

type Item = Record<string, unknown>;

/** Partitions of the GSI holding alert records. */
const ALERTS = 'ALERTS';
const FOLLOWED = 'ALERTS#FOLLOWED';
const DEAD_LETTERS = 'DEADLETTER';
/** The partition of pending local jobs (sorted by id, which starts with the enqueue time). */
const JOBS = 'JOB';

/** Room an alert item's keys and index attributes take besides its record JSON. */
const ALERT_ITEM_OVERHEAD_BYTES = 2 * 1024;
/** Room a job item's keys and attributes take besides its job JSON. */
const JOB_ITEM_OVERHEAD_BYTES = 1024;
/** What an audit event's JSON may take; bigger details are kept as a truncated JSON text. */
const AUDIT_EVENT_BUDGET_BYTES = 256 * 1024;
/** What a dead letter's payload JSON may take before it is kept truncated. */
const DEAD_LETTER_PAYLOAD_BYTES = 256 * 1024;
/** What a dead letter's error message may take. */
const DEAD_LETTER_ERROR_BYTES = 8 * 1024;
/** How many "this alert's case is indexed" facts a store remembers before starting afresh. */
const INDEXED_CACHE_SIZE = 10_000;
/** BatchGetItem's most keys per request. */
const BATCH_GET_MAX_KEYS = 100;
/** Requests for the keys a BatchGetItem left unprocessed (throttling) before giving up. */
const BATCH_GET_ROUNDS = 5;
/** Events the first update of an alert may add to its item (posted); more are items of their own. */
const MAX_APPENDED_EVENTS = 2;
/** Tries at an audit key before giving up (a collision needs the same time, sequence and process id). */
const AUDIT_APPEND_ATTEMPTS = 5;

/**
 * Orders audit events written in the same millisecond: a counter that only grows in this process, and a
 * random process id so two processes writing in the same millisecond cannot take the same key.
 */
const auditSequence = { next: 0, process: randomBytes(4).toString('hex') };

function nextAuditSuffix(): string {
  auditSequence.next += 1;
  return `${String(auditSequence.next).padStart(12, '0')}#${auditSequence.process}`;
}

function alertKey(fingerprint: string): Item {
  return { pk: `ALERT#${fingerprint}`, sk: 'ALERT' };
}

function threadKey(channel: string, ts: string): Item {
  return { pk: `THREAD#${channel}#${ts}`, sk: 'THREAD' };
}

function copyKey(key: string): Item {
  return { pk: `COPY#${key}`, sk: 'COPY' };
}

/** A case's index item: by `_id`, or by number within its organisation (TheHive numbers per organisation). */
function caseKey(caseIdOrNumber: string | number, organisation?: string): Item {
  if (typeof caseIdOrNumber !== 'number') return { pk: `CASE#${caseIdOrNumber}`, sk: 'CASE' };
  return organisation === undefined
    ? { pk: `CASENUM#${caseIdOrNumber}`, sk: 'CASE' }
    : { pk: `CASENUM#${organisation}#${caseIdOrNumber}`, sk: 'CASE' };
}

/** An alert with a case that is still open: what reconcile follows. */
function isFollowed(record: AlertRecord): boolean {
  return record.caseId !== undefined && record.case?.stage !== 'Closed' && record.case?.gone === undefined;
}

/** Identifies "this alert's case is indexed" in the store's memory. */
function caseIndexKey(record: AlertRecord): string {
  return JSON.stringify([
    record.fingerprint,
    record.caseId ?? null,
    record.caseNumber ?? null,
    record.caseOrganisation ?? null,
  ]);
}

function matchesCase(record: AlertRecord, caseIdOrNumber: string | number, organisation?: string): boolean {
  if (typeof caseIdOrNumber !== 'number') return record.caseId === caseIdOrNumber;
  // A case indexed before organisations were kept (no caseOrganisation) matches any organisation.
  return (
    record.caseNumber === caseIdOrNumber &&
    (record.caseOrganisation === undefined || record.caseOrganisation === organisation)
  );
}

/**
 * Orders alert items by `gsi1sk`, descending, as a reverse Query of one partition would: plain string
 * comparison matches DynamoDB's byte order for these ASCII keys (localeCompare would follow the locale).
 */
function newestFirst(a: Item, b: Item): number {
  const [left, right] = [String(a.gsi1sk), String(b.gsi1sk)];
  return left < right ? 1 : left > right ? -1 : 0;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === 'ConditionalCheckFailedException';
}

/** The record as JSON (which also drops `undefined` fields), without `version`: that is an attribute. */
function recordJson(record: AlertRecord): string {
  const { version: _version, ...rest } = record;
  return JSON.stringify(rest);
}

/** An audit event as stored: its sort key (the order of the trail) and its JSON. */
interface StoredAuditEvent {
  sk: string;
  event: string;
}

/** The attributes an alert item holds besides its keys and embedded events; `json` is `recordJson(record)`. */
function alertAttributes(record: AlertRecord, json: string): Item {
  const bytes = Buffer.byteLength(json) + ALERT_ITEM_OVERHEAD_BYTES;
  if (bytes > MAX_ITEM_BYTES) throw new AlertTooLargeError(record.fingerprint, bytes);
  return {
    entity: 'alert',
    gsi1pk: isFollowed(record) ? FOLLOWED : ALERTS,
    gsi1sk: `${record.createdAt}#${record.fingerprint}`,
    version: record.version,
    state: record.state,
    ...(record.caseId !== undefined ? { caseId: record.caseId } : {}),
    ...(record.caseNumber !== undefined ? { caseNumber: record.caseNumber } : {}),
    record: json,
  };
}

/** Whether the alert's item can also carry `events` within DynamoDB's item limit. */
function fitsWithEvents(attributes: Item, events: StoredAuditEvent[]): boolean {
  const eventBytes = events.reduce((sum, e) => sum + Buffer.byteLength(e.event) + e.sk.length, 0);
  return (
    Buffer.byteLength(attributes.record as string) + ALERT_ITEM_OVERHEAD_BYTES + eventBytes <= MAX_ITEM_BYTES
  );
}

/** Attributes an alert item may lose on an update (absent from its new attributes: REMOVEd). */
const OPTIONAL_ALERT_ATTRIBUTES = ['caseId', 'caseNumber'] as const;

function alertOf(item: Item): AlertRecord {
  return {
    ...(JSON.parse(item.record as string) as Omit<AlertRecord, 'version'>),
    version: item.version as number,
  };
}

/**
 * The record with its finding trimmed to its budget (what is stored and returned), and its JSON. The
 * finding's JSON is part of the record's, so a record within the finding's budget needs no measuring of
 * its finding: one JSON text per write.
 */
function bounded(record: AlertRecord): { record: AlertRecord; json: string } {
  const json = recordJson(record);
  if (Buffer.byteLength(json) <= FINDING_BUDGET_BYTES) return { record, json };
  const finding = boundFinding(record.finding);
  if (!finding) throw new AlertTooLargeError(record.fingerprint, jsonBytes(record));
  if (finding === record.finding) return { record, json };
  const trimmed = { ...record, finding };
  return { record: trimmed, json: recordJson(trimmed) };
}

function normaliseAt(at: string): string {
  const time = new Date(at);
  if (Number.isNaN(time.getTime())) throw new InvalidAuditTimeError(at);
  return time.toISOString();
}

/** An audit event as it will be stored, with its JSON (measured and written: made once). */
interface AuditEventJson {
  event: AuditEvent;
  json: string;
}

/** The event with its time normalised and details over budget kept as the start of their JSON text. */
function auditEventOf(event: NewAuditEvent, now: () => Date): AuditEventJson {
  return storedAuditEvent({ ...event, at: normaliseAt(event.at ?? now().toISOString()) });
}

/** The event keyed for the trail: by time, then by the order this process appended it. */
function keyedAuditEvent({ event, json }: AuditEventJson): StoredAuditEvent {
  return { sk: `AUDIT#${event.at}#${nextAuditSuffix()}`, event: json };
}

/** The event as stored: details over budget are kept as the start of their JSON text. */
function storedAuditEvent(event: AuditEvent): AuditEventJson {
  const json = JSON.stringify(event);
  if (Buffer.byteLength(json) <= AUDIT_EVENT_BUDGET_BYTES) return { event, json };
  const details = JSON.stringify(event.details);
  const stored = {
    ...event,
    details: {
      truncated: true,
      originalBytes: Buffer.byteLength(details),
      json: truncateUtf8(details, AUDIT_EVENT_BUDGET_BYTES - 1024),
    },
  };
  return { event: stored, json: JSON.stringify(stored) };
}

/** The Store port on one DynamoDB table (see the design above and the README's "The table"). */
export class DynamoStore implements Store {
  private readonly documents: DynamoDBDocumentClient;
  private readonly tableName: string;
  private readonly now: () => Date;
  /** Alerts (with their case) whose case index items are known to exist: see indexCase. */
  private readonly indexed = new Set<string>();
  /** Per channel, the storm count's minutes seen older than the two it keeps: removed by its next update. */
  private readonly staleStormMinutes = new Map<string, string[]>();

  constructor(options: DynamoStoreOptions) {
    this.documents =
      options.client instanceof DynamoDBDocumentClient
        ? options.client
        : DynamoDBDocumentClient.from(options.client, { marshallOptions: { removeUndefinedValues: true } });
    this.tableName = options.tableName;
    this.now = options.now ?? (() => new Date());
  }

  /** Reads an alert, strongly consistent (the version it returns is the one a write must name). */
  async getAlert(fingerprint: string): Promise<AlertRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: alertKey(fingerprint), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const alert = alertOf(Item);
    // A stored version with a case proves its index items exist (they are written first).
    if (alert.caseId !== undefined || alert.caseNumber !== undefined) this.remember(caseIndexKey(alert));
    return alert;
  }

  /**
   * Reads several alerts with BatchGetItem (strongly consistent), 100 keys a request (DynamoDB's limit),
   * asking again for any keys DynamoDB left unprocessed.
   */
  async getAlerts(fingerprints: readonly string[]): Promise<Map<string, AlertRecord | undefined>> {
    const found = new Map<string, AlertRecord | undefined>(fingerprints.map((fp) => [fp, undefined]));
    const unique = [...found.keys()];
    for (let start = 0; start < unique.length; start += BATCH_GET_MAX_KEYS) {
      let keys: Item[] | undefined = unique.slice(start, start + BATCH_GET_MAX_KEYS).map(alertKey);
      for (let round = 0; keys?.length; round += 1) {
        if (round === BATCH_GET_ROUNDS) throw new Error(`BatchGetItem left ${keys.length} keys unprocessed`);
        const answer = await this.documents.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys: keys, ConsistentRead: true } },
          }),
        );
        for (const item of answer.Responses?.[this.tableName] ?? []) {
          const alert = alertOf(item);
          if (alert.caseId !== undefined || alert.caseNumber !== undefined)
            this.remember(caseIndexKey(alert));
          found.set(alert.fingerprint, alert);
        }
        keys = answer.UnprocessedKeys?.[this.tableName]?.Keys as Item[] | undefined;
      }
    }
    return found;
  }

  /**
   * Creates the record at version 1, with `events` as the first of its audit trail, in one write; false
   * (nothing written) when the fingerprint already has one.
   */
  async createAlert(record: Omit<AlertRecord, 'version'>, events: NewAuditEvent[] = []): Promise<boolean> {
    const { record: stored, json } = bounded({ ...record, version: 1 });
    await this.indexCase(stored);
    const attributes = alertAttributes(stored, json);
    const keyed = events.map((event) => keyedAuditEvent(auditEventOf(event, this.now)));
    // Events too big to ride along (a large finding and a large raw event) are written after it.
    const embedded = fitsWithEvents(attributes, keyed) ? keyed : [];
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...alertKey(record.fingerprint),
            ...attributes,
            ...(embedded.length ? { events: embedded } : {}),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
    if (!embedded.length) for (const event of events) await this.appendAudit(event);
    return true;
  }

  /**
   * Writes the record as version + 1 if the stored version is still `record.version`, appending `events`
   * to the alert's audit trail in the same write; ConflictError (nothing written) otherwise.
   */
  async putAlert(record: AlertRecord, events: NewAuditEvent[] = []): Promise<AlertRecord> {
    const { record: stored, json } = bounded({ ...record, version: record.version + 1 });
    await this.indexCase(stored);
    const attributes = alertAttributes(stored, json);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':expected': record.version };
    const set = Object.entries(attributes).map(([name, value]) => {
      names[`#${name}`] = name;
      values[`:${name}`] = value;
      return `#${name} = :${name}`;
    });
    const keyed = events.map((event) => keyedAuditEvent(auditEventOf(event, this.now)));
    // Only the first update of an alert (version 1, the posting) adds to its item: so the item's events
    // stay few whatever happens later, and a large finding sends them as items of their own.
    const embedded =
      record.version === 1 && keyed.length <= MAX_APPENDED_EVENTS && fitsWithEvents(attributes, keyed)
        ? keyed
        : [];
    if (embedded.length) {
      names['#events'] = 'events';
      values[':events'] = embedded;
      values[':none'] = [];
      set.push('#events = list_append(if_not_exists(#events, :none), :events)');
    }
    const remove = OPTIONAL_ALERT_ATTRIBUTES.filter((name) => !(name in attributes));
    for (const name of remove) names[`#${name}`] = name;
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: alertKey(record.fingerprint),
          UpdateExpression: `SET ${set.join(', ')}${remove.length ? ` REMOVE ${remove.map((name) => `#${name}`).join(', ')}` : ''}`,
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    } catch (error) {
      if (isConditionFailure(error)) {
        throw new ConflictError(
          `alert ${record.fingerprint}: version ${record.version} is no longer current`,
        );
      }
      throw error;
    }
    if (!embedded.length) for (const event of events) await this.appendAudit(event);
    return stored;
  }

  /**
   * Writes the case id and number → fingerprint items BEFORE the alert that names them (there are no
   * transactions): so every stored alert version with a case has its index items, whatever happens
   * between the two writes. An index item left by a write that then lost its condition points at an
   * alert without that case, and lookups check for that. Index items are plain puts (writing one twice
   * is harmless) and are skipped when this store already saw the alert with the same case.
   */
  private async indexCase(record: AlertRecord): Promise<void> {
    if (record.caseId === undefined && record.caseNumber === undefined) return;
    const seen = caseIndexKey(record);
    if (this.indexed.has(seen)) return;
    const refs = [record.caseId, record.caseNumber].filter((ref) => ref !== undefined);
    // The thread too: from its case on, the alert's thread is the case's conversation.
    const keys = [
      ...refs.map((ref) => caseKey(ref, record.caseOrganisation)),
      ...(record.ts ? [threadKey(record.channel, record.ts)] : []),
    ];
    await Promise.all(
      keys.map((key) =>
        this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...key, entity: 'case-index', fingerprint: record.fingerprint },
          }),
        ),
      ),
    );
    this.remember(seen);
  }

  private remember(seen: string): void {
    if (this.indexed.size >= INDEXED_CACHE_SIZE) this.indexed.clear();
    this.indexed.add(seen);
  }

  /**
   * The alert of a case, by TheHive `_id` (string) or case number in `organisation`; a number indexed
   * without an organisation (before they were kept) is still found.
   */
  async findAlertByCase(
    caseIdOrNumber: string | number,
    organisation?: string,
  ): Promise<AlertRecord | undefined> {
    const keys = [caseKey(caseIdOrNumber, organisation)];
    if (organisation !== undefined && typeof caseIdOrNumber === 'number') keys.push(caseKey(caseIdOrNumber));
    for (const key of keys) {
      const { Item } = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }),
      );
      const alert = Item ? await this.getAlert(Item.fingerprint as string) : undefined;
      if (alert && matchesCase(alert, caseIdOrNumber, organisation)) return alert;
    }
    return undefined;
  }

  /** The alert with a case whose root message is `ts` in `channel`. */
  async findAlertByThread(channel: string, ts: string): Promise<AlertRecord | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: threadKey(channel, ts), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const alert = await this.getAlert(Item.fingerprint as string);
    return alert && alert.channel === channel && alert.ts === ts ? alert : undefined;
  }

  async getConversationCopy(key: string): Promise<ConversationCopy | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: copyKey(key), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return { ...(JSON.parse(Item.record as string) as ConversationCopy), version: Item.version as number };
  }

  async createConversationCopy(copy: Omit<ConversationCopy, 'version'>): Promise<boolean> {
    try {
      await this.writeCopy(copy, 1, { ConditionExpression: 'attribute_not_exists(pk)' });
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  async putConversationCopy(copy: ConversationCopy): Promise<ConversationCopy> {
    const { version, ...rest } = copy;
    try {
      await this.writeCopy(rest, version + 1, {
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': version },
      });
    } catch (error) {
      if (isConditionFailure(error))
        throw new ConflictError(`conversation copy ${copy.key}: version ${version} is no longer current`);
      throw error;
    }
    return { ...copy, version: version + 1 };
  }

  /** Puts a conversation copy at `version` under `condition`. */
  private async writeCopy(
    copy: Omit<ConversationCopy, 'version'>,
    version: number,
    condition: Pick<
      PutCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...copyKey(copy.key), entity: 'conversation-copy', version, record: JSON.stringify(copy) },
        ...condition,
      }),
    );
  }

  /** Alerts whose case is open (not Closed, deleted or merged), oldest first. */
  async listFollowedCases(): Promise<AlertRecord[]> {
    const items = await this.query({
      IndexName: GSI1,
      KeyConditionExpression: 'gsi1pk = :partition',
      ExpressionAttributeValues: { ':partition': FOLLOWED },
    });
    return items.map(alertOf);
  }

  /** The `limit` most recently created alerts, newest first. */
  async listAlerts(limit: number): Promise<AlertRecord[]> {
    if (limit <= 0) return [];
    const newest = (partition: string) =>
      this.query(
        {
          IndexName: GSI1,
          KeyConditionExpression: 'gsi1pk = :partition',
          ExpressionAttributeValues: { ':partition': partition },
          ScanIndexForward: false,
        },
        limit,
      );
    // The queries are not one snapshot: an alert can move between the partitions while they run (its case
    // opens or closes). Queried one after another, others, followed, others again, an alert moving either
    // way is seen by at least one of them (two queries at once could both miss it); one seen twice is
    // listed once, as its newest version.
    const others = await newest(ALERTS);
    const followed = await newest(FOLLOWED);
    const othersAgain = await newest(ALERTS);
    const newestVersion = new Map<string, AlertRecord>();
    for (const alert of [...others, ...followed, ...othersAgain].sort(newestFirst).map(alertOf)) {
      const seen = newestVersion.get(alert.fingerprint);
      if (!seen || alert.version > seen.version) newestVersion.set(alert.fingerprint, alert);
    }
    return [...newestVersion.values()].slice(0, limit);
  }

  /**
   * Appends an event that no later write can replace (`attribute_not_exists`). Events sort by `at`
   * (now unless given, normalised to ISO-8601 UTC), then by the order this process appended them.
   */
  async appendAudit(event: NewAuditEvent): Promise<AuditEvent> {
    const stored = auditEventOf(event, this.now);
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.documents.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              pk: `ALERT#${event.fingerprint}`,
              ...keyedAuditEvent(stored),
              entity: 'audit',
              at: stored.event.at,
              action: stored.event.action,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return stored.event;
      } catch (error) {
        if (!isConditionFailure(error) || attempt >= AUDIT_APPEND_ATTEMPTS) throw error;
      }
    }
  }

  /** An alert's audit trail, in order: the events its item carries and those stored beside it. */
  async listAudit(fingerprint: string): Promise<AuditEvent[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `ALERT#${fingerprint}` },
      ConsistentRead: true,
    });
    const events = items.flatMap((item): StoredAuditEvent[] =>
      item.sk === 'ALERT'
        ? ((item.events as StoredAuditEvent[] | undefined) ?? [])
        : [item as unknown as StoredAuditEvent],
    );
    return events
      .sort((a, b) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0))
      .map((stored) => JSON.parse(stored.event) as AuditEvent);
  }

  /**
   * Claims `key` for `ttlSeconds`; false while an earlier claim holds. An expired claim counts as
   * free even before DynamoDB's TTL deletes it (and dynalite never does).
   */
  async claimDelivery(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.now();
    const expiresAtMs = now.getTime() + ttlSeconds * 1000;
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `DELIVERY#${key}`,
            sk: 'DELIVERY',
            entity: 'delivery',
            claimedAt: now.toISOString(),
            expiresAtMs,
            expiresAt: Math.ceil(expiresAtMs / 1000),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR expiresAtMs <= :now',
          ExpressionAttributeValues: { ':now': now.getTime() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** A setting's value, as it was put. */
  async getSetting<T>(name: string): Promise<T | undefined> {
    const { Item } = await this.documents.send(
      new GetCommand({
        TableName: this.tableName,
        Key: { pk: `SETTING#${name}`, sk: 'SETTING' },
        ConsistentRead: true,
      }),
    );
    return typeof Item?.value === 'string' ? (JSON.parse(Item.value) as T) : undefined;
  }

  /** Replaces a setting (last writer wins); `undefined` clears it. */
  async putSetting<T>(name: string, value: T): Promise<void> {
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `SETTING#${name}`,
          sk: 'SETTING',
          entity: 'setting',
          // JSON.stringify(undefined) is undefined: the item then has no value, which reads as unset.
          ...(value !== undefined ? { value: JSON.stringify(value) } : {}),
          updatedAt: this.now().toISOString(),
        },
      }),
    );
  }

  /**
   * One UpdateItem: `ADD` is atomic, so concurrent containers all count. The item keeps a number per
   * minute (`w<minute>`); minutes older than the two asked about, seen in the answer, are removed by the
   * channel's next update, so the item stays a few attributes long.
   */
  async addStormArrivals(
    channel: string,
    window: number,
    added: number,
    addedBefore = 0,
  ): Promise<StormCount> {
    const [current, previous] = [`w${window}`, `w${window - 1}`];
    const stale = (this.staleStormMinutes.get(channel) ?? []).filter(
      (name) => name !== current && name !== previous,
    );
    const names: Record<string, string> = { '#current': current, '#previous': previous, '#entity': 'entity' };
    stale.forEach((name, i) => (names[`#stale${i}`] = name));
    const { Attributes } = await this.documents.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: `STORM#${channel}`, sk: 'STORM' },
        UpdateExpression:
          'SET #entity = :entity ADD #current :added, #previous :before' +
          (stale.length ? ` REMOVE ${stale.map((_, i) => `#stale${i}`).join(', ')}` : ''),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':entity': 'storm-count', ':added': added, ':before': addedBefore },
        ReturnValues: 'ALL_NEW',
      }),
    );
    const minutes = Object.keys(Attributes ?? {}).filter((name) => /^w\d+$/.test(name));
    this.staleStormMinutes.set(
      channel,
      minutes.filter((name) => Number(name.slice(1)) < window - 1),
    );
    return { current: Number(Attributes?.[current] ?? 0), previous: Number(Attributes?.[previous] ?? 0) };
  }

  /**
   * Keeps a failed input or job. A payload whose JSON exceeds 256 KB is kept as the start of that JSON
   * text (a string), and the error message is cut at 8 KB.
   */
  async putDeadLetter(letter: Omit<DeadLetter, 'id' | 'at'>): Promise<DeadLetter> {
    const id = randomUUID();
    const at = this.now().toISOString();
    const json = JSON.stringify(letter.payload) ?? 'null';
    const truncated = Buffer.byteLength(json) > DEAD_LETTER_PAYLOAD_BYTES;
    const stored: DeadLetter = {
      id,
      at,
      kind: letter.kind,
      error: truncateUtf8(letter.error, DEAD_LETTER_ERROR_BYTES),
      payload: truncated ? truncateUtf8(json, DEAD_LETTER_PAYLOAD_BYTES) : (JSON.parse(json) as unknown),
    };
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: DEAD_LETTERS,
          sk: `${at}#${id}`,
          entity: 'dead-letter',
          id,
          at,
          kind: stored.kind,
          error: stored.error,
          payload: truncated ? stored.payload : json,
          payloadTruncated: truncated,
        },
      }),
    );
    return stored;
  }

  /** The `limit` newest dead letters, newest first. */
  async listDeadLetters(limit: number): Promise<DeadLetter[]> {
    if (limit <= 0) return [];
    const items = await this.query(
      {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': DEAD_LETTERS },
        ScanIndexForward: false,
      },
      limit,
    );
    return items.map((item) => ({
      id: item.id as string,
      at: item.at as string,
      kind: item.kind as string,
      error: item.error as string,
      payload: item.payloadTruncated ? item.payload : (JSON.parse(item.payload as string) as unknown),
    }));
  }

  /** Keeps a new job; JobTooLargeError when its JSON cannot fit in one item. */
  async putJob(job: PendingJob): Promise<void> {
    const json = JSON.stringify(job.job);
    const bytes = Buffer.byteLength(json) + JOB_ITEM_OVERHEAD_BYTES;
    if (bytes > MAX_ITEM_BYTES) throw new JobTooLargeError(job.id, bytes);
    await this.documents.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: JOBS,
          sk: job.id,
          entity: 'job',
          job: json,
          attempts: job.attempts,
          notBefore: job.notBefore,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Writes a job's attempts and wait, only while it is pending (`attribute_exists`). */
  async updateJob(id: string, progress: Pick<PendingJob, 'attempts' | 'notBefore'>): Promise<boolean> {
    try {
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: JOBS, sk: id },
          UpdateExpression: 'SET attempts = :attempts, notBefore = :notBefore',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':attempts': progress.attempts, ':notBefore': progress.notBefore },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Deletes a job item (deleting one already gone is harmless). */
  async deleteJob(id: string): Promise<void> {
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: JOBS, sk: id } }));
  }

  /** Every pending job, in enqueue order (strongly consistent: a job just put is listed). */
  async listPendingJobs(): Promise<PendingJob[]> {
    const items = await this.query({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': JOBS },
      ConsistentRead: true,
    });
    return items.map((item) => ({
      id: item.sk as string,
      job: JSON.parse(item.job as string) as unknown,
      attempts: item.attempts as number,
      notBefore: item.notBefore as string,
    }));
  }

  /** Every page of a query, or the first `limit` items. */
  private async query(input: Omit<QueryCommandInput, 'TableName'>, limit?: number): Promise<Item[]> {
    const items: Item[] = [];
    let start: Item | undefined;
    do {
      const page = await this.documents.send(
        new QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(limit !== undefined ? { Limit: limit - items.length } : {}),
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start && (limit === undefined || items.length < limit));
    return items;
  }
}
