/**
 * `npm run bench`: figures, never assertions. Each section prints what it measured on this machine.
 */
import { benchBundles, type BundleFigures } from './bundles';
import { benchEscalation } from './escalation';
import { benchPipeline } from './pipeline';

const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

async function main(): Promise<void> {
  const pipeline = benchPipeline();
  console.log('## Pipeline: parse + normalise + enrich + render');
  console.log(`fixtures: ${pipeline.fixtures}, findings per pass: ${pipeline.findingsPerRun}`);
  console.log(`findings normalised+rendered per second: ${pipeline.findingsPerSecond} (target > 10,000)`);

  const escalation = await benchEscalation();
  console.log('\n## Create Case');
  console.log(
    `ack of the Create Case listener (signed request in, answer out; ${escalation.ackMs.runs} clicks): p50 ${escalation.ackMs.p50.toFixed(1)} ms, p99 ${escalation.ackMs.p99.toFixed(1)} ms`,
  );
  for (const [observables, requests] of Object.entries(escalation.requestsPerEscalation))
    console.log(
      `TheHive requests per escalation with ${observables} observables: ${requests} (alert with the requester and Slack link + promotion)`,
    );

  console.log(
    '\n## Lambda bundles (esbuild as serverless.yml configures it; cold load = median require() in a fresh node)',
  );
  const bundles = (await benchBundles()) as {
    floor: BundleFigures;
    bolt: BundleFigures;
    functions: Record<string, BundleFigures>;
    slack: Record<string, unknown>;
  };
  const ms = (value: number) => `${value.toFixed(1).padStart(6)} ms`;
  console.log(
    'cold = module load; own = with the AWS SDK already loaded; 1st request = module load + every AWS SDK client it loads, then or at its first request',
  );
  console.log(
    "floor = Bolt's App on an AwsLambdaReceiver, bundled with no aliases; Bolt, aliased = the same with serverless.yml's aliases (src/aws/other-receivers.ts)",
  );
  const row = (name: string, f: BundleFigures) =>
    console.log(
      `${name.padEnd(16)} js ${kib(f.jsBytes).padStart(9)}  zip ${kib(f.zipBytes).padStart(8)}  cold ${ms(f.coldLoadMs)}  own ${ms(f.coldLoadMsWithoutSdk)}  1st request ${ms(f.firstRequestLoadMs)}`,
    );
  row('floor (Bolt)', bundles.floor);
  row('Bolt, aliased', bundles.bolt);
  for (const [name, figures] of Object.entries(bundles.functions)) row(name, figures);
  const { importChains: _chains, ...slackChecks } = bundles.slack;
  console.log(`slack targets: ${JSON.stringify(slackChecks)}`);
  console.log(
    `slack top packages: ${bundles.functions.slack?.topPackages
      .slice(0, 6)
      .map((p) => `${p.name} ${kib(p.bytes)}`)
      .join(', ')}`,
  );
}

void main();
