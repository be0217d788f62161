/**
 * `npm run bench`: figures, never assertions. Each figure is printed beside its floor measured in the
 * same run (machines and their load differ; ratios to a floor compare), as min / median / max over
 * RUNS runs, and each target as met or not met.
 *
 * BENCH_FINDINGS sets the findings per run and kind (default 500: 4 kinds × 5 runs × 500 = 10,000
 * findings through the ingest path), BENCH_RUNS the runs (default 5), BENCH_STORM_FINDINGS the storm's
 * findings (default 10,000).
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { benchBundles, type BundleFigures } from './bundles';
import { benchEscalation } from './escalation';
import { benchIngest, FINDING_KINDS } from './ingest';
import { benchLocalQueue } from './local-queue';
import { benchStorm } from './storm';
import { formatSpread } from './spread';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const ratio = (value: number) => `${value.toFixed(2)}×`;
const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');

function positive(name: string, fallback: number): number {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name}: a whole number ≥ 1`);
  return value;
}

async function main(): Promise<void> {
  const findingsPerRun = positive('BENCH_FINDINGS', 500);
  const runs = positive('BENCH_RUNS', 5);
  const load = () =>
    loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
  console.log('## Machine');
  console.log(
    `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, load average at start ${load()}`,
  );
  console.log(`figures are min / median / max over ${runs} runs`);
  const targets: [string, boolean][] = [];

  const ingest = await benchIngest(findingsPerRun, runs);
  console.log(
    `\n## Ingest, end to end (SQS batches of 10 → parse → enrich → store on dynalite in memory → render → post to a Slack stand-in over HTTP on loopback; Slack pacing off)`,
  );
  console.log(
    `${findingsPerRun} findings per run and kind, ${findingsPerRun * runs * FINDING_KINDS.length} in all; floor = JSON.parse + JSON.stringify of the same message bodies; ` +
      'request floor = only the requests a finding needs (a BatchGetItem per 10; for a new one a conditional PutItem, chat.postMessage, a conditional UpdateItem), sent directly with the same clients',
  );
  for (const kind of FINDING_KINDS) {
    const k = ingest.kinds[kind];
    console.log(
      `${kind.padEnd(16)} ${formatSpread(k.findingsPerSecond).padStart(22)} findings/s   floor ${formatSpread(k.floorPerSecond).padStart(26)} findings/s   ${ratio(k.timesFloor).padStart(8)} the floor   DynamoDB requests/finding ${k.storeRequestsPerFinding.toFixed(2)}   Slack posts/finding ${k.slackPostsPerFinding.toFixed(2)}   Slack calls/finding ${k.slackCallsPerFinding.toFixed(2)}   CPU ${k.cpuMsPerFinding.toFixed(2)} ms/finding`,
    );
    console.log(
      `${''.padEnd(16)} request floor ${formatSpread(k.requestFloorPerSecond).padStart(22)} findings/s   Hivewire at ${ratio(k.timesRequestFloor)} its time`,
    );
  }
  const mixed = ingest.kinds.mixed;
  targets.push(
    [
      `ingest ≥ 1,500 findings/s end to end, mixed (median ${mixed.findingsPerSecond.median.toFixed(0)}; the request floor alone ${mixed.requestFloorPerSecond.median.toFixed(0)})`,
      mixed.findingsPerSecond.median >= 1500,
    ],
    [`ingest within 40× of the JSON floor, mixed (${ratio(mixed.timesFloor)})`, mixed.timesFloor <= 40],
    [
      `store requests per new finding ≤ 3 (${ingest.kinds.new.storeRequestsPerFinding.toFixed(2)})`,
      ingest.kinds.new.storeRequestsPerFinding <= 3.01,
    ],
    [
      `store requests per skipped finding ≤ 1 (duplicate ${ingest.kinds.duplicate.storeRequestsPerFinding.toFixed(2)}, below threshold ${ingest.kinds['below-threshold'].storeRequestsPerFinding.toFixed(2)})`,
      // The threshold setting is read again once per THRESHOLD_CACHE_MS: a fraction of a request per finding.
      ingest.kinds.duplicate.storeRequestsPerFinding <= 1.01 &&
        ingest.kinds['below-threshold'].storeRequestsPerFinding <= 1.01,
    ],
  );

  const storm = await benchStorm(positive('BENCH_STORM_FINDINGS', 10_000));
  console.log(
    `\n## Storm (Security Hub controls failing across accounts, through the same ingest path, storms on as by default)`,
  );
  console.log(
    `${storm.findings} findings in ${storm.groups} groups (control × account): ${storm.slackPosts} Slack posts, ${storm.slackUpdates} updates; ` +
      `channel quiet after ${storm.quietSeconds.toFixed(1)} s at Slack's pace of 1 post/s (the last Slack call at ${storm.ingestSeconds.toFixed(1)} s); ` +
      `floor = one post per finding at that pace: ${storm.findings} posts, quiet after ${(storm.floorQuietSeconds / 3600).toFixed(1)} h`,
  );
  targets.push([
    `a ${storm.findings}-finding storm posts fewer than 100 messages (${storm.slackPosts})`,
    storm.slackPosts < 100,
  ]);

  const escalation = await benchEscalation(runs);
  console.log('\n## Create Case');
  for (const [observables, requests] of Object.entries(escalation.requestsPerEscalation))
    console.log(
      `TheHive requests per escalation with ${observables} observables, counted at an HTTP server: ${requests} (alert with the requester and Slack link, promotion); floor 2`,
    );
  targets.push([
    `2 TheHive requests per escalation (${Object.values(escalation.requestsPerEscalation).join(', ')})`,
    Object.values(escalation.requestsPerEscalation).every((count) => count === 2),
  ]);
  const { ack } = escalation;
  console.log(
    `ack over HTTP against the running local server, its worker busy (${ack.workerRequestsDuringClicks} TheHive requests during the clicks); ${ack.clicksPerRun} clicks per run, floor = GET /healthz after each click`,
  );
  console.log(
    `click p50 ${formatSpread(ack.clickP50, 1)} ms   floor p50 ${formatSpread(ack.floorP50, 1)} ms`,
  );
  console.log(
    `click p99 ${formatSpread(ack.clickP99, 1)} ms   floor p99 ${formatSpread(ack.floorP99, 1)} ms`,
  );
  targets.push([
    `ack p99 < 100 ms while the worker runs (median ${ack.clickP99.median.toFixed(1)} ms)`,
    ack.clickP99.median < 100,
  ]);

  const localQueue = await benchLocalQueue();
  console.log('\n## Local queue (jobs kept in the embedded store on disk until done)');
  console.log(
    `enqueue of an ingest job, written before it resolves (${localQueue.enqueueMs.runs} jobs): p50 ${localQueue.enqueueMs.p50.toFixed(1)} ms, p99 ${localQueue.enqueueMs.p99.toFixed(1)} ms`,
  );
  console.log(
    `jobs per second, kept + attempt recorded + run (no-op) + deleted: ${localQueue.jobsPerSecond}`,
  );
  console.log(`resume at start of ${localQueue.resumeMs.jobs} pending jobs: ${localQueue.resumeMs.ms} ms`);

  console.log(
    '\n## Lambda bundles (esbuild as serverless.yml configures it; cold load = require() in a fresh node)',
  );
  const bundles = (await benchBundles(Math.max(runs, 5))) as {
    floor: BundleFigures;
    bolt: BundleFigures;
    stack: BundleFigures;
    functions: Record<string, BundleFigures>;
    slack: { jsVsAliasedFloor: number; coldLoadVsAliasedFloor: number } & Record<string, unknown>;
  };
  const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
  console.log(
    'own = with the AWS SDK already loaded; 1st request = module load + every AWS SDK client it loads, then or at its first request',
  );
  console.log(
    "floor = Bolt's App on an AwsLambdaReceiver bundled with serverless.yml's aliases (src/aws/other-receivers.ts); Bolt, no aliases = the same without them; Bolt + zod = the floor parsing one schema with zod, the required stack's other library",
  );
  const row = (name: string, f: BundleFigures) =>
    console.log(
      `${name.padEnd(18)} js ${kib(f.jsBytes).padStart(9)} (${ratio(f.jsBytes / bundles.bolt.jsBytes).padStart(6)})  zip ${kib(f.zipBytes).padStart(8)}  cold ${formatSpread(f.coldLoad, 1).padStart(22)} ms (${ratio(f.coldLoadMs / bundles.bolt.coldLoadMs).padStart(6)})  own ${ms(f.coldLoadMsWithoutSdk)}  1st request ${ms(f.firstRequestLoadMs)}`,
    );
  row('floor (Bolt)', bundles.bolt);
  row('Bolt, no aliases', bundles.floor);
  row('Bolt + zod', bundles.stack);
  for (const [name, figures] of Object.entries(bundles.functions)) row(name, figures);
  console.log(
    `slack top packages: ${bundles.functions.slack?.topPackages
      .slice(0, 6)
      .map((p) => `${p.name} ${kib(p.bytes)}`)
      .join(', ')}`,
  );
  console.log(
    `teams top packages: ${bundles.functions.teams?.topPackages
      .slice(0, 6)
      .map((p) => `${p.name} ${kib(p.bytes)}`)
      .join(', ')}`,
  );
  console.log('AWS SDK modules each function loads (at its first request):');
  for (const [name, figures] of Object.entries(bundles.functions))
    console.log(`  ${name.padEnd(16)} ${figures.sdkModules.join(', ') || '(none)'}`);
  const slackCold = bundles.functions.slack!.coldLoad;
  targets.push(
    [
      `slack bundle ≤ 1.25× the aliased floor (${ratio(bundles.slack.jsVsAliasedFloor)}; Bolt + zod alone ${ratio(bundles.stack.jsBytes / bundles.bolt.jsBytes)}, leaving ${kib(1.25 * bundles.bolt.jsBytes - bundles.stack.jsBytes)} for Hivewire's code)`,
      bundles.slack.jsVsAliasedFloor <= 1.25,
    ],
    [
      `slack cold require() < 60 ms (median ${slackCold.median.toFixed(1)} ms, ${ratio(bundles.slack.coldLoadVsAliasedFloor)} the aliased floor's ${bundles.bolt.coldLoadMs.toFixed(1)} ms; Bolt + zod ${bundles.stack.coldLoadMs.toFixed(1)} ms)`,
      slackCold.median < 60,
    ],
    [
      `ingest loads no Security Hub or Lambda client (${bundles.functions.ingest!.sdkModules.filter((m) => /securityhub|client-lambda/.test(m)).join(', ') || 'none'})`,
      !bundles.functions.ingest!.sdkModules.some((m) => /securityhub|client-lambda/.test(m)),
    ],
  );

  console.log('\n## Targets');
  for (const [target, met] of targets) console.log(`${verdict(met).padEnd(8)} ${target}`);
  console.log(`\nload average at the end ${load()}`);
}

void main();
