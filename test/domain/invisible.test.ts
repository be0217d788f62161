import fc from 'fast-check';
import { showInvisibles } from '../../src/domain/invisible';

const NEUTRALISED = [
  ...Array.from({ length: 5 }, (_, i) => 0x200b + i),
  ...Array.from({ length: 5 }, (_, i) => 0x202a + i),
  ...Array.from({ length: 4 }, (_, i) => 0x2066 + i),
  ...Array.from({ length: 5 }, (_, i) => 0x2060 + i),
  0x061c,
  0xfeff,
];

describe('showInvisibles', () => {
  it.each(NEUTRALISED.map((code) => [code.toString(16).toUpperCase().padStart(4, '0'), code]))(
    'shows U+%s as its code point',
    (hex, code) => {
      expect(showInvisibles(`a${String.fromCharCode(code)}b`)).toBe(`a<U+${hex}>b`);
    },
  );

  it('reads a right-to-left override in logical order', () => {
    expect(showInvisibles('invoice\u202Efdp.exe')).toBe('invoice<U+202E>fdp.exe');
  });

  it('leaves every other character alone: emoji, accents, right-to-left scripts, other spaces', () => {
    const text = 'café 😀 שלום مرحبا \u00A0\u2009\u2028 tab\t';
    expect(showInvisibles(text)).toBe(text);
  });

  it('leaves no invisible character in any text, and changes nothing else (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        const shown = showInvisibles(text);
        for (const code of NEUTRALISED) expect(shown).not.toContain(String.fromCharCode(code));
        expect(shown.replace(/<U\+[0-9A-F]{4}>/g, '')).toBe(
          text
            .replace(/[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g, '')
            .replace(/<U\+[0-9A-F]{4}>/g, ''),
        );
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});
