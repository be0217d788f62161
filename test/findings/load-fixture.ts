/** Reads the sample events in `fixtures/` (see the PROVENANCE.md beside each). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NormalisedFinding } from '../../src/domain/finding';
import type { ParseResult } from '../../src/findings/parse';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** A fixture file parsed as JSON, e.g. `loadFixture('aws/guardduty-impact-s3-maliciousipcaller.json')`. */
export function loadFixture(path: string): unknown {
  return JSON.parse(readFileSync(join(FIXTURES, path), 'utf8')) as unknown;
}

/** A fixture parsed as a plain object, to derive variants from it in a test. */
export function loadFixtureObject(path: string): Record<string, unknown> {
  return loadFixture(path) as Record<string, unknown>;
}

/** The single finding of a result that has nothing skipped or rejected. */
export function onlyFinding(result: ParseResult): NormalisedFinding {
  expect(result.skipped).toEqual([]);
  expect(result.rejected).toEqual([]);
  expect(result.findings).toHaveLength(1);
  return result.findings[0] as NormalisedFinding;
}
