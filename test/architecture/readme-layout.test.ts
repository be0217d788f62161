/**
 * The README's "Layout" table is how a newcomer finds their way, so it must match the tree: every
 * folder of src/ and clients/ is named in it, and every path it names exists. A folder added, moved or
 * removed without the table fails here.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

/** The Layout section's table rows, from its heading to the next heading. */
function layoutTable(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n### Layout\n');
  expect(start).toBeGreaterThan(-1);
  const end = readme.indexOf('\n#', start + 1);
  return readme
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .join('\n');
}

/** The code spans of the table, read as paths; a span in a row's "what" column is relative to the row's first path. */
function namedPaths(table: string): string[] {
  const paths: string[] = [];
  for (const row of table.split('\n')) {
    const [where = '', what = ''] = row.split('|').slice(1, 3);
    const bases = [...where.matchAll(/`([^`]+)`/g)].map((match) => match[1]!);
    paths.push(...bases);
    const base = bases[0]!.endsWith('/') ? bases[0]! : '';
    for (const [, span] of what.matchAll(/`([^`]+)`/g)) {
      if (!/^[\w./-]+\.(ts|json|mmd)$|^[\w.-]+\/$/.test(span!)) continue;
      paths.push(span!.includes('/') && !span!.endsWith('/') ? span! : base + span!);
    }
  }
  return paths;
}

const folders = (parent: string) =>
  readdirSync(join(ROOT, parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => `${parent}/${entry.name}/`);

describe("the README's Layout table", () => {
  const table = layoutTable();

  it('names every folder of src/ and clients/', () => {
    const named = new Set(namedPaths(table));
    const unnamed = [...folders('src'), ...folders('clients')].filter(
      (folder) => !named.has(folder) && !table.includes(`\`${folder}`),
    );
    expect(unnamed).toEqual([]);
  });

  it('names only paths that exist', () => {
    const missing = namedPaths(table).filter(
      (path) => !existsSync(join(ROOT, path)) && !existsSync(join(ROOT, 'src', path)),
    );
    expect(missing).toEqual([]);
  });
});
