/**
 * The threshold as ingest reads it: from the store at most once per THRESHOLD_CACHE_MS, at once after
 * `/hivewire threshold` changes it in this process, and within THRESHOLD_CACHE_MS after another process
 * does. Store reads are counted at the HTTP layer (a proxy in front of dynalite).
 */
import { changeThreshold, THRESHOLD_CACHE_MS, thresholdOverride } from '../../src/alerts/threshold';
import { GroupMembers } from '../../src/access/permissions';
import { loadConfig, parseConfigFile } from '../../src/config/config-file';
import type { DynamoStore } from '../../src/store/dynamo';
import type { OpenedStore } from '../../src/store/embedded';
import { startCountedStore, type CountedStore, type DynamoRequestCounter } from '../helpers/dynamo-requests';

let counted: CountedStore;
let opened: OpenedStore;
let counter: DynamoRequestCounter;
let clock: { now: Date };
let deps: { store: DynamoStore; now: () => Date };

beforeEach(async () => {
  counted = await startCountedStore();
  ({ opened, counter } = counted);
  clock = { now: new Date('2026-11-25T10:00:00.000Z') };
  deps = { store: counted.store, now: () => clock.now };
});

afterEach(async () => {
  await counted.close();
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
