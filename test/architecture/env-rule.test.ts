/**
 * "Only the composition roots read process.env" is an ESLint rule (eslint.config.mjs), run by `npm test`
 * through `npm run lint`. It is only worth having if it catches a read: the real ESLint CLI, with the
 * repo's config, lints crafted modules placed in the tree (through stdin, nothing is written) and must
 * report each read outside a root, and none in a root.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const ESLINT = join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js');
const RULE = 'no-restricted-properties';

// Each test starts the ESLint CLI (a fresh node reading the config and its plugins): seconds when the
// machine is idle, far more on a loaded CI runner. The rule's verdict, not its speed, is asserted.
jest.setTimeout(180_000);

interface LintResult {
  messages: { ruleId: string | null; line: number; message: string }[];
}

/** Lints `text` as if it were the module at `path` in this repository; resolves the rule's findings. */
function lint(path: string, text: string): Promise<{ line: number; message: string }[]> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile(
      process.execPath,
      [ESLINT, '--format', 'json', '--stdin', '--stdin-filename', path],
      { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => {
        // ESLint exits 1 when it found a problem: the JSON on stdout is still the answer.
        if (error && error.code !== 1) return reject(error);
        try {
          const [result] = JSON.parse(stdout) as LintResult[];
          resolvePromise(result!.messages.filter((m) => m.ruleId === RULE));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
    child.stdin!.end(text);
  });
}

const READS = [
  '/** A use case that reads its setting from the environment. */',
  "export const direct = process.env.SEVERITY_THRESHOLD ?? 'high';",
  "export const indexed = process['env'];",
  'export const { env } = process;',
  '',
].join('\n');

describe('process.env outside the composition roots', () => {
  it('is refused in a use case, a client, a transport module and a handler: every way of reading it', async () => {
    for (const path of [
      'src/alerts/crafted.ts',
      'clients/crafted.ts',
      'src/http/endpoints/crafted.ts',
      'src/handlers/crafted.ts',
    ]) {
      const found = await lint(path, READS);
      expect({ path, lines: found.map((m) => m.line) }).toEqual({ path, lines: [2, 3, 4] });
      expect(found[0]!.message).toContain('Only the composition roots read process.env');
    }
  });

  it('is allowed in the local and the AWS composition roots', async () => {
    for (const path of ['src/local/runtime.ts', 'src/aws/runtime.ts'])
      expect(await lint(path, READS)).toEqual([]);
  });

  it('an env object handed in as a parameter is not a read', async () => {
    const handed = [
      '/** Reads the threshold from the env object it is given. */',
      "export const threshold = (env: NodeJS.ProcessEnv) => env.SEVERITY_THRESHOLD ?? 'high';",
      '',
    ].join('\n');
    expect(await lint('src/alerts/crafted.ts', handed)).toEqual([]);
  });
});
