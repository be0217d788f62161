/**
 * `npm run bench`: figures, never assertions. Each section prints what it measured on this machine.
 */
import { benchPipeline } from './pipeline';

async function main(): Promise<void> {
  const pipeline = benchPipeline();
  console.log('## Pipeline: parse + normalise + enrich + render');
  console.log(`fixtures: ${pipeline.fixtures}, findings per pass: ${pipeline.findingsPerRun}`);
  console.log(`findings normalised+rendered per second: ${pipeline.findingsPerSecond} (target > 10,000)`);
}

void main();
