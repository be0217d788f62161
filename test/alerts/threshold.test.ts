/**
 * The threshold as ingest reads it: from the store at most once per THRESHOLD_CACHE_MS, at once after
 * `/hivewire threshold` changes it in this process, and within THRESHOLD_CACHE_MS after another process
 * does. Store reads are counted at the HTTP layer (a proxy in front of dynalite).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { changeThreshold, THRESHOLD_CACHE_MS, thresholdOverride } from '../../src/alerts/threshold';
import { GroupMembers } from '../../src/access/permissions';
import { loadConfig, parseConfigFile } from '../../src/config/config-file';
import { DynamoStore } from '../../src/store/dynamo';
import { LOCAL_TABLE_NAME, startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { countDynamoRequests, type DynamoRequestCounter } from '../helpers/dynamo-requests';

let opened: OpenedStore;
let counter: DynamoRequestCounter;
let client: DynamoDBClient;
let clock: { now: Date };
let deps: { store: DynamoStore; now: () => Date };

beforeEach(async () => {
  opened = await startEmbeddedStore({ inMemory: true });
  counter = await countDynamoRequests(opened.endpoint);
  client = new DynamoDBClient({
    endpoint: counter.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  clock = { now: new Date('2026-11-25T10:00:00.000Z') };
  deps = { store: new DynamoStore({ client, tableName: LOCAL_TABLE_NAME }), now: () => clock.now };
});

afterEach(async () => {
  client.destroy();
  await counter.close();
  await opened.close();
});

const later = (ms: number) => (clock.now = new Date(clock.now.getTime() + ms));

describe('thresholdOverride', () => {
  it('reads the setting once and reuses it until THRESHOLD_CACHE_MS has passed', async () => {
    await opened.store.putSetting('severityThreshold', 'HIGH');
    expect(await thresholdOverride(deps)).toBe('HIGH');
    later(THRESHOLD_CACHE_MS - 1);
    expect(await thresholdOverride(deps)).toBe('HIGH');
    expect(counter.operations).toEqual(['GetItem']);
  });

  it('sees a change made by another process once THRESHOLD_CACHE_MS has passed', async () => {
    expect(await thresholdOverride(deps)).toBeUndefined();
    await opened.store.putSetting('severityThreshold', 'CRITICAL');
    expect(await thresholdOverride(deps)).toBeUndefined();
    later(THRESHOLD_CACHE_MS);
    expect(await thresholdOverride(deps)).toBe('CRITICAL');
  });

  it('sees a change made with /hivewire threshold in this process at once', async () => {
    expect(await thresholdOverride(deps)).toBeUndefined();
    const config = { ...loadConfig({}), file: parseConfigFile('slack: { admins: [U0ADMIN] }') };
    config.slack = { ...config.slack, admins: ['U0ADMIN'] };
    const members = new GroupMembers(async () => []);
    expect(
      await changeThreshold({ level: 'HIGH', userId: 'U0ADMIN' }, { ...deps, config, members }),
    ).toMatchObject({ outcome: 'changed', to: 'HIGH' });
    expect(await thresholdOverride(deps)).toBe('HIGH');
  });
});
