/**
 * The in-process product's Webex stand-in, for tests that click cards and read threads there: the
 * product started with a config file and its webhooks registered, a finding ingested, the space, and a
 * wait until its deliveries and the jobs they queue have run to the end.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webexClientFor } from '../../src/chat/webex/adapter';
import { registerWebexWebhooks } from '../../src/chat/webex/webhooks';
import { SANDBOX_DEFAULTS } from '../../src/config/config';
import type { AlertRecord } from '../../src/domain/alert';
import type { WebexSpace } from '../../src/sandbox/webex-space';
import { startInProcessSandbox, type InProcessSandbox } from './sandbox-server';

export function webexSpaceOf(product: InProcessSandbox): WebexSpace {
  const webex = product.sandbox.webex;
  if (!webex) throw new Error('no Webex stand-in');
  return webex;
}

/** Lets the stand-in's deliveries and the jobs they queue run to the end (replies deliver again). */
export async function settleWebex(product: InProcessSandbox): Promise<void> {
  for (let round = 0; round < 3; round += 1) {
    await webexSpaceOf(product).idle();
    await product.runtime.queue.drain();
  }
}

/**
 * The in-process product with `configYaml` as its config file (`HIVEWIRE_CONFIG`), its Webex webhooks
 * registered for its `/webex/events` as the start-up step registers them.
 */
export async function startWebexProduct(configYaml: string): Promise<InProcessSandbox> {
  const configFile = join(mkdtempSync(join(tmpdir(), 'hivewire-webex-config-')), 'hivewire.yml');
  writeFileSync(configFile, configYaml);
  const product = await startInProcessSandbox({ HIVEWIRE_CONFIG: configFile });
  await registerWebexWebhooks(webexClientFor(product.config), {
    targetUrl: `${product.server.url}/webex/events`,
    secret: SANDBOX_DEFAULTS.webexWebhookSecret,
  });
  return product;
}

/** Posts `event` through /ingest and lets its posts settle; resolves to its first finding's alert as stored. */
export async function ingestForWebex(product: InProcessSandbox, event: unknown): Promise<AlertRecord> {
  const response = await fetch(`${product.server.url}/ingest`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SANDBOX_DEFAULTS.ingestSecret}` },
    body: JSON.stringify(event),
  });
  const { fingerprints } = (await response.json()) as { fingerprints: string[] };
  await settleWebex(product);
  return (await product.runtime.deps.store.getAlert(fingerprints[0]!))!;
}
