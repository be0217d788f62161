/**
 * What one finding costs the store on the AWS path: the ingest function as Lambda runs it (SQS batch
 * in, Slack mocked at the HTTP layer), its DynamoDB client pointed at a counting proxy in front of
 * dynalite, so every request the SDK sends is counted by operation. The batch's alerts are read with one
 * BatchGetItem; then two writes for a new finding, none for a finding that is skipped; a change that adds
 * a round trip fails here.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { countDynamoRequests, type DynamoRequestCounter } from '../helpers/dynamo-requests';
import { fixture, functionEnvironment, lambdaContext, mockSsm, sqsEvent, TABLE_NAME } from './lambda-events';

interface GuardDutyEvent {
  detail: { id: string; arn: string; severity: number; updatedAt: string; service: { count: number } };
}

const EVENT = fixture<GuardDutyEvent>('derived/guardduty-event-impact-s3-maliciousipcaller.json');

/** The fixture as a finding of its own (`id`), optionally changed. */
function finding(id: string, change: Partial<GuardDutyEvent['detail']> = {}): GuardDutyEvent {
  return {
    ...EVENT,
    detail: { ...EVENT.detail, id, arn: EVENT.detail.arn.replace(EVENT.detail.id, id), ...change },
  };
}

const savedEnv = process.env;
let opened: OpenedStore;
let counter: DynamoRequestCounter;
let handler: typeof import('../../src/handlers/ingest').handler;
let batch = 0;

/** The storm count's updates (on by default): their number depends on the minute, counted on their own below. */
const STORM_COUNT = 'UpdateItem STORM';

/**
 * Runs one SQS batch of `events` through the handler; resolves to the DynamoDB operations it sent, the
 * storm count's left out.
 */
async function ingest(...events: GuardDutyEvent[]): Promise<string[]> {
  return (await ingestCounted(...events)).filter((operation) => operation !== STORM_COUNT);
}

/** As `ingest`, the storm count's updates included. */
async function ingestCounted(...events: GuardDutyEvent[]): Promise<string[]> {
  counter.operations.length = 0;
  batch += 1;
  const response = await handler(
    sqsEvent(
      'findings',
      events.map((event, i) => ({ messageId: `m-${batch}-${i}`, body: JSON.stringify(event) })),
    ),
    lambdaContext('ingest', `request-${batch}`),
  );
  expect(response).toEqual({ batchItemFailures: [] });
  return [...counter.operations];
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  counter = await countDynamoRequests(opened.endpoint);
  process.env = { ...savedEnv, ...functionEnvironment(['SLACK_BOT_TOKEN_PARAM'], counter.url, TABLE_NAME) };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
  let ts = 0;
  nock('https://slack.com')
    .persist()
    .post(/\/api\/.*/)
    .reply(200, (uri) =>
      uri === '/api/auth.test'
        ? { ok: true, url: 'https://example.slack.com/', user_id: 'U0HIVEWIRE', bot_id: 'B0HIVEWIRE' }
        : { ok: true, channel: 'C0SECOPS', ts: `1795582800.${String((ts += 1)).padStart(6, '0')}` },
    );
  await jest.isolateModulesAsync(async () => {
    handler = (await import('../../src/handlers/ingest')).handler;
  });
  // A warm container: the threshold setting is read once, then reused (THRESHOLD_CACHE_MS).
  await ingest(finding('warm-up'));
});

afterAll(async () => {
  process.env = savedEnv;
  await counter?.close();
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('DynamoDB requests per finding on the ingest function', () => {
  it('is 3 for a new finding (besides the storm count): read, create with its received event, save the post with its posted event', async () => {
    expect(await ingest(finding('new-1'))).toEqual(['BatchGetItem', 'PutItem', 'UpdateItem']);
    const [alert] = await opened.store.listAlerts(1);
    expect(alert?.finding.sourceId).toContain('new-1');
    expect(alert?.ts).toBeDefined();
    expect((await opened.store.listAudit(alert!.fingerprint)).map((event) => event.action)).toEqual([
      'received',
      'posted',
    ]);
  });

  it('is one read for the batch, then 2 per new finding, and the storm count once per five: under 3 a finding', async () => {
    // (This file stays under storms' default of 20 new findings within a minute: none is grouped.)
    const events = Array.from({ length: 10 }, (_, i) => finding(`new-batch-${i}`));
    const operations = await ingestCounted(...events);
    const counts = operations.filter((operation) => operation === STORM_COUNT).length;
    expect(operations.filter((operation) => operation !== STORM_COUNT)).toEqual([
      'BatchGetItem',
      ...events.flatMap(() => ['PutItem', 'UpdateItem']),
    ]);
    // Every fifth new finding of the channel writes its count; a minute that starts during the batch adds one.
    expect(counts).toBeGreaterThanOrEqual(2);
    expect(counts).toBeLessThanOrEqual(3);
    expect(operations.length / events.length).toBeLessThan(3);
  });

  it('counts nothing for storms when a finding is skipped', async () => {
    await ingest(finding('skipped-twice'));
    expect(await ingestCounted(finding('skipped-twice'), finding('skipped-low', { severity: 2 }))).toEqual([
      'BatchGetItem',
    ]);
  });

  it('reads again a finding met twice in one batch, and writes it once', async () => {
    expect(await ingest(finding('twice'), finding('twice'))).toEqual([
      'BatchGetItem',
      'PutItem',
      'UpdateItem',
      'GetItem',
    ]);
  });

  it('is 1 for a duplicate with nothing newer', async () => {
    await ingest(finding('duplicate'));
    expect(await ingest(finding('duplicate'))).toEqual(['BatchGetItem']);
  });

  it('is 1 for a finding below the severity threshold', async () => {
    expect(await ingest(finding('low', { severity: 2 }))).toEqual(['BatchGetItem']);
  });

  it('is 3 for a republished finding with a higher count: read, conditional update, its audit event', async () => {
    await ingest(finding('republished'));
    const later = finding('republished', {
      updatedAt: '2022-01-28T22:12:25.478Z',
      service: { ...EVENT.detail.service, count: 9 },
    });
    expect(await ingest(later)).toEqual(['BatchGetItem', 'UpdateItem', 'PutItem']);
  });
});
