/**
 * People of each platform as thread notes name them, hostile names, and one note of every kind that
 * names a person: what the note renderers of Slack (blocks/), Webex and Teams (cards/) are tested with.
 */
import type { NotePerson, ThreadNote } from '../../src/domain/notes';

/** A Slack user, a Webex person and a Teams person (whose Entra object id has a Webex id's shape). */
export const PEOPLE = {
  slack: { person: 'U0ALICE', personName: 'alice', personPlatform: 'slack' },
  webex: {
    person: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS81YzFmMGE3ZS0wMDAwLTQwMDAtODAwMC0wMDAwMDAwYjBiMDI',
    personName: 'Bob (SOC lead)',
    personPlatform: 'webex',
  },
  teams: {
    person: '0ca201e0-0000-4000-8000-000000000003',
    personName: 'Carol (cloud engineer)',
    personPlatform: 'teams',
  },
} as const satisfies Record<string, NotePerson>;

/** Names that would mention, link or format something, or hide or reverse text, if not escaped. */
export const HOSTILE_NAMES = [
  '<@U0BOB>',
  '<!here>',
  '<!channel> <@personId:Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x>',
  '<@all>',
  '<at>Bob</at>',
  '**x**',
  '_x_ ~x~ `x`',
  '[a](b)',
  '[a](https://evil.example)',
  '<https://evil.example|click>',
  'ev\u202Eil\u2066',
  'ad\u200Bmin\uFEFF',
];

/** One note of each kind that names a person, naming `who`. */
export function notesNaming(who: NotePerson): ThreadNote[] {
  const caseUrl = 'https://thehive.example.com/cases/~7/details';
  return [
    { kind: 'case-opened', caseNumber: 7, caseUrl, observableCount: 3, ...who },
    { kind: 'escalation-failed', reason: 'TheHive answered HTTP 500', ...who },
    { kind: 'case-step-failed', caseNumber: 7, reason: 'Slack answered 500', ...who },
    { kind: 'ignored', reason: 'False positive', ...who },
    { kind: 'ignored', reason: 'False positive', suppressesSecurityHub: true, ...who },
    { kind: 'response-action-result', label: 'Isolate', ok: true, summary: 'done', ...who },
  ];
}
