/**
 * The alert card and the ignore form: every fixture in every state parses with the adaptivecards
 * library for Webex's 1.3 with no event, failure or unknown property; nothing a finding brings becomes
 * a link, formatting or a date function on screen (a fast-check property over every finding field);
 * buttons and links follow the state as on Slack.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { alertCard, alertSummary } from '../../cards/alert';
import type { AdaptiveCard, CardAction, CardElement } from '../../cards/core';
import { cardText } from '../../cards/escape';
import { ignoreFormCard } from '../../cards/forms';
import { parseEvent } from '../../src/findings/parse';
import type { AlertRecord } from '../../src/domain/alert';
import { checkCard, markdownTexts, markupIn, shownText } from '../helpers/adaptive-cards';
import { ESCALATED, STATES } from '../helpers/alert-states';
import { makeAlertRecord, type AlertRecordOverrides } from '../helpers/alerts';

const THEHIVE = { theHiveUrl: 'https://thehive.example.com' };
const RESPONSE_ACTIONS = [
  { id: 'isolate', label: 'Isolate instance', findingTypes: ['*'], ssmDocument: 'Isolate-EC2' },
];

const FIXTURES = join(__dirname, '../../fixtures');
function fixtureFiles(): string[] {
  return readdirSync(FIXTURES, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.json'))
    .sort();
}

/** Every finding of every fixture, as the alert record the pipeline would store for it in `state`. */
function fixtureAlerts(): [string, string, AlertRecord][] {
  const cases: [string, string, AlertRecord][] = [];
  for (const file of fixtureFiles()) {
    const event: unknown = JSON.parse(readFileSync(join(FIXTURES, file), 'utf8'));
    for (const { raw: _raw, ...normalised } of parseEvent(event).findings)
      for (const [state, overrides] of Object.entries(STATES)) {
        const finding = { ...normalised, customer: 'acme', accountName: 'payments-prod' };
        const record = makeAlertRecord(overrides);
        cases.push([
          file,
          state,
          {
            ...record,
            fingerprint: finding.fingerprint,
            finding,
            severity: finding.severity,
            count: finding.count,
            firstSeen: finding.firstSeen,
            lastSeen: finding.lastSeen,
          },
        ]);
      }
  }
  return cases;
}

function actionsOf(card: AdaptiveCard): CardAction[] {
  const found: CardAction[] = [...(card.actions ?? [])];
  const visit = (elements: CardElement[]) => {
    for (const element of elements) if (element.type === 'ActionSet') found.push(...element.actions);
  };
  visit(card.body);
  return found;
}

function render(overrides: AlertRecordOverrides = {}) {
  return alertCard(makeAlertRecord(overrides), '1.3', { ...THEHIVE, responseActions: RESPONSE_ACTIONS });
}

describe('alertCard on every fixture in every state', () => {
  const cases = fixtureAlerts();

  it('covers every fixture directory', () => {
    const files = new Set(cases.map(([file]) => file.split('/')[0]));
    expect([...files].sort()).toEqual(['aws', 'derived', 'siem']);
  });

  it.each(cases)(
    '%s, %s: parses for Adaptive Cards 1.3 with no event and round-trips',
    (_file, _state, alert) => {
      const card = alertCard(alert, '1.3', { ...THEHIVE, responseActions: RESPONSE_ACTIONS });
      const check = checkCard(card, '1.3');
      expect(check.events).toEqual([]);
      expect(check.failures).toEqual([]);
      // What the library writes back for 1.3 is the card itself: no property it does not know for 1.3.
      expect(check.reserialised).toEqual(card);
      for (const text of markdownTexts(card)) expect(markupIn(text)).toEqual([]);
    },
  );
});

describe('alertCard', () => {
  it('shows the title, the facts, the observables and when it was seen, with no Markdown of its own', () => {
    const card = render();
    const texts = markdownTexts(card).map(shownText);
    expect(texts[0]).toBe('🔴 HIGH · API ListBuckets was invoked from a Tor exit node');
    expect(texts).toEqual(
      expect.arrayContaining([
        'Account',
        '111122223333 · payments-prod',
        'Customer',
        'acme',
        'Access key',
        'AKIAIOSFODNN7EXAMPLE · jdoe',
        'User',
        'jdoe · jdoe@example[.]com',
        'Caller IP',
        '198.51.100.23 · AS64496 · Example Transit · Netherlands',
        'Observables · 3',
        'GuardDuty · severity 8 · seen 12 times, last 2026-11-25 10:00 UTC · first 2026-11-24 08:00 UTC',
      ]),
    );
    expect(card.fallbackText).toBe(
      '🔴 HIGH · API ListBuckets was invoked from a Tor exit node · payments-prod (acme)',
    );
  });

  it('offers Create Case, Ignore, Enrich and Ask the user while open, with the fingerprint, and the console link', () => {
    const actions = actionsOf(render());
    expect(actions.filter((action) => action.type === 'Action.Submit')).toEqual([
      expect.objectContaining({
        title: 'Create Case',
        data: { action: 'hivewire.create_case', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      }),
      expect.objectContaining({
        title: 'Ignore',
        data: { action: 'hivewire.ignore', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      }),
      expect.objectContaining({
        title: 'Enrich',
        data: { action: 'hivewire.enrich', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      }),
      expect.objectContaining({
        title: 'Ask the user',
        data: { action: 'hivewire.ask_user', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      }),
    ]);
    expect(actions.find((action) => action.type === 'Action.OpenUrl')).toMatchObject({
      title: 'Open in AWS console',
    });
    const run = actions.find((action) => action.type === 'Action.ShowCard');
    expect(run).toMatchObject({ title: 'Isolate instance' });
    expect(run?.type === 'Action.ShowCard' && run.card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Run Isolate instance',
        style: 'destructive',
        data: { action: 'hivewire.response_action.isolate', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      },
    ]);
  });

  it('links the case below TheHive once escalated, and offers no decision any more', () => {
    const card = render(ESCALATED);
    expect(card.actions).toBeUndefined();
    expect(actionsOf(card)).toContainEqual({
      type: 'Action.OpenUrl',
      title: 'Open in TheHive',
      url: 'https://thehive.example.com/cases/~40964/details',
    });
    expect(markdownTexts(card).map(shownText)).toContain(
      '📁 Case #42 · InProgress · assigned to analyst@example[.]com',
    );
    const elsewhere = render({ ...ESCALATED, caseUrl: 'https://evil.example/cases/1' });
    expect(actionsOf(elsewhere).map((action) => action.title)).not.toContain('Open in TheHive');
  });

  it('says who ignored it and why, with no buttons but the links', () => {
    const card = render({ ...STATES.ignored, ignoreReason: 'pentest [ok](https://evil.example) **now**' });
    const texts = markdownTexts(card);
    expect(shownText(texts[1]!)).toBe(
      '🙈 Ignored by U0BOB on 2026-11-25 11:00 UTC: pentest [ok](hxxps://evil[.]example) **now**',
    );
    expect(markupIn(texts[1]!)).toEqual([]);
    expect(actionsOf(card).every((action) => action.type === 'Action.OpenUrl')).toBe(true);
  });

  it('shows invisible and direction characters as their code points', () => {
    const card = render({ finding: { title: 'invoice\u202Efdp.exe adm\u200Bin' } });
    expect(shownText(markdownTexts(card)[0]!)).toBe('🔴 HIGH · invoice<U+202E>fdp.exe adm<U+200B>in');
  });

  it('keeps date and time functions from running on finding text', () => {
    const title = '{{DATE(2017-02-14T06:08:39Z, SHORT)}} and {{{TIME(2017-02-14T06:08:39Z)}}}';
    const text = markdownTexts(render({ finding: { title } }))[0]!;
    expect(text).not.toMatch(/\{\{/);
    expect(shownText(text)).toBe(`🔴 HIGH · ${title}`);
  });

  it('summarises the state in the fallback text', () => {
    expect(alertSummary(makeAlertRecord(ESCALATED))).toMatch(/· Case #42$/);
    expect(alertSummary(makeAlertRecord(STATES.ignored))).toMatch(/· ignored$/);
  });
});

describe('finding text on a card', () => {
  const markup = fc.constantFrom(
    '[x](https://evil.example)',
    '<https://evil.example>',
    'https://evil.example/login',
    'www.evil.example',
    'jdoe@evil.example',
    '**bold**',
    '__bold__',
    '*it*',
    '_it_',
    '~~gone~~',
    '`code`',
    '# head',
    '- item',
    '1. item',
    '> quote',
    '![i](https://evil.example/i.png)',
    '<b>x</b>',
    '&lt;',
    '[x]: https://evil.example',
    '\n\n---\n',
    '\\*',
    '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
    '\u202E',
  );
  const hostile = fc
    .array(
      fc.oneof(
        markup,
        fc.string({ maxLength: 8 }),
        fc.constantFrom('*', '_', '[', ']', '(', ')', '\n', '<', '>'),
      ),
      {
        maxLength: 8,
      },
    )
    .map((parts) => parts.join(''));

  it('never becomes a link, formatting or a date function, in any field', () => {
    fc.assert(
      fc.property(hostile, hostile, hostile, hostile, hostile, (a, b, c, d, e) => {
        const alert = makeAlertRecord({
          ...ESCALATED,
          lastError: e,
          finding: {
            title: a,
            description: b,
            product: c,
            sourceSeverity: d,
            type: e,
            customer: a,
            accountName: b,
            region: c,
            resource: { kind: 'Instance', id: d, name: e },
            actor: { name: a, email: b },
            observables: [
              { dataType: 'ip', data: c, ioc: true, tags: ['remote-ip', `as-org:${d}`] },
              { dataType: e, data: a },
            ],
          },
          case: { status: a, stage: 'Closed', impactStatus: b, summary: c },
          escalatedBy: d,
        });
        for (const state of [alert, { ...alert, state: 'ignored' as const, ignoredBy: a, ignoreReason: b }]) {
          const card = alertCard(state, '1.3', THEHIVE);
          for (const text of markdownTexts(card)) {
            expect(markupIn(text)).toEqual([]);
            expect(text).not.toMatch(/\{\{/);
          }
          expect(checkCard(card, '1.3').events).toEqual([]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('reads as it came, once rendered (defanged hosts aside)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-ascii', maxLength: 60 }), (value) => {
        const shown = shownText(cardText(value, 200));
        const expected = value.replace(/[\r\n]+/g, ' ').trim();
        expect(shown.replace(/\[\.\]/g, '.').replace(/hxxp/g, 'http')).toBe(
          expected === '' ? '—' : expected.replace(/hxxp/g, 'http'),
        );
      }),
      { numRuns: 300 },
    );
  });
});

describe('ignoreFormCard', () => {
  it('asks a reason from a required choice and details in a text input, and submits the fingerprint', () => {
    const card = ignoreFormCard(makeAlertRecord({ finding: { title: 'x **y**' } }), '1.3');
    const check = checkCard(card, '1.3');
    expect(check.events).toEqual([]);
    expect(check.failures).toEqual([]);
    expect(check.reserialised).toEqual(card);
    expect(card.body.map((element) => element.type)).toEqual([
      'TextBlock',
      'TextBlock',
      'Input.ChoiceSet',
      'Input.Text',
    ]);
    expect(card.body[2]).toMatchObject({
      id: 'reason',
      isRequired: true,
      choices: [
        { title: 'False positive', value: 'false-positive' },
        { title: 'Expected activity', value: 'expected-activity' },
        { title: 'Duplicate', value: 'duplicate' },
        { title: 'Accepted risk', value: 'accepted-risk' },
      ],
    });
    expect(card.body[3]).toMatchObject({ id: 'note', isMultiline: true, maxLength: 500 });
    expect(card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Ignore',
        style: 'destructive',
        data: { action: 'hivewire.ignore_modal', fingerprint: 'gd-4f1c2a9e7b3d5c60' },
      },
    ]);
    for (const text of markdownTexts(card)) expect(markupIn(text)).toEqual([]);
  });

  it('is refused by a 1.2 client: its labels and required inputs are 1.3', () => {
    const card = ignoreFormCard(makeAlertRecord(), '1.3');
    // The check that passes every card above does catch what 1.3 added.
    expect(checkCard(card, '1.2').events).toEqual(
      ['label', 'isRequired', 'errorMessage', 'label'].map(
        (name) => `Property "${name}" is supported in version 1.3, but you are using version 1.2.`,
      ),
    );
  });
});
