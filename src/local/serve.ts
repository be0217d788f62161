/**
 * `hivewire serve`: the local server. Without a Slack token it is the sandbox: Slack and TheHive are
 * served by local stand-ins on the same port, reached by the bot through its normal clients.
 */
import { join } from 'node:path';
import type { Config } from '../config/config';
import { loadConfig } from '../config/config-file';
import { createLocalRuntime } from './runtime';
import { loadSamples, type SampleFinding } from '../sandbox/samples';
import { createSandbox, type Sandbox } from '../sandbox';
import { startServer, type Mountable } from '../http/server';
import { webexClientFor } from '../chat/webex/adapter';
import { errorMessage } from '../observability/logger';
import { registerWebexWebhooks } from '../chat/webex/webhooks';

/** The Webex spaces the stand-in holds: every configured room, when Webex runs against the stand-in. */
function sandboxWebexRooms(config: Config): string[] | undefined {
  const webex = config.webex;
  if (!webex?.apiUrl?.startsWith(`${config.publicUrl}/sandbox/`)) return undefined;
  const rooms = Object.values(config.file.customers).map((customer) => customer.webex?.room);
  return [...new Set([webex.defaultRoom, ...rooms].filter((room): room is string => room !== undefined))];
}

/** The sandbox stand-ins for a configuration: its secrets, its public URL, state under the data directory. */
export function sandboxFor(config: Config, samples: SampleFinding[]): Sandbox {
  return createSandbox({
    publicUrl: config.publicUrl,
    signingSecret: config.slack.signingSecret,
    theHiveApiKey: config.theHive.apiKey,
    webhookSecret: config.theHive.webhookSecret,
    ingestSecret: config.ingestSecret,
    alertChannel: config.slack.alertChannel,
    webexRooms: sandboxWebexRooms(config),
    dataDir: join(config.dataDir, 'sandbox'),
    samples: samples.map(({ name, event }) => ({ name, event })),
    oauth: config.slack.oauth,
  });
}

/** Runs until SIGINT/SIGTERM; then drains the jobs, stops taking requests and closes the store. */
export async function serve(env: NodeJS.ProcessEnv, options: { samples: boolean }): Promise<number> {
  const config = loadConfig(env);
  const runtime = await createLocalRuntime(config);
  const { logger } = runtime.deps;
  const samples = loadSamples();
  const sandbox = config.sandbox ? sandboxFor(config, samples) : undefined;
  const mounted: Mountable[] = sandbox ? [sandbox] : [];
  const running = await startServer(runtime, { port: config.port, mounted });
  // After the server listens: in the sandbox the resumed jobs call the stand-ins on this same port.
  const resumed = await runtime.queue.resume();
  if (resumed > 0) logger.info('resuming the jobs a previous run left unfinished', { jobs: resumed });

  if (config.webex) {
    // Webex delivers to whatever URL the webhooks name: make them name this server, with this secret.
    const registered = await registerWebexWebhooks(webexClientFor(config), {
      targetUrl: `${config.publicUrl}/webex/events`,
      secret: config.webex.webhookSecret,
    }).catch((error: unknown) => {
      logger.error('Webex webhooks not registered: clicks and commands in Webex will not arrive', {
        error: errorMessage(error),
      });
      return [];
    });
    if (registered.length > 0) logger.info('Webex webhooks registered', { webhooks: registered });
  }
  // The app is in the sandbox team from the start, as an admin would have added it.
  if (sandbox) await sandbox.installTeamsApp();

  if (sandbox && options.samples && (await runtime.deps.store.listAlerts(1)).length === 0) {
    // Through the console's own Inject, so a sample Hivewire skips shows there as a notice.
    for (const [index, sample] of samples.entries()) {
      if (!sample.loadAtStart) continue;
      const { status } = await sandbox.injectSample(index);
      if (status !== 202) logger.warn('sample not loaded', { sample: sample.name, status });
    }
  }

  process.stdout.write(
    config.sandbox
      ? `Hivewire sandbox running: open ${config.publicUrl}/ (no Slack, TheHive or AWS account needed)\n`
      : `Hivewire running on port ${running.port}${config.slack.appToken ? ' (Slack Socket Mode)' : ''}\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  logger.info('shutting down: draining jobs');
  // The jobs call the sandbox stand-ins on this same server, and the TheHive stand-in's webhook
  // deliveries enqueue jobs: both settle before the server stops (closing it first made every queued
  // job fail against a closed port and retry with backoff for ~50 s, then dead-letter).
  await runtime.queue.drain();
  await sandbox?.close();
  await runtime.queue.drain();
  await running.close();
  // Saves what the last jobs changed in the stand-ins (closing the sandbox again is harmless).
  await sandbox?.close();
  await runtime.close();
  return 0;
}
