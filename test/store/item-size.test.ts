/** Size limits of stored items: trimming findings and cutting UTF-8 text. */
import {
  boundFinding,
  FINDING_BUDGET_BYTES,
  jsonBytes,
  TRUNCATION_MARK,
  truncateUtf8,
} from '../../src/store/item-size';
import type { FindingSnapshot } from '../../src/domain/alert';
import { makeFinding } from '../helpers/alerts';

function snapshot(overrides: Parameters<typeof makeFinding>[0] = {}): FindingSnapshot {
  const { raw: _raw, ...finding } = makeFinding(overrides);
  return finding;
}

describe('boundFinding', () => {
  it('returns a finding within the budget as the same object', () => {
    const finding = snapshot();
    expect(boundFinding(finding)).toBe(finding);
  });

  it('cuts long strings, ending them with the truncation mark, at the mildest level that fits', () => {
    const bounded = boundFinding(snapshot({ description: 'd'.repeat(200_000) }))!;
    expect(bounded.description).toBe(`${'d'.repeat(16 * 1024 - 1)}${TRUNCATION_MARK}`);
    expect(bounded.title).toBe(snapshot().title);
    expect(jsonBytes(bounded)).toBeLessThanOrEqual(FINDING_BUDGET_BYTES);
  });

  it('keeps the first observables and tags when they are too many', () => {
    const observables = Array.from({ length: 3000 }, (_, index) => ({
      dataType: 'domain',
      data: `host-${index}.example.com`,
      tags: Array.from({ length: 30 }, (_, tag) => `tag-${tag}`),
    }));
    const bounded = boundFinding(snapshot({ observables }))!;
    expect(bounded.observables).toEqual(
      observables.slice(0, 100).map((observable) => ({ ...observable, tags: observable.tags.slice(0, 30) })),
    );
  });

  it('cuts nesting smuggled into extra fields', () => {
    let deep: unknown = 'bottom';
    for (let level = 0; level < 50; level += 1) deep = { level: deep, pad: 'p'.repeat(4000) };
    const bounded = boundFinding({ ...snapshot(), extra: deep } as FindingSnapshot)! as unknown as {
      extra: Record<string, unknown>;
    };
    expect(jsonBytes(bounded)).toBeLessThanOrEqual(FINDING_BUDGET_BYTES);
    expect(JSON.stringify(bounded.extra)).toContain(`"level":"${TRUNCATION_MARK}"`);
  });

  it('changes nothing when applied to its own result', () => {
    const once = boundFinding(snapshot({ description: 'x'.repeat(300_000) }))!;
    expect(boundFinding(once)).toBe(once);
  });
});

describe('truncateUtf8', () => {
  it('leaves text within the limit as it is', () => {
    expect(truncateUtf8('héllo', 6)).toBe('héllo');
  });

  it('cuts at the byte limit without splitting a character', () => {
    expect(truncateUtf8('aé€😀', 3)).toBe('aé');
    expect(truncateUtf8('aé€😀', 6)).toBe('aé€');
    expect(truncateUtf8('aé€😀', 9)).toBe('aé€');
    expect(truncateUtf8('abcdef', 4)).toBe('abcd');
  });
});
