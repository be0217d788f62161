import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const root = path.resolve(__dirname, '../../..');

test('the committed schema.d.ts is what openapi.yaml generates (run `npm run generate:thehive` when this fails)', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(__dirname, 'generate-schema.mjs')],
    {
      cwd: root,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  const committed = await readFile(path.join(root, 'clients/thehive/schema.d.ts'), 'utf8');
  expect(stdout).toBe(committed);
});
