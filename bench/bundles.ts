/**
 * Lambda bundles: each function of serverless.yml built with esbuild exactly as serverless-esbuild
 * builds it (the options are read from the template's `custom.esbuild`), then measured — JS size, zipped
 * size, cold module-load time — beside floors built in the same run: a file that only builds a Bolt
 * `App` on an `AwsLambdaReceiver` and exports its handler, bundled with the template's aliases (the
 * floor Hivewire's functions compare with: Bolt as Hivewire bundles it, src/aws/other-receivers.ts),
 * and the same file with no aliases (what a plain Bolt app weighs).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { parse as parseYaml } from 'yaml';
import { spread, type Spread } from './spread';
import { zip } from './zip';

const ROOT = join(__dirname, '..');
/** Modules whose presence in the slack bundle we want to explain, with the import chain that brings them. */
const WATCHED = [
  'node_modules/zod/',
  'node_modules/yaml/',
  'clients/thehive/client.ts',
  'node_modules/axios/',
  'node_modules/express/',
];
const FLOOR_SOURCE = `
import { App, AwsLambdaReceiver } from '@slack/bolt';
const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'floor' });
new App({ token: 'floor', receiver, tokenVerificationEnabled: false });
export const handler = receiver.toHandler();
`;

/**
 * The floor plus zod, the other library of the required stack a Slack request needs (every boundary
 * is parsed with it): one schema parsed in a Bolt listener, as Hivewire imports zod (its mini build).
 * What the slack bundle weighs beyond this is Hivewire's own code and the libraries it chose.
 */
const STACK_FLOOR_SOURCE = `
import { App, AwsLambdaReceiver } from '@slack/bolt';
import * as z from 'zod/mini';
const Click = z.object({ type: z.literal('block_actions'), user: z.object({ id: z.string() }) });
const receiver = new AwsLambdaReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET ?? 'floor' });
const app = new App({ token: 'floor', receiver, tokenVerificationEnabled: false });
app.action(/.*/, async ({ ack, body }) => { await ack(); z.parse(Click, body); });
export const handler = receiver.toHandler();
`;

interface EsbuildSettings {
  minify?: boolean;
  sourcemap?: boolean | 'external' | 'linked' | 'inline' | 'both';
  target?: string;
  platform?: 'node';
  format?: 'cjs' | 'esm';
  treeShaking?: boolean;
  legalComments?: 'none' | 'inline' | 'eof';
  exclude?: string[];
  alias?: Record<string, string>;
}

interface Template {
  functions: Record<string, { handler: string }>;
  params: { default: { tracing: string } };
  custom: {
    esbuild: Omit<EsbuildSettings, 'exclude'> & { exclude: string[] | string };
    tracingModes: Record<string, { bundleExclude: string[] }>;
  };
}

export interface BundleFigures {
  entry: string;
  jsBytes: number;
  /** Written beside the bundle, not shipped (serverless.yml keeps maps out of the packages). */
  mapBytes: number;
  /** The deployment package as osls builds it: the bundle alone. */
  zipBytes: number;
  /** What shipping the source map too would weigh. */
  zipBytesWithMap: number;
  /** Median of `require()` in a fresh node process, milliseconds. */
  coldLoadMs: number;
  /** Min / median / max of the same runs. */
  coldLoad: Spread;
  /** The same with the @aws-sdk modules it may load already loaded: the bundle's own cost. */
  coldLoadMsWithoutSdk: number;
  /**
   * `require()` and then every @aws-sdk module the bundle may load, at load or at its first request (the
   * edge functions defer them, src/aws/runtime.ts): the loading a cold container does before the first
   * request's own work.
   */
  firstRequestLoadMs: number;
  /** The @aws-sdk modules the bundle may load (from the Lambda runtime in AWS). */
  sdkModules: string[];
  topPackages: { name: string; bytes: number }[];
  topFiles: { path: string; bytes: number }[];
}

/** serverless.yml's functions and esbuild settings, as deployed by default (its `tracing` parameter's default). */
export function readTemplate(): { functions: Template['functions']; custom: { esbuild: EsbuildSettings } } {
  const template = parseYaml(readFileSync(join(ROOT, 'serverless.yml'), 'utf8'), {
    logLevel: 'silent',
  }) as Template;
  // `exclude` is a variable naming the list of the tracing mode deployed.
  const exclude = template.custom.tracingModes[template.params.default.tracing]!.bundleExclude;
  return { functions: template.functions, custom: { esbuild: { ...template.custom.esbuild, exclude } } };
}

/**
 * The esbuild options serverless-esbuild derives from `custom.esbuild` (its `exclude` is esbuild's
 * `external`). test/handlers/slack.test.ts runs the slack bundle built with them.
 */
export function esbuildOptions(settings: EsbuildSettings): BuildOptions {
  return {
    bundle: true,
    minify: settings.minify,
    sourcemap: settings.sourcemap,
    target: settings.target,
    platform: settings.platform ?? 'node',
    format: settings.format ?? 'cjs',
    treeShaking: settings.treeShaking,
    legalComments: settings.legalComments,
    external: settings.exclude ?? [],
    alias: settings.alias,
    absWorkingDir: ROOT,
    metafile: true,
    logLevel: 'silent',
  };
}

function packageOf(path: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  return match ? match[1]! : '(hivewire)';
}

function topInputs(metafile: Metafile, outfile: string): Pick<BundleFigures, 'topPackages' | 'topFiles'> {
  const output = metafile.outputs[relative(ROOT, outfile)];
  const inputs = Object.entries(output?.inputs ?? {}).map(([path, { bytesInOutput }]) => ({
    path,
    bytes: bytesInOutput,
  }));
  const packages = new Map<string, number>();
  for (const input of inputs)
    packages.set(packageOf(input.path), (packages.get(packageOf(input.path)) ?? 0) + input.bytes);
  return {
    topPackages: [...packages.entries()]
      .map(([name, bytes]) => ({ name, bytes }))
      .sort((a, b) => b.bytes - a.bytes)
      .slice(0, 10),
    topFiles: inputs.sort((a, b) => b.bytes - a.bytes).slice(0, 10),
  };
}

/**
 * The shortest import chain from `entry` to the first input whose path contains `target` and that
 * left bytes in `output` (an import esbuild tree-shook away entirely costs nothing: no chain).
 */
export function importChain(
  metafile: Metafile,
  output: string,
  entry: string,
  target: string,
): { chain: string[]; bytes: number } | undefined {
  const inOutput = metafile.outputs[output]?.inputs ?? {};
  const bytes = Object.entries(inOutput)
    .filter(([path]) => path.includes(target))
    .reduce((sum, [, input]) => sum + input.bytesInOutput, 0);
  if (bytes === 0) return undefined;
  const previous = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const current = queue.shift()!;
    if (current.includes(target) && (inOutput[current]?.bytesInOutput ?? 0) > 0) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = previous.get(at)) chain.unshift(at);
      return { chain, bytes };
    }
    for (const { path } of metafile.inputs[current]?.imports ?? []) {
      if (previous.has(path) || !metafile.inputs[path]) continue;
      previous.set(path, current);
      queue.push(path);
    }
  }
  return undefined;
}

/**
 * Loads the bundle in fresh node processes and returns the load times in ms (min / median / max). `preloaded`
 * modules are required before the clock starts (to tell the bundle's own cost from the SDK's);
 * `loadedAfter` ones after the bundle, with the clock running (what its first request loads).
 */
function coldLoad(
  file: string,
  runs: number,
  options: { nodeOptions?: string; preloaded?: string[]; loadedAfter?: string[] } = {},
): Spread {
  const requires = (names: string[] = []) =>
    names.map((name) => `require(${JSON.stringify(name)});`).join('');
  const script = `${requires(options.preloaded)}const t=process.hrtime.bigint();require(${JSON.stringify(file)});${requires(options.loadedAfter)}console.log(Number(process.hrtime.bigint()-t)/1e6)`;
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const result = spawnSync(process.execPath, ['-e', script], {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        // The @aws-sdk clients left out of the bundle come from the Lambda runtime there, from here here.
        NODE_PATH: join(ROOT, 'node_modules'),
        NODE_OPTIONS: options.nodeOptions ?? '',
        AWS_REGION: 'us-east-1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
      },
    });
    if (result.status !== 0) throw new Error(`loading ${basename(file)} failed: ${result.stderr}`);
    times.push(Number(result.stdout.trim()));
  }
  const { min, median, max } = spread(times);
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return { min: round(min), median: round(median), max: round(max) };
}

async function measure(
  options: BuildOptions,
  entry: { file: string } | { source: string },
  outfile: string,
  runs: number,
): Promise<BundleFigures & { metafile: Metafile }> {
  const result = await build({
    ...options,
    outfile,
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, resolveDir: ROOT, loader: 'ts', sourcefile: 'floor.ts' } }),
  });
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  const { metafile } = result;
  const js = readFileSync(outfile);
  const map = options.sourcemap ? readFileSync(`${outfile}.map`) : Buffer.alloc(0);
  const name = basename(outfile);
  const output = metafile.outputs[relative(ROOT, outfile)];
  const sdkModules = [
    ...new Set(
      (output?.imports ?? []).filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path),
    ),
  ].sort();
  return {
    entry: 'file' in entry ? entry.file : '(floor)',
    jsBytes: statSync(outfile).size,
    mapBytes: map.length,
    zipBytes: zip([{ name, data: js }]).length,
    zipBytesWithMap: zip([{ name, data: js }, ...(map.length ? [{ name: `${name}.map`, data: map }] : [])])
      .length,
    ...(() => {
      const load = coldLoad(outfile, runs);
      return { coldLoadMs: load.median, coldLoad: load };
    })(),
    coldLoadMsWithoutSdk: coldLoad(outfile, runs, { preloaded: sdkModules }).median,
    firstRequestLoadMs: coldLoad(outfile, runs, { loadedAfter: sdkModules }).median,
    sdkModules,
    ...topInputs(metafile, outfile),
    metafile,
  };
}

/**
 * Builds and measures every function's bundle and the Bolt floor. Prints nothing; returns the figures.
 *
 * @param runs fresh node processes per cold-load measurement (the median is reported)
 */
export async function benchBundles(runs = 7): Promise<Record<string, unknown>> {
  const template = readTemplate();
  const options = esbuildOptions(template.custom.esbuild);
  const dir = mkdtempSync(join(tmpdir(), 'hivewire-bundles-'));
  try {
    const { alias: _alias, ...withoutAliases } = options;
    const floor = await measure(withoutAliases, { source: FLOOR_SOURCE }, join(dir, 'floor.js'), runs);
    const { metafile: _boltMeta, ...bolt } = await measure(
      options,
      { source: FLOOR_SOURCE },
      join(dir, 'bolt.js'),
      runs,
    );
    const { metafile: _stackMeta, ...stack } = await measure(
      options,
      { source: STACK_FLOOR_SOURCE },
      join(dir, 'stack.js'),
      runs,
    );
    const functions: Record<string, BundleFigures> = {};
    const chains: Record<string, { chain: string[]; bytes: number } | undefined> = {};
    for (const [name, { handler }] of Object.entries(template.functions)) {
      const file = `${handler.slice(0, handler.lastIndexOf('.'))}.ts`;
      const { metafile, ...figures } = await measure(options, { file }, join(dir, `${name}.js`), runs);
      functions[name] = figures;
      if (name === 'slack')
        for (const target of WATCHED)
          chains[target] = importChain(metafile, relative(ROOT, join(dir, `${name}.js`)), file, target);
    }
    const slack = functions.slack!;
    const { metafile: _floorMeta, ...floorFigures } = floor;
    return {
      esbuild: template.custom.esbuild,
      floor: floorFigures,
      bolt,
      stack,
      functions,
      slack: {
        // Load times scale with the machine; beside the floor loaded in the same run they compare.
        jsVsAliasedFloor: Math.round((slack.jsBytes / bolt.jsBytes) * 1000) / 1000,
        coldLoadVsAliasedFloor: Math.round((slack.coldLoadMs / bolt.coldLoadMs) * 1000) / 1000,
        zipUnderOneMiB: slack.zipBytes < 1024 * 1024,
        coldLoadMsWithSourceMaps: coldLoad(join(dir, 'slack.js'), runs, {
          nodeOptions: '--enable-source-maps',
        }).median,
        importChains: chains,
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
