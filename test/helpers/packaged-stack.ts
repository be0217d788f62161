/**
 * `osls package` as a user runs it, offline and without AWS credentials, once per jest run: the
 * template test and the moto test read the same output. serverless-esbuild builds in the checkout's
 * `.esbuild/`, so two packagings at once would race; the first test file to ask packages (it holds a
 * lock directory), the others wait for its result. The run's directory comes from the global setup.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '../..');
/** Set by test/helpers/global-setup.ts: where this run's package is written. */
export const PACKAGE_DIR_VARIABLE = 'HIVEWIRE_TEST_PACKAGE_DIR';
export const PACKAGE_STAGE = 'citest';
export const PACKAGE_REGION = 'eu-west-1';
/** The deploy parameters given to `osls package` (Webex on, so the packaged stack runs its route too). */
export const PACKAGE_PARAMS = {
  theHiveUrl: 'https://thehive.example.com',
  slackAlertChannel: 'C0SECOPS',
  webex: 'true',
};
/**
 * How long a test file waits for another one's packaging: two `osls package` runs, which took 150 s
 * together at a load average of 20 on 2 cores.
 */
export const PACKAGE_WAIT_MS = 600_000;
const POLL_MS = 200;

/** Values put in the packaging process's environment: none may appear in what it writes. */
export const PACKAGING_ENV_SECRETS = {
  SLACK_BOT_TOKEN: 'xoxb-template-test-bot-token',
  SLACK_SIGNING_SECRET: 'template-test-signing-secret',
  THEHIVE_API_KEY: 'template-test-thehive-api-key',
  THEHIVE_WEBHOOK_SECRET: 'template-test-webhook-secret',
  INGEST_SECRET: 'template-test-ingest-secret',
};

/** The packagings a run makes: as deployed by default, and with the `tracing` parameter on. */
const VARIANTS = { default: [], traced: ['tracing=true'] } satisfies Record<string, string[]>;
export type PackageVariant = keyof typeof VARIANTS;

async function runPackage(outputDir: string, params: string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...PACKAGING_ENV_SECRETS };
  // Packaging must need no AWS account at all.
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_PROFILE;
  await promisify(execFile)(
    join(ROOT, 'node_modules', '.bin', 'osls'),
    [
      'package',
      '--stage',
      PACKAGE_STAGE,
      '--region',
      PACKAGE_REGION,
      '--package',
      outputDir,
      ...Object.entries(PACKAGE_PARAMS).map(([name, value]) => `--param=${name}=${value}`),
      ...params.map((param) => `--param=${param}`),
    ],
    { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 },
  );
}

/**
 * The directory holding this run's package of `variant` (templates, state, one zip per function),
 * packaging first if no other test file has: the first to ask makes every variant, one after the other.
 */
export async function packagedStack(variant: PackageVariant = 'default'): Promise<string> {
  const runDir = process.env[PACKAGE_DIR_VARIABLE];
  if (!runDir)
    throw new Error(`${PACKAGE_DIR_VARIABLE} is not set: run jest with jest.config.js (its globalSetup)`);
  const outputDir = join(runDir, variant);
  const done = join(runDir, `done-${variant}`);
  const failed = join(runDir, 'failed');
  let owner = false;
  try {
    mkdirSync(join(runDir, 'lock'));
    owner = true;
  } catch {
    // Another test file is packaging, or has.
  }
  if (owner) {
    try {
      for (const [name, params] of Object.entries(VARIANTS)) {
        await runPackage(join(runDir, name), params);
        writeFileSync(join(runDir, `done-${name}`), '');
      }
    } catch (error) {
      writeFileSync(failed, error instanceof Error ? error.message : String(error));
      throw error;
    }
    return outputDir;
  }
  const deadline = Date.now() + PACKAGE_WAIT_MS;
  while (!existsSync(done)) {
    if (existsSync(failed)) throw new Error(`osls package failed:\n${readFileSync(failed, 'utf8')}`);
    if (Date.now() > deadline) throw new Error(`osls package did not finish within ${PACKAGE_WAIT_MS} ms`);
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
  return outputDir;
}
