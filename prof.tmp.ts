import { startIngestPath } from './bench/ingest';
import { readFileSync } from 'node:fs';
async function main() {
  const path = await startIngestPath({ storms: process.env.S === '1' });
  const t = JSON.parse(readFileSync('fixtures/aws/securityhub-imported-afsbp-ec2-7.json', 'utf8'));
  const bodies = Array.from({ length: 400 }, (_, n) => {
    const f = t.detail.findings[0];
    const id = f.Id.replace('0003b335', `x${n}`);
    return JSON.stringify({ ...t, detail: { findings: [{ ...f, Id: id, Severity: { Label: 'HIGH', Normalized: 70, Original: 'HIGH' } }] } });
  });
  let s = performance.now();
  await path.ingest(bodies);
  console.log('400', performance.now() - s, path.requests.count, path.slack.posts.count);
  await path.close();
}
void main();
