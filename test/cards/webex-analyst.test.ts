/**
 * The Webex analyst messages (lookup results, response-action results) and a TheHive comment threaded
 * in Webex: whatever a threat-intel service, an action or a TheHive comment says never becomes a link,
 * a mention or formatting in the Webex markdown; the only links are the report pages Hivewire checked
 * the host of, and the case's.
 */
import fc from 'fast-check';
import { webexLookupResults, webexResponseActionResult } from '../../cards/webex-analyst';
import { webexNote } from '../../cards/webex-notes';
import type { TargetReport } from '../../src/domain/lookups';
import { markupIn } from '../helpers/adaptive-cards';

const NOW = new Date('2026-03-01T12:00:00Z');
const PERSON = 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS81YzFmMGE3ZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwYTExY2U';

const hostile = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        '[x](https://evil.example)',
        '<https://evil.example>',
        'https://evil.example/login',
        'www.evil.example',
        '**bold**',
        '_it_',
        '`code`',
        '# head',
        '- item',
        '<@personId:abc>',
        '<@all>',
        '![i](https://evil.example/i.png)',
        '\u202E',
      ),
      fc.string({ maxLength: 8 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** The markup in a message once Hivewire's own (bold, the list, links to `allowed` hosts) is taken out. */
function injected(markdown: string): string[] {
  return markupIn(markdown).filter((tag) => tag !== 'strong' && tag !== 'ul' && tag !== 'li');
}

describe('Webex lookup results', () => {
  it('show any service answer as text: no link, mention or formatting of its own', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        const reports: TargetReport[] = [
          {
            target: { dataType: 'domain', value: a },
            results: [
              {
                source: 'RDAP',
                ok: true,
                answer: { kind: 'rdap-domain', domain: { registrar: b, registrant: c, status: [] } },
              },
              { source: 'VirusTotal', ok: false, error: a },
            ],
          },
          {
            target: { dataType: 'ip', value: b },
            results: [
              {
                source: 'RDAP',
                ok: true,
                answer: { kind: 'rdap-ip', network: { name: c, owner: a, country: b } },
              },
            ],
          },
        ];
        const { markdown } = webexLookupResults({ reports, sources: ['RDAP'], now: NOW });
        expect(injected(markdown)).toEqual([]);
        expect(markdown).not.toMatch(/<@/);
      }),
      { numRuns: 200 },
    );
  });

  it('link a report page only on the service’s own host', () => {
    const report = (link: string): TargetReport => ({
      target: { dataType: 'hash', value: 'e3b0c44298fc1c149afbf4c8996fb924' },
      results: [
        {
          source: 'VirusTotal',
          ok: true,
          answer: {
            kind: 'virustotal',
            report: { found: true, malicious: 3, suspicious: 0, harmless: 1, undetected: 60, link },
          },
        },
      ],
    });
    const own = webexLookupResults({
      reports: [report('https://www.virustotal.com/gui/file/e3b0')],
      sources: ['VirusTotal'],
      now: NOW,
    }).markdown;
    expect(own).toContain('[report](https://www.virustotal.com/gui/file/e3b0)');
    expect(own).toContain('1 indicators, 1 flagged');
    const other = webexLookupResults({
      reports: [report('https://evil.example/gui')],
      sources: ['VirusTotal'],
      now: NOW,
    }).markdown;
    expect(markupIn(other)).not.toContain('a');
  });
});

describe('Webex response-action result', () => {
  it('shows what the action answered as text', () => {
    fc.assert(
      fc.property(hostile, hostile, (label, summary) => {
        for (const ok of [true, false]) {
          const { markdown } = webexResponseActionResult({
            label,
            person: PERSON,
            personPlatform: 'webex',
            ok,
            summary,
          });
          expect(injected(markdown)).toEqual([]);
          // The one mention is the clicker's.
          expect(markdown.match(/<@/g)).toHaveLength(1);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('a TheHive comment threaded in Webex', () => {
  it('shows the login and the comment as text, with the case link Hivewire makes as its only link', () => {
    fc.assert(
      fc.property(hostile, hostile, (login, message) => {
        const { markdown } = webexNote({
          kind: 'case-comment',
          login,
          message,
          commentId: '~1',
          caseNumber: 7,
          caseUrl: 'https://thehive.example.com/cases/~7/details',
        });
        expect(markupIn(markdown).filter((tag) => tag !== 'a')).toEqual([]);
        expect(markupIn(markdown).filter((tag) => tag === 'a')).toHaveLength(1);
        expect(markdown).not.toMatch(/<@/);
      }),
      { numRuns: 200 },
    );
  });
});
