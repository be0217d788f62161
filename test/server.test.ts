/**
 * The local server's `POST /ingest` over HTTP: a signed SNS delivery is accepted only from the topics
 * in `INGEST_SNS_TOPIC_ARNS`, as in AWS (a valid signature proves only that SNS sent it). The sandbox
 * Slack is mounted so the accepted finding is posted as it would be by `npm start`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { SANDBOX_DEFAULTS } from '../src/config';
import { loadConfig } from '../src/config-file';
import { createLocalRuntime, type LocalRuntime } from '../src/runtime';
import type { Sandbox } from '../src/sandbox';
import { sandboxFor } from '../src/serve';
import { startServer, type RunningServer } from '../src/server';
import { freePort } from './helpers/sandbox-server';
import { CERT_HOST, CERT_PATH, notification, TEST_CERTIFICATE, TOPIC_ARN } from './http/signed-sns';

const GUARDDUTY_EVENT = readFileSync(
  join(__dirname, '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
  'utf8',
);
const OTHER_TOPIC = 'arn:aws:sns:us-east-1:444455556666:someone-elses-topic';

let dataDir: string;
let runtime: LocalRuntime;
let sandbox: Sandbox;
let server: RunningServer;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  dataDir = mkdtempSync(join(tmpdir(), 'hivewire-server-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HIVEWIRE_DATA_DIR: dataDir,
    INGEST_SNS_TOPIC_ARNS: TOPIC_ARN,
  });
  runtime = await createLocalRuntime(config, { slackPostIntervalMs: 0 });
  sandbox = sandboxFor(config, []);
  server = await startServer(runtime, { port, host: '127.0.0.1', mounted: [sandbox], reconcileEveryMs: 0 });
});

afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

afterAll(async () => {
  await runtime?.queue.drain();
  await server?.close();
  await sandbox?.close();
  await runtime?.close();
  rmSync(dataDir, { recursive: true, force: true });
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

async function deliver(topicArn: string) {
  const response = await fetch(`${server.url}/ingest`, {
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

    await runtime.queue.drain();
    const posted = sandbox.workspace.history(SANDBOX_DEFAULTS.alertChannel).messages;
    expect(posted.map((message) => message.metadata?.event_payload.fingerprint)).toEqual(fingerprints);
  });

  it('refuses a correctly signed delivery from any other topic with a bare 401, fetching nothing', async () => {
    expect(await deliver(OTHER_TOPIC)).toEqual({ status: 401, body: '{"error":"unauthorized"}' });
  });
});
