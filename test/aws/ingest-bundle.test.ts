/**
 * The ingest function's bundle, built with esbuild exactly as serverless.yml configures it: it carries
 * the AWS SDK clients ingest uses (DynamoDB, SQS for jobs, SSM for secrets, Organizations for account
 * names when enabled) and not the worker's (Security Hub, Lambda, SSM Automation's actions), which its
 * composition root (src/aws/ingest-runtime.ts) never builds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, readTemplate } from '../../bench/bundles';

const ROOT = join(__dirname, '..', '..');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hivewire-ingest-bundle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// esbuild bundles the whole function: more than the default timeout on a loaded machine.
jest.setTimeout(60_000);

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
    '@aws-sdk/client-organizations',
    '@aws-sdk/client-sqs',
    '@aws-sdk/client-ssm',
    '@aws-sdk/lib-dynamodb',
  ]);
  expect(Object.keys(output.inputs).filter((path) => path.startsWith('src/worker'))).toEqual([]);
});
