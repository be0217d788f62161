/**
 * DynamoStore over the real DynamoDB protocol: dynalite in this process (in memory), a fresh table per
 * test. The port's behaviour is the shared suite; below it, what is particular to this adapter: item
 * size limits and the items it writes.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoStore } from '../../src/store/dynamo';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { AlertTooLargeError, InvalidAuditTimeError, JobTooLargeError } from '../../src/store/errors';
import { TRUNCATION_MARK } from '../../src/store/item-size';
import type { AlertRecord } from '../../src/domain/alert';
import { ensureTable } from '../../src/store/table';
import { makeAlertRecord } from '../helpers/alerts';
import { describeStoreBehaviour } from './store-behaviour';

let embedded: OpenedStore;
let client: DynamoDBClient;
let tables = 0;

beforeAll(async () => {
  embedded = await startEmbeddedStore({ inMemory: true });
  client = new DynamoDBClient({
    endpoint: embedded.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
});

afterAll(async () => {
  client.destroy();
  await embedded.close();
});

/** A DynamoStore on a new, empty table. */
async function freshStore(
  now: () => Date = () => new Date(),
): Promise<{ store: DynamoStore; tableName: string }> {
  tables += 1;
  const tableName = `test-${tables}`;
  await ensureTable(client, tableName);
  return { store: new DynamoStore({ client, tableName, now }), tableName };
}

describeStoreBehaviour('DynamoStore on dynalite', async (clock) => {
  const { store } = await freshStore(clock);
  return { store, close: async () => undefined };
});

function withoutVersion(record: AlertRecord): Omit<AlertRecord, 'version'> {
  const { version: _version, ...rest } = record;
  return rest;
}

describe('DynamoStore specifics', () => {
  let store: DynamoStore;
  let tableName: string;
  const documents = () => DynamoDBDocumentClient.from(client);

  beforeEach(async () => {
    ({ store, tableName } = await freshStore(() => new Date('2026-11-25T10:00:00.000Z')));
  });

  /**
   * Lists the alerts through a client that runs `move` once, just before the first query of the
   * `before` partition: the alert changes partition while the listing's queries run.
   */
  async function listWhileMoving(before: 'ALERTS' | 'ALERTS#FOLLOWED', move: () => Promise<void>) {
    const racing = new DynamoDBClient({
      endpoint: embedded.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    let moving: Promise<void> | undefined;
    racing.middlewareStack.add(
      (next) => async (args) => {
        const value = (args.input as { ExpressionAttributeValues?: Record<string, unknown> })
          .ExpressionAttributeValues?.[':partition'];
        const partition = typeof value === 'string' ? value : (value as { S?: string } | undefined)?.S;
        if (partition === before) await (moving ??= move());
        return next(args);
      },
      { step: 'initialize', name: 'moveBetweenTheQueries' },
    );
    try {
      return await new DynamoStore({ client: racing, tableName }).listAlerts(10);
    } finally {
      racing.destroy();
    }
  }

  it('lists an alert once, as its newest version, when its case opens between the index queries', async () => {
    const record = makeAlertRecord();
    await store.createAlert(withoutVersion(record));
    const listed = await listWhileMoving('ALERTS#FOLLOWED', () =>
      store.putAlert({ ...record, version: 1, caseId: '~8', caseNumber: 8 }).then(() => undefined),
    );
    expect(listed.map((alert) => [alert.fingerprint, alert.version])).toEqual([[record.fingerprint, 2]]);
  });

  it('still lists an alert whose case closes between the index queries (it leaves the followed partition)', async () => {
    const open = makeAlertRecord({ caseId: '~8', caseNumber: 8 });
    await store.createAlert(withoutVersion(open));
    const closed = { ...open, version: 1, case: { status: 'TruePositive', stage: 'Closed' } };
    const listed = await listWhileMoving('ALERTS#FOLLOWED', () =>
      store.putAlert(closed).then(() => undefined),
    );
    expect(listed.map((alert) => [alert.fingerprint, alert.version])).toEqual([[open.fingerprint, 2]]);
    expect(listed[0]!.case?.stage).toBe('Closed');
  });

  it('accepts a DynamoDBDocumentClient as well as a DynamoDBClient', async () => {
    const viaDocuments = new DynamoStore({ client: documents(), tableName });
    await viaDocuments.putSetting('k', { a: 1 });
    expect(await store.getSetting('k')).toEqual({ a: 1 });
    await viaDocuments.putSetting('k', undefined);
    expect(await store.getSetting('k')).toBeUndefined();
  });

  it('stores an alert as one item with its keys, index attributes and the record as JSON', async () => {
    const record = makeAlertRecord();
    await store.createAlert(withoutVersion(record));
    const { Item } = await documents().send(
      new GetCommand({ TableName: tableName, Key: { pk: `ALERT#${record.fingerprint}`, sk: 'ALERT' } }),
    );
    expect(Item).toEqual({
      pk: `ALERT#${record.fingerprint}`,
      sk: 'ALERT',
      entity: 'alert',
      gsi1pk: 'ALERTS',
      gsi1sk: `${record.createdAt}#${record.fingerprint}`,
      version: 1,
      state: 'open',
      record: JSON.stringify(withoutVersion(record)),
    });
  });

  it('updates an alert in place: its attributes set, those it no longer has removed, its first events kept', async () => {
    const record = makeAlertRecord();
    const system = { kind: 'system' as const };
    await store.createAlert(withoutVersion(record), [
      { fingerprint: record.fingerprint, actor: system, action: 'received' },
    ]);
    const escalated = await store.putAlert({ ...record, version: 1, caseId: '~8', caseNumber: 8 });
    const { caseId: _caseId, caseNumber: _caseNumber, ...withoutCase } = escalated;
    await store.putAlert(withoutCase);
    const { Item } = await documents().send(
      new GetCommand({ TableName: tableName, Key: { pk: `ALERT#${record.fingerprint}`, sk: 'ALERT' } }),
    );
    expect(Item).toEqual({
      pk: `ALERT#${record.fingerprint}`,
      sk: 'ALERT',
      entity: 'alert',
      gsi1pk: 'ALERTS',
      gsi1sk: `${record.createdAt}#${record.fingerprint}`,
      version: 3,
      state: 'open',
      record: expect.any(String),
      events: [
        { sk: expect.stringMatching(/^AUDIT#/), event: expect.stringContaining('"action":"received"') },
      ],
    });
  });

  it('writes the first events as items of their own when the alert item has no room for them', async () => {
    const record = makeAlertRecord({ finding: { description: 'd'.repeat(120 * 1024) } });
    const received = {
      fingerprint: record.fingerprint,
      actor: { kind: 'system' as const },
      action: 'received',
    };
    const events = ['received', 'received again'].map((action) => ({
      ...received,
      action,
      details: { raw: 'r'.repeat(200 * 1024) },
    }));
    await store.createAlert(withoutVersion(record), events);
    const { Item } = await documents().send(
      new GetCommand({ TableName: tableName, Key: { pk: `ALERT#${record.fingerprint}`, sk: 'ALERT' } }),
    );
    expect(Item?.events).toBeUndefined();
    const trail = await store.listAudit(record.fingerprint);
    expect(trail.map((event) => event.action)).toEqual(['received', 'received again']);
    expect((trail[0]!.details as { raw: string }).raw).toHaveLength(200 * 1024);
  });

  it('writes the case index items, then moves the alert to the followed partition', async () => {
    const record = makeAlertRecord();
    await store.createAlert(withoutVersion(record));
    await store.putAlert({ ...record, version: 1, state: 'escalated', caseId: '~8', caseNumber: 8 });
    const get = async (pk: string, sk: string) =>
      (await documents().send(new GetCommand({ TableName: tableName, Key: { pk, sk } }))).Item;
    expect(await get('CASE#~8', 'CASE')).toEqual({
      pk: 'CASE#~8',
      sk: 'CASE',
      entity: 'case-index',
      fingerprint: record.fingerprint,
    });
    expect(await get('CASENUM#8', 'CASE')).toEqual({
      pk: 'CASENUM#8',
      sk: 'CASE',
      entity: 'case-index',
      fingerprint: record.fingerprint,
    });
    expect((await get(`ALERT#${record.fingerprint}`, 'ALERT'))?.gsi1pk).toBe('ALERTS#FOLLOWED');
  });

  it('gives a delivery key a TTL attribute in epoch seconds', async () => {
    await store.claimDelivery('slack-event:Ev1', 90);
    const { Item } = await documents().send(
      new GetCommand({ TableName: tableName, Key: { pk: 'DELIVERY#slack-event:Ev1', sk: 'DELIVERY' } }),
    );
    expect(Item).toEqual({
      pk: 'DELIVERY#slack-event:Ev1',
      sk: 'DELIVERY',
      entity: 'delivery',
      claimedAt: '2026-11-25T10:00:00.000Z',
      expiresAtMs: Date.parse('2026-11-25T10:01:30.000Z'),
      expiresAt: Date.parse('2026-11-25T10:01:30.000Z') / 1000,
    });
  });

  it('keys audit events by time, a sequence and a process id, and normalises the time to UTC', async () => {
    const event = await store.appendAudit({
      fingerprint: 'gd-1',
      at: '2026-11-25T12:00:00+02:00',
      actor: { kind: 'system' },
      action: 'received',
    });
    expect(event.at).toBe('2026-11-25T10:00:00.000Z');
    const { Items } = await documents().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'ALERT#gd-1' },
      }),
    );
    expect(Items?.map((item) => item.sk)).toEqual([
      expect.stringMatching(/^AUDIT#2026-11-25T10:00:00\.000Z#\d{12}#[0-9a-f]{8}$/),
    ]);
  });

  it('rejects an audit time that is not a date', async () => {
    await expect(
      store.appendAudit({
        fingerprint: 'gd-1',
        at: 'yesterday',
        actor: { kind: 'system' },
        action: 'received',
      }),
    ).rejects.toBeInstanceOf(InvalidAuditTimeError);
  });

  it('trims an oversized finding to fit its budget, and returns what it stored', async () => {
    const base = makeAlertRecord();
    const observables = Array.from({ length: 5000 }, (_, index) => ({
      dataType: 'ip',
      data: `198.51.${Math.floor(index / 256)}.${index % 256}`,
    }));
    const record = {
      ...base,
      finding: { ...base.finding, description: 'A'.repeat(1_000_000), observables },
    };
    await store.createAlert(withoutVersion(record));
    const stored = (await store.getAlert(record.fingerprint))!;
    expect(stored.finding.description).toHaveLength(16 * 1024);
    expect(stored.finding.description.endsWith(TRUNCATION_MARK)).toBe(true);
    expect(stored.finding.observables).toEqual(observables.slice(0, 500));
    expect(stored.finding.title).toBe(base.finding.title);
    const written = await store.putAlert({ ...stored, count: 2 });
    expect(written.finding).toEqual(stored.finding);
  });

  it('leaves a finding within its budget exactly as given', async () => {
    const record = makeAlertRecord({ finding: { description: 'B'.repeat(60_000) } });
    await store.createAlert(withoutVersion(record));
    expect((await store.getAlert(record.fingerprint))?.finding).toEqual(record.finding);
  });

  it('refuses with AlertTooLargeError a record that cannot fit one item even with its finding trimmed', async () => {
    const record = makeAlertRecord({
      pendingReplies: Array.from({ length: 40 }, (_, index) => ({
        id: `r${index}`,
        text: 'x'.repeat(12_000),
        blocks: [],
      })),
    });
    await expect(store.createAlert(withoutVersion(record))).rejects.toMatchObject({
      name: 'AlertTooLargeError',
      code: 'ALERT_TOO_LARGE',
      fingerprint: record.fingerprint,
    });
    await expect(store.createAlert(withoutVersion(record))).rejects.toBeInstanceOf(AlertTooLargeError);
    expect(await store.getAlert(record.fingerprint)).toBeUndefined();
  });

  it('refuses with JobTooLargeError a job that cannot fit one item, and keeps nothing', async () => {
    const id = '2026-11-25T10:00:00.000Z#big';
    const job = {
      id,
      job: { blob: 'J'.repeat(400 * 1024) },
      attempts: 0,
      notBefore: '2026-11-25T10:00:00.000Z',
    };
    await expect(store.putJob(job)).rejects.toBeInstanceOf(JobTooLargeError);
    await expect(store.putJob(job)).rejects.toMatchObject({ code: 'JOB_TOO_LARGE', id });
    expect(await store.listPendingJobs()).toEqual([]);
  });

  it('keeps oversized audit details as the start of their JSON text', async () => {
    const raw = { blob: 'R'.repeat(500_000) };
    await store.appendAudit({
      fingerprint: 'gd-1',
      actor: { kind: 'system' },
      action: 'received',
      details: { raw },
    });
    const [event] = await store.listAudit('gd-1');
    expect(event?.details).toEqual({
      truncated: true,
      originalBytes: JSON.stringify({ raw }).length,
      json: JSON.stringify({ raw }).slice(0, 255 * 1024),
    });
  });

  it('keeps an oversized dead-letter payload as the start of its JSON text', async () => {
    const payload = { body: 'P'.repeat(400_000) };
    const letter = await store.putDeadLetter({ kind: 'rejected-job', error: 'E'.repeat(20_000), payload });
    expect(letter.payload).toBe(JSON.stringify(payload).slice(0, 256 * 1024));
    expect(letter.error).toBe('E'.repeat(8 * 1024));
    expect(await store.listDeadLetters(1)).toEqual([letter]);
  });
});
