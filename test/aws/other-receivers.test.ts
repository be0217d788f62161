/**
 * The substitutes serverless.yml's esbuild aliases put in the Lambda bundles for the packages of Bolt's
 * other receivers: what the slack bundle leaves out, and the error one of Bolt's own HTTP or Socket
 * Mode receivers meets there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { esbuildOptions, readTemplate } from '../../bench/bundles';
import notBundled, { ReceiverNotBundledError, Router, SocketModeClient } from '../../src/aws/other-receivers';

const ROOT = join(__dirname, '..', '..');
const OPTIONS = esbuildOptions(readTemplate().custom.esbuild);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hivewire-receivers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the substitutes', () => {
  it('fail loudly, naming what is missing', () => {
    expect(() => notBundled()).toThrow(new ReceiverNotBundledError('express / raw-body'));
    expect(() => Router()).toThrow("express is not in Hivewire's Lambda bundles");
    expect(() => new SocketModeClient()).toThrow(
      "@slack/socket-mode is not in Hivewire's Lambda bundles: they run Hivewire's own Bolt receiver only",
    );
  });
});

describe('the slack bundle', () => {
  it('carries none of the packages only the other receivers use', async () => {
    const result = await build({
      ...OPTIONS,
      entryPoints: [join(ROOT, 'src/handlers/slack.ts')],
      outfile: join(dir, 'slack.js'),
      sourcemap: false,
    });
    const inputs = Object.keys(result.metafile!.inputs);
    expect(inputs).toContain('node_modules/@slack/bolt/dist/receivers/AwsLambdaReceiver.js');
    expect(inputs).toContain('src/aws/other-receivers.ts');
    for (const left of ['express', 'raw-body', '@slack/socket-mode', 'undici', 'iconv-lite', 'mime-db'])
      expect(inputs.filter((path) => path.startsWith(`node_modules/${left}/`))).toEqual([]);
  });

  it('refuses a Socket Mode app with the substitute’s error, not a crash at load', async () => {
    const outfile = join(dir, 'socket-mode-app.js');
    await build({
      ...OPTIONS,
      stdin: {
        contents: `import { App } from '@slack/bolt';
export const start = () => new App({ token: 'xoxb-1', appToken: 'xapp-1', socketMode: true, tokenVerificationEnabled: false });`,
        resolveDir: ROOT,
        loader: 'ts',
      },
      outfile,
      sourcemap: false,
    });
    const bundle = (await import(outfile)) as { start: () => unknown };
    expect(() => bundle.start()).toThrow(
      "@slack/socket-mode is not in Hivewire's Lambda bundles: they run Hivewire's own Bolt receiver only",
    );
  });
});
