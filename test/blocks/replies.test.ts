import fc from 'fast-check';
import {
  alreadyEscalatedEphemeral,
  caseChangeReply,
  caseOpenedReply,
  escalationFailedReply,
  ignoredReply,
  notice,
  severityRaisedReply,
} from '../../blocks/replies';
import { alertMessage } from '../../blocks/alert';
import { literal } from '../../blocks/escape';
import { threadNoteReply } from '../../blocks/notes';
import type { CaseChange } from '../../src/domain/alert';
import type { NotePerson, ThreadNote } from '../../src/domain/notes';
import { makeAlertRecord } from '../helpers/alerts';
import { HOSTILE_NAMES, notesNaming, PEOPLE } from '../helpers/note-people';
import { limitViolations, mrkdwnProblem, textObjects } from '../helpers/slack-message';

const CASE_URL = 'https://thehive.example.com/cases/~40964/details';
const CASE_LINK = `<${CASE_URL}|Case #42>`;

function md(text: string) {
  return { type: 'section', text: { type: 'mrkdwn', text, verbatim: true } };
}

function changeReply(...changes: CaseChange[]) {
  return caseChangeReply({ caseNumber: 42, caseUrl: CASE_URL, changes, actor: 'analyst@example.com' });
}

describe('caseOpenedReply', () => {
  it('links the case and names who escalated and how many observables went with it', () => {
    const line = `📁 ${CASE_LINK} opened in TheHive by <@U0ALICE> with 5 observables`;
    expect(
      caseOpenedReply({ caseNumber: 42, caseUrl: CASE_URL, person: 'U0ALICE', observableCount: 5 }),
    ).toEqual({
      text: line,
      blocks: [md(line)],
    });
  });

  it('says "1 observable" and shows an untrusted URL as no link', () => {
    const reply = caseOpenedReply({
      caseNumber: 7,
      caseUrl: 'javascript:x',
      person: 'U0ALICE',
      observableCount: 1,
    });
    expect(reply.text).toBe('📁 Case #7 opened in TheHive by <@U0ALICE> with 1 observable');
  });

  it('does not spend the text budget on a very long case URL', () => {
    const caseUrl = `https://thehive.example.com/cases/${'~'.repeat(2900)}/details`;
    const reply = caseOpenedReply({ caseNumber: 7, caseUrl, person: 'U0ALICE', observableCount: 2 });
    expect(reply.text).toBe('📁 Case #7 opened in TheHive by <@U0ALICE> with 2 observables');
  });
});

describe('caseChangeReply', () => {
  it('states a status change with who made it', () => {
    expect(
      changeReply({ field: 'status', from: 'New', to: 'InProgress', stage: 'InProgress', actor: 'x' }),
    ).toEqual({
      text: 'Case #42: 🔄 Status `New` → `InProgress` by `analyst@example.com`',
      blocks: [
        md(`${CASE_LINK} updated in TheHive by \`analyst@example.com\`\n🔄 Status \`New\` → \`InProgress\``),
      ],
    });
  });

  it('states a closing with its resolution and summary', () => {
    expect(
      changeReply({
        field: 'status',
        from: 'InProgress',
        to: 'TruePositive',
        stage: 'Closed',
        summary: 'Phishing confirmed <!here>',
        actor: 'x',
      }),
    ).toEqual({
      text: 'Case #42: ✅ Closed as `TruePositive` by `analyst@example.com`',
      blocks: [
        md(`${CASE_LINK} updated in TheHive by \`analyst@example.com\`\n✅ Closed as \`TruePositive\``),
        { type: 'context', elements: [{ type: 'plain_text', text: 'Phishing confirmed <!here>' }] },
      ],
    });
  });

  it.each<[string, CaseChange, string]>([
    [
      'an assignee resolved to a Slack user',
      {
        field: 'assignee',
        from: 'bob@example.com',
        to: 'carol@example.com',
        toSlackUser: 'U0CAROL',
        actor: 'x',
      },
      '👤 Assigned to <@U0CAROL> (was `bob@example.com`)',
    ],
    [
      'an assignee known only in TheHive',
      { field: 'assignee', to: 'carol@example.com', actor: 'x' },
      '👤 Assigned to `carol@example.com`',
    ],
    [
      'an assignee whose Slack id is malformed',
      { field: 'assignee', to: 'carol@example.com', toSlackUser: '<!channel>', actor: 'x' },
      '👤 Assigned to `carol@example.com`',
    ],
    [
      'an unassignment',
      { field: 'assignee', from: 'bob@example.com', actor: 'x' },
      '👤 Unassigned (was `bob@example.com`)',
    ],
    ['a severity change', { field: 'severity', from: 2, to: 4, actor: 'x' }, '🎚️ Severity MEDIUM → CRITICAL'],
    ['a TLP change (TLP 2.0 numbering)', { field: 'tlp', from: 2, to: 4, actor: 'x' }, '🎚️ TLP AMBER → RED'],
    ['a TLP AMBER+STRICT', { field: 'tlp', from: 1, to: 3, actor: 'x' }, '🎚️ TLP GREEN → AMBER+STRICT'],
    ['a PAP set for the first time', { field: 'pap', to: 0, actor: 'x' }, '🎚️ PAP unset → CLEAR'],
    [
      'an unknown severity number',
      { field: 'severity', from: 1, to: 9, actor: 'x' },
      '🎚️ Severity LOW → `9`',
    ],
    [
      'a title change',
      { field: 'title', from: 'a', to: '*Phish* <@U1>', actor: 'x' },
      '✏️ Title changed to `*Phish* &lt;@U1&gt;`',
    ],
    [
      'tags added and removed',
      { field: 'tags', added: ['ioc', 'tor'], removed: ['new'], actor: 'x' },
      '🏷️ Tags +`ioc` +`tor` −`new`',
    ],
    [
      'many tags',
      { field: 'tags', added: Array.from({ length: 12 }, (_, i) => `t${i}`), removed: [], actor: 'x' },
      `🏷️ Tags ${Array.from({ length: 10 }, (_, i) => `+\`t${i}\``).join(' ')} +2 more`,
    ],
    ['a deletion', { field: 'gone', to: 'deleted', actor: 'x' }, '🗑️ Deleted in TheHive'],
    ['a merge', { field: 'gone', to: 'merged', actor: 'x' }, '🔀 Merged into another case in TheHive'],
  ])('states %s', (_name, change, line) => {
    expect(changeReply(change).blocks).toEqual([
      md(`${CASE_LINK} updated in TheHive by \`analyst@example.com\`\n${line}`),
    ]);
  });

  it('puts several changes of one event in one reply, and counts them in the fallback', () => {
    const reply = changeReply(
      { field: 'status', from: 'New', to: 'InProgress', stage: 'InProgress', actor: 'x' },
      { field: 'assignee', to: 'carol@example.com', actor: 'x' },
    );
    expect(reply.text).toBe('Case #42: 🔄 Status `New` → `InProgress` (+1 more) by `analyst@example.com`');
    expect(reply.blocks).toEqual([
      md(
        `${CASE_LINK} updated in TheHive by \`analyst@example.com\`\n🔄 Status \`New\` → \`InProgress\`\n👤 Assigned to \`carol@example.com\``,
      ),
    ]);
  });

  it('keeps a flood of changes within a section, saying how many were left out', () => {
    const changes: CaseChange[] = Array.from({ length: 100 }, (_, i) => ({
      field: 'title',
      to: `${i} ${'x'.repeat(500)}`,
      actor: 'x',
    }));
    const reply = changeReply(...changes);
    expect(limitViolations(reply)).toEqual([]);
    const section = textObjects(reply)[1]?.text ?? '';
    expect(section).toMatch(/\n\+\d+ more changes$/);
  });

  it('names a case without a number by no number, and links nothing it cannot trust', () => {
    const reply = caseChangeReply({
      caseUrl: 'https://evil.example/x|<!channel>',
      changes: [{ field: 'gone', to: 'deleted', actor: 'x' }],
      actor: '<!channel>',
    });
    expect(reply.text).toBe('Case: 🗑️ Deleted in TheHive by `&lt;!channel&gt;`');
  });

  it('leaves no untrusted <, > or & active, whatever TheHive sends (property)', () => {
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom('<!channel>', '<@U123>', '<http://x|y>', '&amp;', '> quote', '', '*b* _i_ ~s~ `c`'),
    );
    const optional = fc.option(text, { nil: undefined });
    const level = fc.option(fc.integer({ min: -2, max: 6 }), { nil: undefined });
    const change: fc.Arbitrary<CaseChange> = fc.oneof(
      fc.record({
        field: fc.constant('status' as const),
        from: optional,
        to: text,
        stage: fc.constantFrom('New', 'InProgress', 'Closed'),
        summary: optional,
        actor: text,
      }),
      fc.record({
        field: fc.constant('assignee' as const),
        from: optional,
        to: optional,
        toSlackUser: fc.option(fc.oneof(text, fc.constant('U0CAROL')), { nil: undefined }),
        actor: text,
      }),
      fc.record({
        field: fc.constantFrom('severity' as const, 'tlp' as const, 'pap' as const),
        from: level,
        to: level,
        actor: text,
      }),
      fc.record({ field: fc.constant('title' as const), from: optional, to: optional, actor: text }),
      fc.record({
        field: fc.constant('tags' as const),
        added: fc.array(text),
        removed: fc.array(text),
        actor: text,
      }),
      fc.record({
        field: fc.constant('gone' as const),
        to: fc.constantFrom('deleted' as const, 'merged' as const),
        actor: text,
      }),
    );
    fc.assert(
      fc.property(
        fc.array(change, { maxLength: 8 }),
        text,
        fc.option(fc.integer(), { nil: undefined }),
        optional,
        (changes, actor, caseNumber, caseUrl) => {
          const reply = caseChangeReply({ caseNumber, caseUrl, changes, actor });
          for (const object of textObjects(reply))
            if (object.type !== 'plain_text') expect(mrkdwnProblem(object.text)).toBeUndefined();
          expect(limitViolations(reply)).toEqual([]);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('escalationFailedReply', () => {
  it('says what failed, escaped, and that the button works again', () => {
    const line =
      "⚠️ <@U0ALICE> Couldn't create the case: `TheHive answered HTTP 500: &lt;b&gt;down&lt;/b&gt;`. The Create Case button works again.";
    expect(
      escalationFailedReply({ reason: 'TheHive answered HTTP 500: <b>down</b>', person: 'U0ALICE' }),
    ).toEqual({
      text: line,
      blocks: [md(line)],
    });
  });
});

describe('ignoredReply', () => {
  it('names who ignored the alert and why', () => {
    expect(ignoredReply({ person: 'U0BOB', reason: 'Red team <!here>' }).text).toBe(
      '🙈 Ignored by <@U0BOB>: `Red team &lt;!here&gt;`',
    );
    expect(ignoredReply({ person: 'U0BOB' }).text).toBe('🙈 Ignored by <@U0BOB>');
  });
});

describe('severityRaisedReply', () => {
  it('states the rise, the count and a reopening', () => {
    expect(severityRaisedReply({ from: 'MEDIUM', to: 'HIGH', reopened: true, count: 14 })).toEqual({
      text: '⬆️ Severity rose MEDIUM → HIGH (seen 14 times). It was ignored and is open again.',
      blocks: [md('⬆️ Severity rose MEDIUM → HIGH (seen 14 times). It was ignored and is open again.')],
    });
    expect(severityRaisedReply({ from: 'LOW', to: 'CRITICAL', reopened: false }).text).toBe(
      '⬆️ Severity rose LOW → CRITICAL.',
    );
  });
});

describe('alreadyEscalatedEphemeral', () => {
  it('answers a second click with the existing case', () => {
    const alert = makeAlertRecord({
      state: 'escalated',
      escalatedBy: 'U0ALICE',
      caseId: '~40964',
      caseNumber: 42,
      caseUrl: CASE_URL,
    });
    const line = `Case #42 already exists: <${CASE_URL}|Open in TheHive> (escalated by <@U0ALICE>)`;
    expect(alreadyEscalatedEphemeral(alert)).toEqual({ text: line, blocks: [md(line)] });
  });

  it('answers without a link when the case URL is not known', () => {
    const alert = makeAlertRecord({ state: 'escalated', caseId: '~40964' });
    expect(alreadyEscalatedEphemeral(alert).text).toBe('Case `~40964` already exists');
  });
});

describe('notice', () => {
  it('wraps Hivewire’s own words in a message', () => {
    expect(notice('This alert was ignored; its buttons no longer apply.')).toEqual({
      text: 'This alert was ignored; its buttons no longer apply.',
      blocks: [md('This alert was ignored; its buttons no longer apply.')],
    });
  });
});

describe('the person a thread note names, in Slack', () => {
  /** The reply's fallback text and its mrkdwn texts. */
  const slackOf = (note: ThreadNote): string[] => {
    const reply = threadNoteReply(note);
    return [
      reply.text,
      ...textObjects(reply)
        .filter((o) => o.type === 'mrkdwn')
        .map((o) => o.text),
    ];
  };

  it.each([PEOPLE.webex, PEOPLE.teams])(
    'a person of another platform is shown by name as a literal, never by id ($personPlatform)',
    (who) => {
      for (const note of notesNaming(who)) {
        const shown = slackOf(note).join('\n');
        expect(shown).toContain(literal(who.personName));
        expect(shown).not.toContain(who.person);
        expect(shown).not.toContain('<@');
      }
    },
  );

  it('a person of another platform without a name is shown by id as a literal, never `<@…>`', () => {
    for (const who of [
      { person: '29:1a2b-teams-id', personPlatform: 'teams' },
      PEOPLE.webex,
    ] as NotePerson[]) {
      const nameless: NotePerson = { person: who.person, personPlatform: who.personPlatform };
      for (const note of notesNaming(nameless)) {
        const shown = slackOf(note).join('\n');
        expect(shown).toContain(literal(who.person));
        expect(shown).not.toContain('<@');
      }
    }
  });

  it('a Slack user is mentioned, not named', () => {
    for (const note of notesNaming(PEOPLE.slack)) {
      const shown = slackOf(note).join('\n');
      expect(shown).toContain('<@U0ALICE>');
      expect(shown).not.toContain(literal(PEOPLE.slack.personName));
    }
  });

  it('a hostile name is a literal: it mentions, links, formats, hides and reverses nothing', () => {
    for (const name of HOSTILE_NAMES)
      for (const platform of ['webex', 'teams'] as const)
        for (const note of notesNaming({ ...PEOPLE[platform], personName: name })) {
          const shown = slackOf(note);
          expect(shown.join('\n')).toContain(literal(name));
          for (const text of shown) {
            expect(mrkdwnProblem(text)).toBeUndefined();
            expect(text).not.toMatch(/<[@!#]/);
            expect(text).not.toMatch(/[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/);
          }
        }
  });

  it('the alert message names a Teams escalator or a Webex ignorer, and still mentions a Slack one', () => {
    const escalating = (escalatedBy: string, escalatedByName: string) =>
      JSON.stringify(
        alertMessage(makeAlertRecord({ state: 'escalating', escalatedBy, escalatedByName })).blocks,
      );
    expect(escalating(PEOPLE.teams.person, '<!here> Carol')).toContain(
      `requested by ${literal('<!here> Carol')}`,
    );
    expect(escalating(PEOPLE.teams.person, 'Carol')).not.toContain(PEOPLE.teams.person);
    expect(escalating('U0ALICE', 'alice')).toContain('requested by <@U0ALICE>');
    const ignored = JSON.stringify(
      alertMessage(
        makeAlertRecord({ state: 'ignored', ignoredBy: PEOPLE.webex.person, ignoredByName: 'Bob' }),
      ).blocks,
    );
    expect(ignored).toContain(`Ignored by ${literal('Bob')}`);
    expect(ignored).not.toContain(PEOPLE.webex.person);
  });

  it('a note stored before the platform was recorded is read by the id: a Slack id mentioned, else the name', () => {
    const [slackUser] = notesNaming({ person: 'U0BOB', personName: 'bob' });
    expect(slackOf(slackUser!)[0]).toContain('<@U0BOB>');
    const [teamsPerson] = notesNaming({ person: PEOPLE.teams.person, personName: 'Carol' });
    expect(slackOf(teamsPerson!)[0]).toContain(literal('Carol'));
  });
});
