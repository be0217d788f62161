/**
 * Storms through the ingest function's path (`ingestFindingsBatch`, as the Lambda handler calls it: SQS
 * batches of EventBridge events), with the store on dynalite, Slack and TheHive mocked at the HTTP layer
 * and every Slack call counted: once a channel's backlog passes the threshold, new findings become one
 * digest per type and account, each finding still kept with its own record and audit trail.
 */
import type { SQSEvent } from 'aws-lambda';
import nock from 'nock';
import { WebClient } from '@slack/web-api';
import { ingestFindingsBatch } from '../../src/aws/findings-queue';
import { DIGEST_LISTED_MAX } from '../../src/alerts/storm';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SlackDelivery } from '../../src/slack/delivery';
import { DynamoStore } from '../../src/store/dynamo';
import { LOCAL_TABLE_NAME } from '../../src/store/embedded';
import type { AlertRecord } from '../../src/domain/alert';
import { fixture } from '../handlers/lambda-events';
import {
  mockSlack,
  mockTheHive,
  startEscalationHarness,
  type EscalationHarness,
} from '../helpers/escalation';
import type { SlackCall } from '../helpers/escalation';
import { theHiveAlert, theHiveCase } from '../clients/thehive/fixtures';
import { chatRegistry } from '../../src/wiring/chats';

interface GuardDutyEvent {
  account: string;
  detail: {
    id: string;
    arn: string;
    accountId: string;
    updatedAt: string;
    service: { count: number; action: { awsApiCallAction: { remoteIpDetails: { ipAddressV4: string } } } };
  };
}

const EVENT = fixture<GuardDutyEvent>('derived/guardduty-event-impact-s3-maliciousipcaller.json');
const ACCOUNT = EVENT.detail.accountId;
const OTHER_ACCOUNT = '111122223333';

/** The fixture as finding `n` of its own, from its own remote IP, in `account`. */
function finding(
  n: number,
  account = ACCOUNT,
  change: Partial<GuardDutyEvent['detail']> = {},
): GuardDutyEvent {
  const id = `storm-${account}-${n}`;
  const { detail } = EVENT;
  const action = detail.service.action;
  return {
    ...EVENT,
    account,
    detail: {
      ...detail,
      id,
      arn: detail.arn.replace(detail.id, id).replace(ACCOUNT, account),
      accountId: account,
      service: {
        ...detail.service,
        action: {
          ...action,
          awsApiCallAction: {
            ...action.awsApiCallAction,
            remoteIpDetails: {
              ...action.awsApiCallAction.remoteIpDetails,
              ipAddressV4: `198.51.100.${n % 250}`,
            },
          },
        },
      },
      ...change,
    },
  };
}

let harness: EscalationHarness;
let slack: SlackCall[];
let batch = 0;

/** Runs the events through the ingest function's path, ten to an SQS batch, as the queue delivers them. */
async function ingest(events: GuardDutyEvent[], deps = harness.deps): Promise<void> {
  for (let start = 0; start < events.length; start += 10) {
    batch += 1;
    const event: SQSEvent = {
      Records: events.slice(start, start + 10).map((body, i) => ({
        messageId: `m-${batch}-${i}`,
        receiptHandle: 'r',
        body: JSON.stringify(body),
        attributes: {
          ApproximateReceiveCount: '1',
          SentTimestamp: '0',
          SenderId: 'events',
          ApproximateFirstReceiveTimestamp: '0',
        },
        messageAttributes: {},
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:findings',
        awsRegion: 'us-east-1',
      })),
    };
    expect(await ingestFindingsBatch(event, deps, { maxAttempts: 5 })).toEqual({
      batchItemFailures: [],
    });
  }
}

function posts(): SlackCall[] {
  return slack.filter((call) => call.method === 'chat.postMessage');
}

function headerOf(call: SlackCall): string {
  const blocks = call.fields.blocks as { type: string; text?: { text: string } }[];
  return blocks.find((block) => block.type === 'header')?.text?.text ?? '';
}

async function digests(): Promise<AlertRecord[]> {
  return (await harness.deps.store.listAlerts(500)).filter((alert) => alert.digest);
}

/** A quiet channel again: two minutes on, with no new finding counted for it since (in any container). */
function quietChannel(): void {
  harness.clock.now = new Date(harness.clock.now.getTime() + 2 * 60_000);
}

/**
 * Another container on the same table: its own store client and Slack delivery, nothing of this one's
 * memory. `close` destroys its DynamoDB client.
 */
function anotherContainer(): { deps: typeof harness.deps; close(): void } {
  const client = new DynamoDBClient({
    endpoint: harness.storeEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const slack = new SlackDelivery(new WebClient('xoxb-test', { retryConfig: { retries: 0 } }), 0);
  return {
    deps: {
      ...harness.deps,
      store: new DynamoStore({ client, tableName: LOCAL_TABLE_NAME }),
      slack,
      chats: chatRegistry(harness.config, slack, harness.deps.users),
    },
    close: () => client.destroy(),
  };
}

async function start(configYaml = ''): Promise<void> {
  harness = await startEscalationHarness(configYaml);
  slack = mockSlack();
}

// Dozens of findings through the store per test: more than the default timeout on a loaded machine.
jest.setTimeout(180_000);

afterEach(async () => {
  nock.cleanAll();
  await harness.close();
});

describe('a storm of new findings in one channel', () => {
  it('posts the first ones alone, then one digest per type and account that lists them; each finding kept with its audit', async () => {
    await start('storms: { threshold: 5 }');
    const events = [
      ...Array.from({ length: 35 }, (_, n) => finding(n)),
      ...Array.from({ length: 10 }, (_, n) => finding(n, OTHER_ACCOUNT)),
    ];
    await ingest(events);

    // 5 alone (5 new findings within a minute), then one digest per account.
    expect(posts()).toHaveLength(7);
    const [first, second] = (await digests()).sort((a, b) => b.count - a.count);
    expect(first?.count).toBe(30);
    expect(second?.count).toBe(10);
    expect(first?.finding.title).toBe(`30 new findings: Impact:S3/MaliciousIPCaller in ${ACCOUNT}`);
    expect(first?.digest?.listed).toHaveLength(DIGEST_LISTED_MAX);
    expect(first?.finding.description).toContain('+5 more');
    // Every distinct remote IP of its members, once.
    expect(first?.finding.observables.filter((o) => o.data.startsWith('198.51.100.'))).toHaveLength(30);

    // Each of the 45 findings has its own record; the 40 grouped ones name their digest in it and in their audit.
    const all = (await harness.deps.store.listAlerts(500)).filter((alert) => !alert.digest);
    expect(all).toHaveLength(45);
    const grouped = all.filter((alert) => alert.inDigest);
    expect(grouped).toHaveLength(40);
    const member = grouped.find((alert) => alert.inDigest?.fingerprint === first?.fingerprint)!;
    expect(
      (await harness.deps.store.listAudit(member.fingerprint)).map((event) => [
        event.action,
        event.details?.digest,
      ]),
    ).toEqual([
      ['received', undefined],
      ['digested', first?.fingerprint],
    ]);
    expect(member.ts).toBeUndefined();
  });

  it('shows the members added after the digest was posted with one update per refresh, not one per finding', async () => {
    await start('storms: { threshold: 5 }');
    await ingest(Array.from({ length: 25 }, (_, n) => finding(n)));
    const digest = (await digests())[0]!;
    expect(digest.count).toBe(20);
    const digestPost = posts().find((call) => headerOf(call).includes('new finding'))!;
    expect(headerOf(digestPost)).toContain('1 new finding: Impact:S3/MaliciousIPCaller');

    // The refresh was queued once, for the 19 that came after the post.
    expect(harness.jobs.map((job) => job.kind)).toEqual(['refresh-digest']);
    await harness.runJobs();
    const updates = slack.filter((call) => call.method === 'chat.update');
    expect(updates).toHaveLength(1);
    expect(headerOf(updates[0]!)).toContain('20 new findings: Impact:S3/MaliciousIPCaller');
    expect((await harness.deps.store.getAlert(digest.fingerprint))?.digest?.refreshDue).toBeUndefined();

    // The next member queues the next refresh.
    await ingest([finding(25)]);
    expect(harness.jobs.map((job) => job.kind)).toEqual(['refresh-digest']);
  });

  it('counts a finding delivered again during the storm once', async () => {
    await start('storms: { threshold: 5 }');
    await ingest(Array.from({ length: 15 }, (_, n) => finding(n)));
    await ingest(Array.from({ length: 15 }, (_, n) => finding(n)));
    expect((await digests())[0]?.count).toBe(10);
    expect(posts()).toHaveLength(6);
  });

  it('starts at 20 new findings within a minute by default', async () => {
    await start();
    await ingest(Array.from({ length: 22 }, (_, n) => finding(n)));
    expect(posts()).toHaveLength(21);
    expect((await digests())[0]?.count).toBe(2);
  });

  it('is one storm for every container: the count is kept in the store, not in a process', async () => {
    await start('storms: { threshold: 5 }');
    await ingest(Array.from({ length: 8 }, (_, n) => finding(n)));
    expect(posts()).toHaveLength(6);

    // A second container (or this one restarted) knows nothing of the first one's findings but the store.
    const other = anotherContainer();
    try {
      await ingest(
        Array.from({ length: 3 }, (_, n) => finding(n + 8)),
        other.deps,
      );
    } finally {
      other.close();
    }
    expect(posts()).toHaveLength(6);
    expect((await digests()).map((digest) => digest.count)).toEqual([6]);

    // Two minutes later the channel is quiet for both.
    quietChannel();
    await ingest([finding(11)]);
    expect(posts()).toHaveLength(7);
    expect(posts().at(-1)?.fields.text).not.toContain('new finding');
  });

  it('posts every finding alone when storms are off', async () => {
    await start('storms: { enabled: false, threshold: 5 }');
    await ingest(Array.from({ length: 12 }, (_, n) => finding(n)));
    expect(posts()).toHaveLength(12);
    expect(await digests()).toEqual([]);
  });
});

describe('Create Case on a digest, and a member escalated alone later', () => {
  it('opens one case with all the members’ observables in two TheHive requests', async () => {
    await start('storms: { threshold: 5 }');
    await ingest(Array.from({ length: 20 }, (_, n) => finding(n)));
    const digest = (await digests())[0]!;
    const theHive = mockTheHive((request) =>
      request.path === '/api/v1/alert' ? [201, theHiveAlert()] : [201, theHiveCase()],
    );
    expect((await harness.click(digest.fingerprint)).status).toBe(200);
    await harness.runJobs();
    expect(theHive.map((request) => request.path)).toEqual(['/api/v1/alert', '/api/v1/alert/~4096/case']);
    const sent = theHive[0]!.body as { title: string; observables: { data: string }[]; description: string };
    expect(sent.title).toBe('15 new findings: Impact:S3/MaliciousIPCaller in ' + ACCOUNT);
    const ips = sent.observables.map((o) => o.data).filter((data) => data.startsWith('198.51.100.'));
    expect(ips.sort()).toEqual(Array.from({ length: 15 }, (_, n) => `198.51.100.${n + 5}`).sort());
    expect(sent.description).toContain('A digest of 15 findings');
    expect((await harness.deps.store.getAlert(digest.fingerprint))?.state).toBe('escalated');
  });

  it('posts a member on its own once the storm is over and it changes, linking to its digest in Slack and in the case', async () => {
    await start('storms: { threshold: 5 }');
    await ingest(Array.from({ length: 8 }, (_, n) => finding(n)));
    const digest = (await digests())[0]!;
    // The digest's permalink, built from the workspace's URL that auth.test answers (test/helpers/escalation.ts).
    const digestLink = `https://example.slack.com/archives/${digest.channel}/p${digest.ts!.replace('.', '')}`;
    const member = (await harness.deps.store.listAlerts(500)).find((alert) => alert.inDigest)!;
    const n = Number(/storm-\d+-(\d+)/.exec(member.finding.sourceId)?.[1]);

    // Nothing newer: it stays in the digest, even with the channel quiet.
    quietChannel();
    const before = posts().length;
    await ingest([finding(n)]);
    expect(posts()).toHaveLength(before);

    // Republished with a higher count: posted alone, with the way back to the digest.
    await ingest([finding(n, ACCOUNT, { service: { ...EVENT.detail.service, count: 9 } })]);
    expect(posts()).toHaveLength(before + 1);
    const alone = posts().at(-1)!;
    expect(JSON.stringify(alone.fields.blocks)).toContain(`<${digestLink}|a digest>`);
    const stored = await harness.deps.store.getAlert(member.fingerprint);
    expect(stored?.inDigest).toEqual({ fingerprint: digest.fingerprint, permalink: digestLink });
    expect(stored?.ts).toBeDefined();

    const theHive = mockTheHive((request) =>
      request.path === '/api/v1/alert' ? [201, theHiveAlert()] : [201, theHiveCase()],
    );
    await harness.click(member.fingerprint);
    await harness.runJobs();
    const sent = theHive[0]!.body as { description: string };
    expect(sent.description).toContain(`[Storm digest it was first grouped into](${digestLink})`);
  });
});
