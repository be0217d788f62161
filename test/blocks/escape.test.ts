import fc from 'fast-check';
import { EMPTY_VALUE, isSlackUserId, literal, mention, plainText, truncate } from '../../blocks/escape';
import { showInvisibles } from '../../src/domain/invisible';
import { hasLoneSurrogate, mrkdwnProblem } from '../helpers/slack-message';

describe('literal', () => {
  it.each([
    ['<!channel>', '`&lt;!channel&gt;`'],
    ['<!here>', '`&lt;!here&gt;`'],
    ['<!everyone>', '`&lt;!everyone&gt;`'],
    ['<@U123>', '`&lt;@U123&gt;`'],
    ['<#C1>', '`&lt;#C1&gt;`'],
    ['<http://x|y>', '`&lt;http://x|y&gt;`'],
    ['<!subteam^S1>', '`&lt;!subteam^S1&gt;`'],
    ['<!date^1392734382^{date}|Feb 18>', '`&lt;!date^1392734382^{date}|Feb 18&gt;`'],
    ['*bold*', '`*bold*`'],
    ['_it_', '`_it_`'],
    ['~s~', '`~s~`'],
    ['`code` and ```block```', '`ˋcodeˋ and ˋˋˋblockˋˋˋ`'],
    ['&amp;', '`&amp;amp;`'],
    ['&lt;!channel&gt;', '`&amp;lt;!channel&amp;gt;`'],
    ['> quoted', '`&gt; quoted`'],
    ['first line\n> second line\r\nthird', '`first line &gt; second line  third`'],
    ['a & b < c > d', '`a &amp; b &lt; c &gt; d`'],
    ['  padded  ', '`padded`'],
    ['', EMPTY_VALUE],
    [' \n ', EMPTY_VALUE],
    ['198.51.100.23', '`198.51.100.23`'],
  ])('renders %j as %j', (input, expected) => {
    expect(literal(input)).toBe(expected);
  });

  it('shows invisible and direction characters as their code points, inside the span', () => {
    expect(literal('invoice\u202Efdp.exe')).toBe('`invoice&lt;U+202E&gt;fdp.exe`');
    expect(literal('\uFEFF\u200B')).toBe('`&lt;U+FEFF&gt;&lt;U+200B&gt;`');
  });

  it('cuts the raw text before escaping, so an entity is never split', () => {
    expect(literal('&&&&&&&&&&', 12)).toBe('`&amp;…`');
    expect(literal('ab<<<<', 12)).toBe('`ab&lt;…`');
    expect(literal('ab<<<<', 13)).toBe('`ab&lt;&lt;…`');
  });

  it('never splits a surrogate pair when cutting', () => {
    expect(literal('😀😀😀', 7)).toBe('`😀😀…`');
    expect(literal('ab😀cd', 6)).toBe('`ab…`');
  });

  it('keeps a 100 KB value to its maximum', () => {
    const rendered = literal('x'.repeat(100_000), 120);
    expect(rendered).toBe(`\`${'x'.repeat(117)}…\``);
  });

  it('shows an ellipsis when only whitespace survives the cut', () => {
    expect(literal(`${' '.repeat(1000)}tail`, 10)).toBe('`…`');
  });

  it('yields inert, bounded text for any input (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 300 }),
        fc.integer({ min: 4, max: 400 }),
        (input, max) => {
          const rendered = literal(input, max);
          expect(rendered.length).toBeLessThanOrEqual(max);
          expect(mrkdwnProblem(rendered)).toBeUndefined();
          if (rendered === EMPTY_VALUE) return;
          expect(rendered.startsWith('`') && rendered.endsWith('`')).toBe(true);
          const inside = rendered.slice(1, -1);
          expect(inside).not.toMatch(/[`\r\n\u2028\u2029]/);
          // What is shown is the start of the input, with only the documented substitutions.
          const shown = inside
            .replace(/…$/, '')
            .replace(/&lt;/g, '<')
            .replace(/&gt;/g, '>')
            .replace(/&amp;/g, '&');
          expect(inside).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
          const normalised = showInvisibles(input)
            .replace(/`/g, 'ˋ')
            .replace(/[\r\n\u2028\u2029]/g, ' ')
            .trim();
          expect(normalised.startsWith(shown)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('never leaves half of a surrogate pair that was whole in the input (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 60 }),
        fc.integer({ min: 4, max: 60 }),
        (input, max) => {
          expect(hasLoneSurrogate(literal(input, max))).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('truncate', () => {
  it.each([
    ['hello', 10, 'hello'],
    ['hello', 5, 'hello'],
    ['hello world', 6, 'hello…'],
    ['ab😀cd', 4, 'ab…'],
    ['ab😀cd', 5, 'ab😀…'],
    ['<!channel>', 6, '<!cha…'],
  ])('cuts %j to %i as %j', (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it('stays within max and keeps surrogate pairs whole (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 80 }),
        fc.integer({ min: 1, max: 80 }),
        (input, max) => {
          const cut = truncate(input, max);
          expect(cut.length).toBeLessThanOrEqual(Math.max(max, 1));
          expect(hasLoneSurrogate(cut)).toBe(false);
        },
      ),
    );
  });
});

describe('plainText', () => {
  it('keeps text as it is: Slack parses nothing in plain_text', () => {
    expect(plainText('<!channel> *x* & y', 100)).toEqual({ type: 'plain_text', text: '<!channel> *x* & y' });
  });

  it('shows invisible and direction characters as their code points, before cutting', () => {
    expect(plainText('a\u202Eb', 100)).toEqual({ type: 'plain_text', text: 'a<U+202E>b' });
    // A lone byte order mark is not blank: it is shown, not replaced by the placeholder.
    expect(plainText('\uFEFF', 100)).toEqual({ type: 'plain_text', text: '<U+FEFF>' });
    expect(plainText('\u200B\u200B\u200B', 12)).toEqual({ type: 'plain_text', text: '<U+200B><U+…' });
  });

  it('is never empty', () => {
    expect(plainText('', 10)).toEqual({ type: 'plain_text', text: '—' });
    expect(plainText('  ', 20, 'No description')).toEqual({ type: 'plain_text', text: 'No description' });
  });

  it('cuts to the maximum', () => {
    expect(plainText('abcdefgh', 5)).toEqual({ type: 'plain_text', text: 'abcd…' });
  });
});

describe('mention', () => {
  it.each([
    ['U0ALICE', '<@U0ALICE>'],
    ['W012ABC', '<@W012ABC>'],
    ['u0alice', '`u0alice`'],
    ['U0ALICE>', '`U0ALICE&gt;`'],
    ['<!channel>', '`&lt;!channel&gt;`'],
    ['C0SECOPS', '`C0SECOPS`'],
    ['', '—'],
  ])('renders %j as %j', (id, expected) => {
    expect(mention(id)).toBe(expected);
  });

  it('recognises Slack user ids only', () => {
    expect([isSlackUserId('U1'), isSlackUserId('W1'), isSlackUserId('S1'), isSlackUserId(undefined)]).toEqual(
      [true, true, false, false],
    );
  });
});
