/**
 * Starts the real product (`node bin/hivewire.js serve --sandbox-samples`) as a child process for the
 * end-to-end tests: its own process group (so stopping it leaves nothing behind), a free port, and a
 * data dir the caller chooses (so a test can stop it and start it again on the same state). Or the
 * same product inside the test's own process, for tests that reach into its state.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SANDBOX_DEFAULTS, type Config } from '../../src/config/config';
import { signSlackRequest } from '../../src/http/slack-signature';
import { loadConfig } from '../../src/config/config-file';
import { createLocalRuntime, type LocalRuntime } from '../../src/local/runtime';
import type { Sandbox } from '../../src/sandbox';
import { sandboxFor } from '../../src/local/serve';
import { startServer, type RunningServer } from '../../src/http/server';
import { connectToRunningStore, type OpenedStore } from '../../src/store/embedded';
import { eventually } from './eventually';

const ROOT = resolve(__dirname, '../..');
/** How long a start may take: it loads the product's TypeScript, seconds, many more on a loaded machine. */
const HEALTH_TIMEOUT_MS = 60_000;
const HEALTH_POLL_MS = 50;
/**
 * How long a SIGTERM may take (draining jobs, Slack paced at 1 s a post, on a loaded machine) before
 * the group is killed.
 */
const STOP_TIMEOUT_MS = 60_000;

/** The sandbox server did not come up, or exited before it was asked to. */
export class SandboxServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SandboxServerError';
  }
}

export interface SandboxServer {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** Everything the child wrote to stdout and stderr so far (for failure messages). */
  output(): string;
  /** SIGTERM (graceful: the server drains its jobs and saves the sandbox state) or SIGKILL; resolves on exit. */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** A fresh temporary data dir. */
export function temporaryDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'hivewire-e2e-'));
}

/** A port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => done(port));
    });
  });
}

/**
 * Starts `hivewire serve --sandbox-samples` on `dataDir` and resolves once `/healthz` answers 200;
 * `env` adds to the sandbox's clean environment (a config file, say).
 */
export async function startSandboxServer(
  options: { dataDir?: string; samples?: boolean; env?: NodeJS.ProcessEnv } = {},
): Promise<SandboxServer> {
  const dataDir = options.dataDir ?? temporaryDataDir();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PUBLIC_URL: url,
    HIVEWIRE_DATA_DIR: dataDir,
    POWERTOOLS_LOG_LEVEL: 'WARN',
  };
  // The sandbox is what runs without these: an outer environment's values must not leak in.
  for (const name of [
    'SLACK_BOT_TOKEN',
    'SLACK_APP_TOKEN',
    'SLACK_API_URL',
    'SLACK_SIGNING_SECRET',
    'SLACK_ALERT_CHANNEL',
    'THEHIVE_URL',
    'THEHIVE_API_KEY',
    'THEHIVE_WEBHOOK_SECRET',
    'THEHIVE_ORGANISATION',
    'INGEST_SECRET',
    'HIVEWIRE_CONFIG',
    'SEVERITY_THRESHOLD',
    'SLACK_CLIENT_ID',
    'SLACK_CLIENT_SECRET',
    'SLACK_STATE_SECRET',
    'SLACK_INSTALLATION_KEY',
    'SLACK_AUTHORIZATION_URL',
  ])
    delete env[name];
  Object.assign(env, options.env);
  const args = ['bin/hivewire.js', 'serve', ...(options.samples === false ? [] : ['--sandbox-samples'])];
  // detached: the child leads its own process group, so a kill of -pid reaches anything it started.
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  const server: SandboxServer = {
    url,
    port,
    dataDir,
    child,
    output: () => output,
    async stop(signal = 'SIGTERM') {
      const kill = (sent: NodeJS.Signals) => {
        if (hasExited || !child.pid) return;
        try {
          process.kill(-child.pid, sent);
        } catch {
          // The group is already gone.
        }
      };
      kill(signal);
      // A graceful stop that hangs must not leave the process behind the test run.
      const fallback = setTimeout(() => kill('SIGKILL'), STOP_TIMEOUT_MS);
      const exit = await exited;
      clearTimeout(fallback);
      return exit;
    },
  };

  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited) throw new SandboxServerError(`hivewire serve exited before it was healthy:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1_000) });
      if (response.status === 200) return server;
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, HEALTH_POLL_MS));
  }
  await server.stop('SIGKILL');
  throw new SandboxServerError(`hivewire serve was not healthy within ${HEALTH_TIMEOUT_MS} ms:\n${output}`);
}

/**
 * The servers a restart test starts on a data dir one after another, and its connections to their
 * stores; `release` (in afterAll) kills what is still running and closes the connections.
 */
export class ServerRuns {
  private readonly running = new Set<SandboxServer>();
  private readonly stores = new Set<OpenedStore>();

  /** `hivewire serve` on `dataDir`, without sample findings. */
  async start(dataDir: string): Promise<SandboxServer> {
    const server = await startSandboxServer({ dataDir, samples: false });
    this.running.add(server);
    return server;
  }

  /** Stops it (SIGTERM drains, SIGKILL does not) and resolves to how it exited. */
  async stop(server: SandboxServer, signal: 'SIGTERM' | 'SIGKILL') {
    const exit = await server.stop(signal);
    this.running.delete(server);
    return exit;
  }

  /** The running server's store, reached through the endpoint it records (as `hivewire audit` does). */
  async storeOf(server: SandboxServer): Promise<OpenedStore> {
    const store = await eventually('the running store', () => connectToRunningStore(server.dataDir));
    this.stores.add(store);
    return store;
  }

  async release(): Promise<void> {
    for (const store of this.stores) await store.close();
    for (const server of this.running) await server.stop('SIGKILL');
  }
}

/** The sandbox's default ingest secret (the server runs without INGEST_SECRET set). */
export const SANDBOX_INGEST_SECRET = SANDBOX_DEFAULTS.ingestSecret;

/** The headers Slack would send with `body` now, signed with the sandbox's default signing secret. */
export function sandboxSlackHeaders(body: string | Buffer, contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    ...signSlackRequest({
      signingSecret: SANDBOX_DEFAULTS.slackSigningSecret,
      rawBody: body,
      nowMs: Date.now(),
    }),
  };
}

/** The product in this process: runtime, routes and sandbox stand-ins on one 127.0.0.1 port. */
export interface InProcessSandbox {
  /** The environment it was configured from (`hivewire audit` reads the same). */
  env: NodeJS.ProcessEnv;
  config: Config;
  runtime: LocalRuntime;
  sandbox: Sandbox;
  server: RunningServer;
  /** Drains the jobs, stops everything and removes the data dir. */
  close(): Promise<void>;
}

/**
 * Starts the product in this process with `serve`'s own sandbox wiring, an on-disk embedded store in a
 * fresh data dir, no Slack pacing and no reconcile timer; `extraEnv` adds to the environment.
 */
export async function startInProcessSandbox(extraEnv: NodeJS.ProcessEnv = {}): Promise<InProcessSandbox> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hivewire-in-process-'));
  const port = await freePort();
  const env = {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    HIVEWIRE_DATA_DIR: dataDir,
    ...extraEnv,
  };
  const config = loadConfig(env);
  const runtime = await createLocalRuntime(config, { slackPostIntervalMs: 0 });
  const sandbox = sandboxFor(config, []);
  const server = await startServer(runtime, {
    port,
    host: '127.0.0.1',
    mounted: [sandbox],
    reconcileEveryMs: 0,
  });
  return {
    env,
    config,
    runtime,
    sandbox,
    server,
    async close() {
      await runtime.queue.drain();
      await server.close();
      await sandbox.close();
      await runtime.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
