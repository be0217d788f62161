/**
 * The layer rules (.dependency-cruiser.cjs) are only worth running in `npm test` if they catch a wrong
 * import: each rule is run by the real dependency-cruiser CLI on a small crafted tree that breaks it,
 * and on a tree that keeps every rule, and must report exactly the violations planted.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(__dirname, '..', '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

let tree: string;

// Each test starts the depcruise CLI (a fresh node, TypeScript and the tree read): seconds when the
// machine is idle, far more on a loaded CI runner. The rule's verdict, not its speed, is asserted.
jest.setTimeout(180_000);

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    const file = join(tree, path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

/** Runs depcruise with the repo's rule file in the crafted tree; resolves the violations it reports. */
async function cruise(): Promise<Violation[]> {
  const run = promisify(execFile)(
    process.execPath,
    [DEPCRUISE, '--config', '.dependency-cruiser.cjs', '--output-type', 'json', 'src', 'blocks', 'clients'],
    { cwd: tree, maxBuffer: 16 * 1024 * 1024 },
  );
  // depcruise exits non-zero when it finds violations; its JSON report is on stdout either way.
  const { stdout } = await run.catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  const report = JSON.parse(stdout) as { summary: { violations: Violation[] } };
  return report.summary.violations;
}

function names(violations: Violation[]): string[] {
  return violations.map((violation) => `${violation.rule.name}: ${violation.from} -> ${violation.to}`).sort();
}

/** A tree that keeps every rule: a use case on the domain, a builder on the domain, the local root on the sandbox. */
const GOOD: Record<string, string> = {
  'src/validation/zod.ts': 'export const z = 1;\n',
  'src/domain/alert.ts': "import { z } from '../validation/zod';\nexport const alert = z;\n",
  'blocks/alert.ts': "import { alert } from '../src/domain/alert';\nexport const block = alert;\n",
  'clients/thehive.ts': "import { alert } from '../src/domain/alert';\nexport const client = alert;\n",
  'src/alerts/ingest.ts':
    "import { block } from '../../blocks/alert';\nimport { client } from '../../clients/thehive';\nexport const ingest = [block, client];\n",
  'src/sandbox/index.ts': 'export const sandbox = 1;\n',
  'src/local/serve.ts':
    "import { sandbox } from '../sandbox';\nimport { ingest } from '../alerts/ingest';\nexport const serve = [sandbox, ingest];\n",
  'src/handlers/ingest.ts': "import { ingest } from '../alerts/ingest';\nexport const handler = ingest;\n",
};

beforeEach(() => {
  tree = mkdtempSync(join(tmpdir(), 'hivewire-layers-'));
  copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(tree, '.dependency-cruiser.cjs'));
  write({ 'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }) });
  write(GOOD);
});

afterEach(() => {
  rmSync(tree, { recursive: true, force: true });
});

describe('the layer rules', () => {
  it('pass a tree that keeps them', async () => {
    expect(names(await cruise())).toEqual([]);
  });

  it('fail a builder in blocks/ that imports the store', async () => {
    write({
      'src/store/store.ts': "import { alert } from '../domain/alert';\nexport const store = alert;\n",
      'blocks/alert.ts':
        "import { alert } from '../src/domain/alert';\nimport { store } from '../src/store/store';\nexport const block = [alert, store];\n",
    });
    expect(names(await cruise())).toEqual([
      'blocks-depend-on-domain-only: blocks/alert.ts -> src/store/store.ts',
    ]);
  });

  it('fail the domain importing anything but zod and itself', async () => {
    write({
      'src/domain/alert.ts': "import { block } from '../../blocks/alert';\nexport const alert = block;\n",
    });
    expect(names(await cruise())).toEqual(
      expect.arrayContaining(['domain-depends-on-zod-only: src/domain/alert.ts -> blocks/alert.ts']),
    );
  });

  it('fail a runtime cycle, and a loop closed only by type imports', async () => {
    write({
      'src/alerts/render.ts': "import { ingest } from './ingest';\nexport const render = () => ingest;\n",
      'src/alerts/ingest.ts':
        "import { render } from './render';\nimport { block } from '../../blocks/alert';\nimport { client } from '../../clients/thehive';\nexport const ingest = [block, client, render];\n",
      'src/cases/sync.ts': "import type { Case } from './escalate';\nexport interface Sync { case?: Case }\n",
      'src/cases/escalate.ts':
        "import type { Sync } from './sync';\nexport interface Case { sync?: Sync }\nexport const escalate = 1;\n",
      'src/handlers/escalate.ts':
        "import { escalate } from '../cases/escalate';\nexport const handler = escalate;\n",
    });
    const violations = await cruise();
    // Each cycle is reported once, from the first module of it found.
    expect(violations.filter((violation) => violation.rule.name === 'no-cycle').map((v) => v.from)).toEqual(
      expect.arrayContaining(['src/alerts/ingest.ts', 'src/cases/escalate.ts']),
    );
    expect(names(violations).filter((name) => !name.startsWith('no-cycle'))).toEqual([]);
  });

  it('fail production code that imports the sandbox, and a module nothing imports', async () => {
    write({
      'src/alerts/ingest.ts':
        "import { sandbox } from '../sandbox';\nimport { block } from '../../blocks/alert';\nimport { client } from '../../clients/thehive';\nexport const ingest = [block, client, sandbox];\n",
      'src/alerts/forgotten.ts': 'export const forgotten = 1;\n',
    });
    expect(names(await cruise())).toEqual([
      'no-orphans: src/alerts/forgotten.ts -> src/alerts/forgotten.ts',
      'production-not-to-sandbox: src/alerts/ingest.ts -> src/sandbox/index.ts',
    ]);
  });

  it('fail a client that imports a use case', async () => {
    write({
      'clients/thehive.ts':
        "import { ingest } from '../src/alerts/ingest';\nexport const client = () => ingest;\n",
    });
    expect(names(await cruise())).toEqual(
      expect.arrayContaining(['clients-not-to-use-cases: clients/thehive.ts -> src/alerts/ingest.ts']),
    );
  });

  it('fail a use case that imports a route, and a module that reaches a composition root', async () => {
    write({
      'src/http/endpoints/ingest.ts':
        "import { ingest } from '../../alerts/ingest';\nexport const endpoint = ingest;\n",
      'src/handlers/ingest.ts':
        "import { endpoint } from '../http/endpoints/ingest';\nexport const handler = endpoint;\n",
      'src/local/runtime.ts':
        "import { client } from '../../clients/thehive';\nexport const runtime = client;\n",
      'src/cases/sync.ts':
        "import { endpoint } from '../http/endpoints/ingest';\nimport { runtime } from '../local/runtime';\nexport const sync = [endpoint, runtime];\n",
      'src/handlers/sync.ts': "import { sync } from '../cases/sync';\nexport const handler = sync;\n",
    });
    expect(names(await cruise())).toEqual([
      'endpoints-served-by-transport-only: src/cases/sync.ts -> src/http/endpoints/ingest.ts',
      'roots-reached-from-entry-points-only: src/cases/sync.ts -> src/local/runtime.ts',
      'use-cases-not-to-transport: src/cases/sync.ts -> src/http/endpoints/ingest.ts',
      'use-cases-not-to-transport: src/cases/sync.ts -> src/local/runtime.ts',
    ]);
  });
});
