/**
 * Throughput of the pure pipeline: fixture events parsed, normalised, enriched from config and
 * rendered into Slack alerts, per second on this machine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertMessage } from '../blocks/alert';
import { newAlertRecord } from '../src/alerts/ingest';
import { responseActionsFor } from '../src/analyst/response-actions';
import { configFileSchema } from '../src/config';
import { enrichFromConfig } from '../src/enrich/enrich';
import { parseEvent } from '../src/findings/parse';
import type { AlertRecord } from '../src/store/store';

function fixtureEvents(): unknown[] {
  const root = join(__dirname, '..', 'fixtures');
  const events: unknown[] = [];
  for (const folder of readdirSync(root, { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    for (const file of readdirSync(join(root, folder.name))) {
      if (file.endsWith('.json'))
        events.push(JSON.parse(readFileSync(join(root, folder.name, file), 'utf8')));
    }
  }
  return events;
}

/** Findings normalised + rendered per second over all fixtures, measured for about `seconds`. */
export function benchPipeline(seconds = 3): {
  fixtures: number;
  findingsPerRun: number;
  findingsPerSecond: number;
} {
  const events = fixtureEvents();
  const configFile = configFileSchema.parse({});
  const at = new Date('2026-11-25T00:00:00Z');
  const runOnce = () => {
    let findings = 0;
    for (const event of events) {
      for (const normalised of parseEvent(event).findings) {
        const finding = enrichFromConfig(normalised, configFile);
        const record = { ...newAlertRecord(finding, 'C0BENCH', at), version: 1 } as AlertRecord;
        alertMessage(record, { responseActions: responseActionsFor(record.finding, { file: configFile }) });
        findings += 1;
      }
    }
    return findings;
  };
  for (let i = 0; i < 200; i += 1) runOnce();
  const perRun = runOnce();
  let total = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) total += runOnce();
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  return { fixtures: events.length, findingsPerRun: perRun, findingsPerSecond: Math.round(total / elapsed) };
}
