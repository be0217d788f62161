/**
 * The local server's `POST /ingest` over HTTP: a signed SNS delivery is accepted only from the topics
 * in `INGEST_SNS_TOPIC_ARNS`, as in AWS (a valid signature proves only that SNS sent it), and what is
 * not posted is named in `skipped`. The sandbox Slack is mounted so the accepted finding is posted as
 * it would be by `npm start`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { GroupMembers } from '../../src/access/permissions';
import { changeThreshold } from '../../src/alerts/threshold';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { CERT_HOST, CERT_PATH, notification, TEST_CERTIFICATE, TOPIC_ARN } from './signed-sns';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

const GUARDDUTY_EVENT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
  'utf8',
);
const fixture = (path: string): unknown =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', path), 'utf8'));
const CLOUDTRAIL_EVENT = fixture('aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json');
const LOW_FINDING = fixture('aws/guardduty-stealth-iamuser-passwordpolicychange.json');
const HIGH_FINDING = fixture('aws/guardduty-iamuser-toripcaller.json');
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:444455556666:someone-elses-topic';

let product: InProcessSandbox;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  product = await startInProcessSandbox({ INGEST_SNS_TOPIC_ARNS: TOPIC_ARN });
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

afterAll(async () => {
  await product?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

async function deliver(topicArn: string) {
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
    body: JSON.stringify(notification(GUARDDUTY_EVENT, { TopicArn: topicArn })),
  });
  return { status: response.status, body: await response.text() };
}

describe('POST /ingest on the local server', () => {
  it('accepts a signed delivery from a configured topic: 202 with its fingerprint, then the alert', async () => {
    nock(CERT_HOST).get(CERT_PATH).reply(200, TEST_CERTIFICATE);
    const response = await deliver(TOPIC_ARN);
    expect(response.status).toBe(202);
    const { fingerprints } = JSON.parse(response.body) as { fingerprints: string[] };
    expect(JSON.parse(response.body)).toEqual({
      fingerprints: [expect.stringMatching(/^gd-[0-9a-f]{32}$/)],
      skipped: [],
      rejected: [],
    });

    await product.runtime.queue.drain();
    const posted = product.sandbox.workspace.history(SANDBOX_DEFAULTS.alertChannel).messages;
    expect(posted.map((message) => message.metadata?.event_payload.fingerprint)).toEqual(fingerprints);
  });

  it('refuses a correctly signed delivery from any other topic with a bare 401, fetching nothing', async () => {
    expect(await deliver(OTHER_TOPIC)).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
  });
});

async function ingest(body: unknown) {
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`,
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: JSON.parse(await response.text()) as Record<string, unknown> };
}

describe('POST /ingest answers what it will not post', () => {
  it('names each skipped entry: a non-finding event with its reason, a new finding below the threshold with the threshold too', async () => {
    const response = await ingest([CLOUDTRAIL_EVENT, LOW_FINDING, HIGH_FINDING]);
    expect(response).toEqual({
      status: 202,
      body: {
        fingerprints: [expect.stringMatching(/^gd-[0-9a-f]{32}$/)],
        skipped: [
          { index: 0, reason: 'detail-type "AWS API Call via CloudTrail" is not a finding event' },
          {
            index: 1,
            reason: 'severity LOW is below the severity threshold MEDIUM: no alert is posted',
            fingerprint: expect.stringMatching(/^gd-[0-9a-f]{32}$/),
            threshold: 'MEDIUM',
          },
        ],
        rejected: [],
      },
    });
    await product.runtime.queue.drain();
    const posted = product.sandbox.workspace
      .history(SANDBOX_DEFAULTS.alertChannel)
      .messages.map((message) => message.metadata?.event_payload.fingerprint);
    const [skippedLow] = (response.body.skipped as { fingerprint?: string }[]).slice(1);
    expect(posted).toContain((response.body.fingerprints as string[])[0]);
    expect(posted).not.toContain(skippedLow?.fingerprint);
  });

  it('follows the threshold set with /hivewire threshold, as ingest does', async () => {
    // The command's own use case, which also drops the threshold ingest keeps cached for a while.
    const { deps } = product.runtime;
    const config = { ...deps.config, slack: { ...deps.config.slack, admins: ['U0ALICE'] } };
    const members = new GroupMembers(async () => []);
    await expect(
      changeThreshold({ level: 'LOW', userId: 'U0ALICE' }, { store: deps.store, config, members }),
    ).resolves.toMatchObject({ outcome: 'changed', to: 'LOW' });
    const response = await ingest(LOW_FINDING);
    expect(response).toEqual({
      status: 202,
      body: { fingerprints: [expect.stringMatching(/^gd-/)], skipped: [], rejected: [] },
    });
    await product.runtime.queue.drain();
    const posted = product.sandbox.workspace
      .history(SANDBOX_DEFAULTS.alertChannel)
      .messages.map((message) => message.metadata?.event_payload.fingerprint);
    expect(posted).toContain((response.body.fingerprints as string[])[0]);
  });
});
