/**
 * The AWS SDK clients in the Lambda bundles, built with esbuild exactly as serverless.yml configures them.
 * The ingest function carries the clients ingest uses (DynamoDB, SQS for jobs, SSM for secrets,
 * Organizations for account names when enabled, KMS for the installations' data keys with OAuth installs) and not the worker's (Security Hub, Lambda, SSM
 * Automation's actions), which its composition root (src/aws/ingest-deps.ts) never builds. The slack
 * function loads none at `require()`: its clients come with its first request (src/aws/runtime.ts), so
 * Slack's 3-second deadline is not spent loading them in Lambda's init.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { esbuildOptions, readTemplate } from '../../bench/bundles';

const ROOT = join(__dirname, '..', '..');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hivewire-ingest-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// esbuild bundles the whole function: more than the default timeout on a loaded machine.
jest.setTimeout(60_000);

/** The @aws-sdk modules `entry` requires as it loads: reached by static imports, not by `import()`. */
function loadedAtRequire(metafile: Metafile, entry: string): string[] {
  const seen = new Set([entry]);
  const loaded = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    for (const { path, kind, external } of metafile.inputs[queue.shift()!]?.imports ?? []) {
      if (kind === 'dynamic-import') continue;
      if (external && path.startsWith('@aws-sdk/')) loaded.add(path);
      if (external || seen.has(path)) continue;
      seen.add(path);
      queue.push(path);
    }
  }
  return [...loaded].sort();
}

test('the slack bundle loads no AWS SDK client at require()', async () => {
  const result = await build({
    ...esbuildOptions(readTemplate().custom.esbuild),
    entryPoints: [join(ROOT, 'src/handlers/slack.ts')],
    outfile: join(dir, 'slack.js'),
    sourcemap: false,
  });
  expect(loadedAtRequire(result.metafile!, 'src/handlers/slack.ts')).toEqual([]);
});

test('the ingest bundle imports only the AWS SDK clients ingest uses', async () => {
  const outfile = join(dir, 'ingest.js');
  const result = await build({
    ...esbuildOptions(readTemplate().custom.esbuild),
    entryPoints: [join(ROOT, 'src/handlers/ingest.ts')],
    outfile,
    sourcemap: false,
  });
  const output = result.metafile!.outputs[relative(ROOT, outfile)]!;
  const clients = [
    ...new Set(output.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path)),
  ].sort();
  expect(clients).toEqual([
    '@aws-sdk/client-dynamodb',
    '@aws-sdk/client-kms',
    '@aws-sdk/client-organizations',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-ssm',
    '@aws-sdk/lib-dynamodb',
  ]);
  expect(Object.keys(output.inputs).filter((path) => path.startsWith('src/worker/'))).toEqual([]);
});
