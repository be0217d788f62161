import fc from 'fast-check';
import {
  MAX_JSON_DEPTH,
  nestsDeeperThan,
  parseJsonText,
  valueNestsDeeperThan,
} from '../../src/validation/json';

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

describe('parseJsonText', () => {
  it('parses JSON nested exactly to the limit', () => {
    const parsed = parseJsonText(`{"a":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(parsed.ok).toBe(true);
  });

  it('refuses JSON nested one level past the limit, naming the limit', () => {
    expect(parseJsonText(`{"a":${nested(MAX_JSON_DEPTH)}}`)).toEqual({
      ok: false,
      error: 'nested deeper than 512 levels',
    });
  });

  it('refuses 100,000 levels without overflowing the stack', () => {
    expect(parseJsonText(nested(100_000))).toEqual({ ok: false, error: 'nested deeper than 512 levels' });
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ a: `\\"${'['.repeat(5000)}`, b: '"{{{{' });
    expect(parseJsonText(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it("names the parser's finding for text that is not JSON", () => {
    expect(parseJsonText('{"a": ')).toEqual({ ok: false, error: expect.stringMatching(/^not JSON \(.+\)$/) });
  });
});

describe('nestsDeeperThan and valueNestsDeeperThan', () => {
  it('agree with the depth of any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), fc.integer({ min: 0, max: 9 }), (value, max) => {
        const text = JSON.stringify(value);
        expect(nestsDeeperThan(text, max)).toBe(valueNestsDeeperThan(value, max));
      }),
      { seed: 11, numRuns: 300 },
    );
  });

  it('measure a parsed value nested 100,000 levels deep', () => {
    let value: unknown = [];
    for (let i = 1; i < 100_000; i += 1) value = [value];
    expect(valueNestsDeeperThan(value, MAX_JSON_DEPTH)).toBe(true);
    expect(valueNestsDeeperThan([[1]], 2)).toBe(false);
  });
});
