/**
 * What a Create Case click costs the store before it is answered: the click's part of escalation
 * (`requestEscalation`) on a DynamoStore whose client goes through a counting proxy in front of
 * dynalite, so every request the SDK sends is counted by operation. The claim and its audit event are
 * one write; a change that adds a round trip to the click's answer fails here. (The job goes to the
 * queue port: SQS in AWS, counted apart.)
 */
import { requestEscalation } from '../../src/cases/request-escalation';
import type { Job } from '../../src/queue/jobs';
import { MetricsTally } from '../../src/observability/metrics';
import type { OpenedStore } from '../../src/store/embedded';
import { makeAlertRecord } from '../helpers/alerts';
import { startCountedStore, type CountedStore, type DynamoRequestCounter } from '../helpers/dynamo-requests';

let counted: CountedStore;
let opened: OpenedStore;
let counter: DynamoRequestCounter;
let deps: Parameters<typeof requestEscalation>[1];
const jobs: Job[] = [];

beforeAll(async () => {
  counted = await startCountedStore();
  ({ opened, counter } = counted);
  deps = {
    store: counted.store,
    queue: { enqueue: async (job: Job) => void jobs.push(job) },
    now: () => new Date('2026-11-25T10:05:00Z'),
    metrics: new MetricsTally(),
  };
});

afterAll(async () => {
  await counted?.close();
});

/** An open alert in the store, the counter cleared after its write. */
async function openAlert(fingerprint: string): Promise<void> {
  const { version: _version, ...record } = makeAlertRecord({ finding: { fingerprint } });
  await opened.store.createAlert(record);
  counter.operations.length = 0;
  jobs.length = 0;
}

describe('DynamoDB requests of a Create Case click', () => {
  it('is 2 for the first click: read the alert, then claim it with its audit event in one write', async () => {
    await openAlert('gd-click-first');
    const result = await requestEscalation({ fingerprint: 'gd-click-first', userId: 'U0ALICE' }, deps);
    expect(result.outcome).toBe('requested');
    expect(counter.operations).toEqual(['GetItem', 'UpdateItem']);
    expect(jobs).toEqual([expect.objectContaining({ kind: 'create-case', fingerprint: 'gd-click-first' })]);
    expect((await opened.store.listAudit('gd-click-first')).map((event) => event.action)).toEqual([
      'escalation-requested',
    ]);
  });

  it('writes nothing and queues nothing for a second click', async () => {
    await openAlert('gd-click-twice');
    await requestEscalation({ fingerprint: 'gd-click-twice', userId: 'U0ALICE' }, deps);
    counter.operations.length = 0;
    jobs.length = 0;
    const again = await requestEscalation({ fingerprint: 'gd-click-twice', userId: 'U0BOB' }, deps);
    expect(again.outcome).toBe('in-progress');
    expect(counter.operations.filter((operation) => operation !== 'GetItem')).toEqual([]);
    expect(jobs).toEqual([]);
  });
});
