/**
 * Teams' cards: every fixture in every state, the ignore form and the thread notes parse with the
 * adaptivecards library for 1.5 with no event (nothing newer than 1.5, nothing unknown); every button
 * is an Action.Execute whose verb and data are the contract's `{action, fingerprint}`; and no finding
 * text becomes a mention, a link or formatting (a fast-check property over every finding field, with
 * Teams' `<at>` mention markup among the hostile inputs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CREATE_CASE, IGNORE, IGNORE_MODAL } from '../../blocks/actions';
import { responseActionId } from '../../blocks/analyst/actions';
import type { AdaptiveCard } from '../../cards/core';
import { openUrl } from '../../cards/core';
import { cardText } from '../../cards/escape';
import { teamsAlertCard, teamsIgnoreForm, teamsNote, teamsNoteCard, type TeamsCard } from '../../cards/teams';
import type { ThreadNote } from '../../src/domain/notes';
import { parseEvent } from '../../src/findings/parse';
import type { AlertRecord } from '../../src/domain/alert';
import { checkCard, markdownTexts, markupIn } from '../helpers/adaptive-cards';
import { makeAlertRecord, type AlertRecordOverrides } from '../helpers/alerts';

const THEHIVE = { theHiveUrl: 'https://thehive.example.com' };
const RESPONSE_ACTIONS = [
  { id: 'isolate', label: 'Isolate instance', findingTypes: ['*'], ssmDocument: 'Isolate-EC2' },
];
const STATES: AlertRecordOverrides[] = [
  {},
  { lastError: 'TheHive answered HTTP 500' },
  { state: 'escalating', escalatedBy: '0a11ce00-0000-4000-8000-000000000001' },
  {
    state: 'escalated',
    escalatedBy: '0a11ce00-0000-4000-8000-000000000001',
    caseId: '~1',
    caseNumber: 7,
    caseUrl: 'https://thehive.example.com/cases/~1/details',
    case: { status: 'TruePositive', stage: 'Closed', summary: 'done' },
  },
  { state: 'ignored', ignoredBy: '0b0b0000-0000-4000-8000-000000000002', ignoreReason: 'Red team' },
];

/** One thread note of every kind, with `text` wherever a note carries outside text. */
function everyNote(text: string): ThreadNote[] {
  const caseUrl = 'https://thehive.example.com/cases/~1/details';
  return [
    { kind: 'case-opened', caseNumber: 7, caseUrl, person: text, observableCount: 3 },
    {
      kind: 'case-change',
      caseNumber: 7,
      caseUrl,
      actor: text,
      changes: [
        { field: 'status', from: text, to: text, stage: 'InProgress', actor: text },
        { field: 'status', to: text, stage: 'Closed', actor: text },
        { field: 'assignee', from: text, to: text, actor: text },
        { field: 'severity', from: 2, to: 3, actor: text },
        { field: 'title', to: text, actor: text },
        { field: 'tags', added: [text], removed: [text], actor: text },
        { field: 'gone', to: 'merged', actor: text },
      ],
    },
    { kind: 'escalation-failed', reason: text, person: text },
    { kind: 'ignored', person: text, reason: text },
    { kind: 'severity-raised', from: 'LOW', to: 'HIGH', reopened: true },
    { kind: 'already-escalated', caseNumber: 7, caseUrl },
    { kind: 'notice', text },
  ];
}

/** The card as the adaptivecards library reads it (Teams' own `msteams` key aside). */
function asCard(card: TeamsCard): AdaptiveCard {
  return card as unknown as AdaptiveCard;
}

/** Every action anywhere in the card, nested cards included. */
function allActions(value: unknown): Record<string, unknown>[] {
  if (Array.isArray(value)) return value.flatMap(allActions);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = typeof record.type === 'string' && record.type.startsWith('Action.') ? [record] : [];
  return [...own, ...Object.values(record).flatMap(allActions)];
}

function expectClean(card: TeamsCard): void {
  const check = checkCard(asCard(card), '1.5');
  expect(check.events).toEqual([]);
  expect(check.failures).toEqual([]);
  expect(card.version).toBe('1.5');
  for (const action of allActions(card)) {
    expect(action.type).not.toBe('Action.Submit');
    if (action.type === 'Action.Execute') {
      expect(action.data).toEqual({ action: action.verb, fingerprint: expect.any(String) });
    }
  }
}

function fixtureAlerts(): [string, AlertRecord][] {
  const root = join(__dirname, '../../fixtures');
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.json'),
  );
  return files.flatMap((file) =>
    parseEvent(JSON.parse(readFileSync(join(root, file), 'utf8'))).findings.flatMap(
      ({ raw: _raw, ...finding }) =>
        STATES.map((overrides): [string, AlertRecord] => [
          `${file} ${overrides.state ?? 'open'}`,
          {
            ...makeAlertRecord(overrides),
            fingerprint: finding.fingerprint,
            finding: { ...finding, customer: 'acme' },
            severity: finding.severity,
          },
        ]),
    ),
  );
}

describe('every card the product sends to Teams', () => {
  it.each(fixtureAlerts())('the alert card of %s parses for 1.5 with no event', (_name, alert) => {
    expectClean(teamsAlertCard(alert, { ...THEHIVE, responseActions: RESPONSE_ACTIONS }));
  });

  it('the ignore form parses for 1.5 and its submit is an Action.Execute with the form’s action id', () => {
    const form = teamsIgnoreForm(makeAlertRecord());
    expectClean(form);
    expect(allActions(form)).toEqual([
      expect.objectContaining({ type: 'Action.Execute', verb: IGNORE_MODAL, style: 'destructive' }),
    ]);
  });

  it.each(everyNote('TheHive said: done').map((note) => [note.kind, note] as const))(
    'the %s thread note parses for 1.5 with no event',
    (_kind, note) => {
      expectClean(teamsNote(note));
    },
  );

  it('a case note links the case with an Action.OpenUrl, not Markdown', () => {
    const [opened] = everyNote('Alice');
    expect(teamsNote(opened!).actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open in TheHive',
        url: 'https://thehive.example.com/cases/~1/details',
      },
    ]);
  });

  it('a thread note parses for 1.5 with its link', () => {
    expectClean(
      teamsNoteCard(
        ['📁 Case #7 opened in TheHive'],
        [openUrl('Open in TheHive', 'https://thehive.example.com/cases/~1')],
      ),
    );
  });
});

describe('the alert card in Teams', () => {
  it('offers Create Case and Ignore as Action.Execute with Slack’s action ids, full width', () => {
    const alert = makeAlertRecord();
    const card = teamsAlertCard(alert);
    expect(card.msteams).toEqual({ width: 'Full' });
    expect(card.actions?.slice(0, 2)).toEqual([
      {
        type: 'Action.Execute',
        title: 'Create Case',
        verb: CREATE_CASE,
        data: { action: CREATE_CASE, fingerprint: alert.fingerprint },
        style: 'positive',
      },
      {
        type: 'Action.Execute',
        title: 'Ignore',
        verb: IGNORE,
        data: { action: IGNORE, fingerprint: alert.fingerprint },
      },
    ]);
  });

  it('puts the response actions’ confirmations behind Action.Execute too', () => {
    const card = teamsAlertCard(makeAlertRecord(), { responseActions: RESPONSE_ACTIONS });
    expect(allActions(card)).toContainEqual(
      expect.objectContaining({ type: 'Action.Execute', verb: responseActionId('isolate') }),
    );
  });
});

describe('finding text in a Teams card', () => {
  const markup = fc.constantFrom(
    '<at>Alice</at>',
    '<at id="0">General</at>',
    '@General',
    '<at>',
    '[x](https://evil.example)',
    'https://evil.example/login',
    // Found by this property: a linkifying client reads `//` as a protocol-relative link.
    '//+.0',
    'teams.microsoft.com/l/channel/19%3a',
    'jdoe@evil.example',
    '**bold**',
    '_it_',
    '- item',
    '# head',
    '<b>x</b>',
    '&lt;at&gt;',
    '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
    '\u202E',
  );
  const hostile = fc
    .array(fc.oneof(markup, fc.string({ maxLength: 6 }), fc.constantFrom('<', '>', '\\', '/', '\n')), {
      maxLength: 6,
    })
    .map((parts) => parts.join(''));

  it('never becomes a mention, a link or formatting, in any field', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        const alert = makeAlertRecord({
          lastError: c,
          finding: {
            title: a,
            description: b,
            product: c,
            customer: a,
            accountName: b,
            actor: { name: a, email: b },
            observables: [
              { dataType: 'ip', data: c, ioc: true },
              { dataType: 'other', data: a, tags: ['user-name'] },
            ],
          },
        });
        for (const card of [
          teamsAlertCard(alert, THEHIVE),
          teamsAlertCard({ ...alert, state: 'ignored', ignoredBy: a, ignoreReason: b }, THEHIVE),
          teamsIgnoreForm(alert),
          teamsNoteCard([`✅ Closed as ${cardText(a, 200)}`]),
          ...everyNote(b).map(teamsNote),
        ]) {
          expect(JSON.stringify(card)).not.toMatch(/"entities"/);
          for (const text of markdownTexts(asCard(card))) {
            expect(markupIn(text)).toEqual([]);
            // A tag-opening `<` always carries a backslash, so `<at>` is never mention markup.
            expect(text).not.toMatch(/(^|[^\\])<at\b/i);
          }
          expect(checkCard(asCard(card), '1.5').events).toEqual([]);
        }
      }),
      { numRuns: 150 },
    );
    // 150 runs of a dozen cards through the adaptivecards parser: seconds alone, more on a loaded machine.
  }, 120_000);

  it('a tag whose sign makes it a host name to a linkifier (`+.BA`) is shown defanged (found by the property above)', () => {
    for (const text of everyNote('.BA')
      .map(teamsNote)
      .flatMap((card) => markdownTexts(asCard(card))))
      expect(markupIn(text)).toEqual([]);
  });

  it('a lookup’s answers and a response action’s result (with the clicker’s name) show only the product’s own bold and lists', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        const lookup: ThreadNote = {
          kind: 'lookup-results',
          reports: [
            {
              target: { dataType: 'domain', value: a },
              results: [
                {
                  source: 'RDAP',
                  ok: true,
                  answer: { kind: 'rdap-domain', domain: { registrar: b, status: [c] } },
                },
                { source: 'URLhaus', ok: false, error: c },
              ],
            },
          ],
          sources: ['RDAP', 'URLhaus'],
          at: '2026-12-04T20:00:00.000Z',
        };
        const result: ThreadNote = {
          kind: 'response-action-result',
          label: a,
          person: b,
          personName: c,
          ok: false,
          summary: c,
        };
        for (const card of [teamsNote(lookup), teamsNote(result)]) {
          for (const text of markdownTexts(asCard(card)))
            expect(markupIn(text).filter((tag) => !['strong', 'ul', 'li'].includes(tag))).toEqual([]);
          expect(checkCard(asCard(card), '1.5').events).toEqual([]);
        }
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});
