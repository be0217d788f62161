/**
 * The sandbox's storm sample end to end, in one process: the event of 60 Security Hub findings POSTed to
 * `/ingest` as the console's button sends it, the local queue's worker posting to the sandbox Slack
 * workspace. Past the threshold, the channel shows one digest per control instead of 40 more alerts,
 * and the digests' messages catch up with their members when their refresh comes due.
 */
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import { DIGEST_REFRESH_MS } from '../../src/alerts/storm';
import { loadSamples } from '../../src/sandbox/samples';
import { eventually } from '../helpers/eventually';
import { startInProcessSandbox, type InProcessSandbox } from '../helpers/sandbox-server';

const CHANNEL = SANDBOX_DEFAULTS.alertChannel;

let product: InProcessSandbox;

beforeAll(async () => {
  product = await startInProcessSandbox();
});

afterAll(async () => {
  await product?.close();
});

function headers(): string[] {
  return product.sandbox.workspace.history(CHANNEL).messages.map((message) => {
    const header = message.blocks?.find((block) => block.type === 'header');
    return (header?.text as { text?: string } | undefined)?.text ?? '';
  });
}

test('the storm sample: the first findings posted alone, the rest as one digest per control, each finding kept', async () => {
  const storm = loadSamples().find((sample) => sample.name.startsWith('Storm:'))!;
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(storm.event),
  });
  expect(response.status).toBe(202);
  await product.runtime.queue.drain();

  const store = product.runtime.deps.store;
  const alerts = await store.listAlerts(500);
  const digests = alerts.filter((alert) => alert.digest);
  const alone = alerts.filter((alert) => !alert.digest && !alert.inDigest);
  // The worker runs four jobs at once, so a few may pass the threshold's check together.
  expect(alone.length).toBeGreaterThanOrEqual(20);
  expect(alone.length).toBeLessThanOrEqual(24);
  expect(digests.map((digest) => digest.finding.title.replace(/^\d+ /, '')).sort()).toEqual([
    'new findings: EC2.7 in 111111111111',
    'new findings: IAM.6 in 111111111111',
    'new findings: S3.8 in 111111111111',
  ]);
  expect(alone.length + digests.reduce((sum, digest) => sum + digest.count, 0)).toBe(60);
  expect(alerts.filter((alert) => alert.inDigest)).toHaveLength(60 - alone.length);
  expect(headers()).toHaveLength(alone.length + 3);

  // When their refresh is due, the digests' messages show every member.
  const grouped = 60 - alone.length;
  await eventually(
    'the digests to show all their findings',
    async () => {
      await product.runtime.queue.drain();
      const shown = headers()
        .map((header) => Number(/(\d+) new findings?: /.exec(header)?.[1] ?? 0))
        .reduce((sum, count) => sum + count, 0);
      return shown === grouped ? shown : undefined;
    },
    DIGEST_REFRESH_MS * 3,
  );
  // 60 findings through the worker, then a digest refresh (30 s by design): over a minute under load.
}, 300_000);
