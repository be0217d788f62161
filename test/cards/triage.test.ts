/**
 * "Was this you?" as cards and thread lines on Webex (1.3) and Teams (1.5): the question and the
 * closed question parse with the adaptivecards library for their version with no event, their answers
 * carry `{"action", "id"}` (Action.Submit on Webex, Action.Execute on Teams), and text from a finding or
 * a SIEM (alert name, summary, confidence, a person's name or e-mail, a failure's reason) never becomes
 * a link, formatting or a mention: a fast-check property over every field. Only a Webex person asked
 * on Webex is mentioned, by the id Webex gave.
 */
import fc from 'fast-check';
import { TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../../blocks/actions';
import { threadNoteReply } from '../../blocks/notes';
import type { AdaptiveCard } from '../../cards/core';
import { teamsNote, type TeamsCard } from '../../cards/teams';
import { webexNote } from '../../cards/webex-notes';
import type { ChatPerson } from '../../src/domain/chat';
import type { ThreadNote } from '../../src/domain/notes';
import type { TriageRecord } from '../../src/domain/triage';
import { checkCard, markdownTexts, markupIn, textsOfType } from '../helpers/adaptive-cards';

const WEBEX_ID = 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS8xMjM0NTY3OA';

function record(text: string): TriageRecord {
  return {
    id: 'q-1',
    origin: 'siem',
    alertName: text,
    summary: `${text}\n${text}`,
    email: 'jdoe@example.com',
    identityConfidence: text,
    requestedBy: 'siem',
    requestedAt: '2026-12-04T10:00:00.000Z',
    timeoutMinutes: 60,
    state: 'asked',
    done: {},
  };
}

/** Every triage note, with `text` wherever outside text goes, about `person`. */
function triageNotes(text: string, person: ChatPerson): ThreadNote[] {
  return [
    { kind: 'triage-asked', person, requestedBy: person, timeoutMinutes: 60 },
    { kind: 'triage-asked', person, requestedBy: 'auto', timeoutMinutes: 60 },
    { kind: 'triage-answered', person, response: 'no', onCall: 'S0ONCALL' },
    { kind: 'triage-answered', person, response: 'yes' },
    { kind: 'triage-no-answer', person, timeoutMinutes: 60 },
    { kind: 'triage-failed', reason: text },
    { kind: 'triage-question', record: record(text) },
    { kind: 'triage-closed', record: record(text), response: 'notsure' },
    { kind: 'triage-closed', record: record(text), response: 'noanswer' },
  ];
}

const teamsCard = (card: TeamsCard) => card as unknown as AdaptiveCard;

describe('the question card', () => {
  it('parses for Webex 1.3 with three Action.Submit answers carrying {action, id}', () => {
    const message = webexNote({ kind: 'triage-question', record: record('Console login') });
    const card = message.attachments![0]!.content;
    expect(checkCard(card, '1.3')).toMatchObject({ events: [], failures: [] });
    expect(card.actions).toEqual([
      {
        type: 'Action.Submit',
        title: 'Yes, it was me',
        data: { action: TRIAGE_YES, id: 'q-1' },
        style: 'positive',
      },
      {
        type: 'Action.Submit',
        title: "No, it wasn't me",
        data: { action: TRIAGE_NO, id: 'q-1' },
        style: 'destructive',
      },
      { type: 'Action.Submit', title: 'Not sure', data: { action: TRIAGE_UNSURE, id: 'q-1' } },
    ]);
    expect(message.markdown).toBe('Security check: was this you? Console login');
  });

  it('parses for Teams 1.5 with Action.Execute answers, and closes without buttons', () => {
    const question = teamsNote({ kind: 'triage-question', record: record('Console login') });
    expect(checkCard(teamsCard(question), '1.5')).toMatchObject({ events: [], failures: [] });
    expect(question.actions?.map((action) => [action.type, 'verb' in action && action.verb])).toEqual([
      ['Action.Execute', TRIAGE_YES],
      ['Action.Execute', TRIAGE_NO],
      ['Action.Execute', TRIAGE_UNSURE],
    ]);
    const closed = teamsNote({ kind: 'triage-closed', record: record('Console login'), response: 'yes' });
    expect(checkCard(teamsCard(closed), '1.5')).toMatchObject({ events: [], failures: [] });
    expect(closed.actions).toBeUndefined();
  });
});

describe('who a thread line names', () => {
  const carol: ChatPerson = { platform: 'webex', id: WEBEX_ID, name: 'Carol', email: 'carol@example.com' };
  const note: ThreadNote = { kind: 'triage-no-answer', person: carol, timeoutMinutes: 60 };

  it('is mentioned on their own platform only, and named by e-mail elsewhere', () => {
    expect(webexNote(note).markdown).toBe(
      `⌛ No answer from <@personId:${WEBEX_ID}|Carol> within 60 minutes.`,
    );
    expect(threadNoteReply(note).text).toBe(
      '⌛ No answer from `carol@example.com (Webex)` within 60 minutes.',
    );
    expect(textsOf(teamsNote(note))).toEqual(['⌛ No answer from Carol within 60 minutes.']);
    const slackPerson: ChatPerson = { platform: 'slack', id: 'U0JDOE', email: 'jdoe@example.com' };
    expect(threadNoteReply({ ...note, person: slackPerson }).text).toBe(
      '⌛ No answer from <@U0JDOE> within 60 minutes.',
    );
    expect(webexNote({ ...note, person: slackPerson }).markdown).toBe(
      '⌛ No answer from jdoe@example[.]com within 60 minutes.',
    );
  });
});

/** A Slack message's fallback text and every mrkdwn text in its blocks (plain_text formats nothing). */
function mrkdwnOf(reply: { text: string; blocks: unknown[] }): string[] {
  return [reply.text, ...textsOfType(reply.blocks, 'mrkdwn')];
}

function textsOf(card: TeamsCard): string[] {
  return markdownTexts(teamsCard(card));
}

describe('outside text in a "was this you?" card or line', () => {
  const markup = fc.constantFrom(
    '<@all>',
    '<@personEmail:boss@corp.example>',
    '<at>Alice</at>',
    '<!channel>',
    '<@U0BOSS>',
    'U0BOSS',
    '[x](https://evil.example)',
    'https://evil.example/login',
    '//+.0',
    '**bold**',
    '_it_',
    '- item',
    '# head',
    '{{DATE(2017-02-14T06:08:39Z, SHORT)}}',
    '\u202E',
  );
  const hostile = fc
    .array(fc.oneof(markup, fc.string({ maxLength: 6 }), fc.constantFrom('<', '>', '\\', '/', '\n', '|')), {
      maxLength: 6,
    })
    .map((parts) => parts.join(''));

  it('never becomes a link, formatting or a mention, on Webex, Teams or Slack', () => {
    fc.assert(
      fc.property(hostile, hostile, (a, b) => {
        const people: ChatPerson[] = [
          { platform: 'webex', id: a, name: b, email: b },
          { platform: 'teams', id: a, name: b, email: a },
          { platform: 'slack', id: a, email: b },
        ];
        for (const person of people)
          for (const note of triageNotes(a, person)) {
            const webex = webexNote(note);
            expect(webex.markdown).not.toMatch(/<@(?!personId:[A-Za-z0-9_-]{20,}[|>])/);
            for (const attachment of webex.attachments ?? []) {
              expect(checkCard(attachment.content, '1.3').events).toEqual([]);
              for (const text of markdownTexts(attachment.content)) expect(markupIn(text)).toEqual([]);
            }
            const teams = teamsNote(note);
            expect(checkCard(teamsCard(teams), '1.5').events).toEqual([]);
            for (const text of textsOf(teams)) {
              expect(markupIn(text)).toEqual([]);
              expect(text).not.toMatch(/(^|[^\\])<at\b/i);
            }
            // Slack (mrkdwn and the fallback text): only a Slack person's own id is ever a mention.
            for (const slack of mrkdwnOf(threadNoteReply(note))) {
              for (const mentioned of slack.matchAll(/<@([A-Z0-9]+)>/g))
                expect(person.platform === 'slack' && mentioned[1] === person.id).toBe(true);
              expect(slack).not.toMatch(/<!(channel|here|everyone)>/);
            }
          }
      }),
      { numRuns: 60 },
    );
    // Sixty runs of two dozen cards through the adaptivecards parser: seconds alone, more under load.
  }, 120_000);
});
