/**
 * The person a thread note names, in Webex and Teams: the note goes to every platform the alert is on,
 * so a Slack user or a Teams person reaches Webex, and a Slack or Webex person reaches Teams. Webex
 * mentions only a Webex person; anyone else, on either, is shown by name (their id when no name is
 * known), and a hostile name stays text: no mention, link, formatting, hidden or reversed text.
 */
import { cardText } from '../../cards/escape';
import { teamsNote } from '../../cards/teams';
import { webexText } from '../../cards/webex';
import { webexNote } from '../../cards/webex-notes';
import { showInvisibles } from '../../src/domain/invisible';
import type { NotePerson, ThreadNote } from '../../src/domain/notes';
import { markupIn, shownText, textsOfType } from '../helpers/adaptive-cards';
import { HOSTILE_NAMES, notesNaming, PEOPLE } from '../helpers/note-people';

const INVISIBLE = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/;
/** Note kinds whose Teams card names the person (Teams' failure notes name nobody). */
const NAMED_IN_TEAMS = new Set<ThreadNote['kind']>(['case-opened', 'ignored', 'response-action-result']);

const webexOf = (note: ThreadNote) => webexNote(note).markdown;
const teamsOf = (note: ThreadNote) => textsOfType(teamsNote(note)).join('\n');

/** What a reader sees of `name` where it is shown: its invisible characters named, its ends trimmed. */
const seen = (name: string) => showInvisibles(name.trim());

describe('a person of another platform in a Webex thread note', () => {
  it.each([PEOPLE.slack, PEOPLE.teams])('is shown by name, mentioning nobody ($personPlatform)', (who) => {
    for (const note of notesNaming(who)) {
      const markdown = webexOf(note);
      expect(markdown).toContain(webexText(who.personName));
      expect(markdown).not.toContain('<@');
      expect(markdown).not.toContain(who.person);
    }
  });

  it('without a name, is shown by their id as text: a Teams id shaped like a Webex id is no mention', () => {
    for (const who of [PEOPLE.slack, PEOPLE.teams]) {
      const nameless: NotePerson = { person: who.person, personPlatform: who.personPlatform };
      for (const note of notesNaming(nameless)) {
        const markdown = webexOf(note);
        expect(markdown).toContain(webexText(who.person));
        expect(markdown).not.toContain('<@');
      }
    }
  });

  it('a Webex person is mentioned, by the id Webex gave', () => {
    for (const note of notesNaming(PEOPLE.webex))
      expect(webexOf(note)).toContain(`<@personId:${PEOPLE.webex.person}>`);
  });

  it('with a hostile name: the name reads as written, and nothing in it mentions, links or formats', () => {
    for (const name of HOSTILE_NAMES)
      for (const platform of ['slack', 'teams'] as const) {
        const who = { ...PEOPLE[platform], personName: name };
        const plain = notesNaming({ ...who, personName: 'Plain name' }).map(webexOf);
        notesNaming(who).forEach((note, index) => {
          const markdown = webexOf(note);
          expect(markdown).not.toContain('<@');
          expect(markdown).not.toMatch(INVISIBLE);
          // The same markup as with a harmless name: the note's own case link and bold, nothing else.
          expect(markupIn(markdown)).toEqual(markupIn(plain[index]!));
          if (!name.includes('evil.example')) expect(shownText(markdown)).toContain(seen(name));
        });
      }
  });

  it('a note stored before the platform was recorded: a named person is named, a nameless one mentioned', () => {
    const [legacyTeams] = notesNaming({ person: PEOPLE.teams.person, personName: 'Carol' });
    expect(webexOf(legacyTeams!)).toContain('opened in TheHive by Carol with');
    const [legacyWebex] = notesNaming({ person: PEOPLE.webex.person });
    expect(webexOf(legacyWebex!)).toContain(`<@personId:${PEOPLE.webex.person}>`);
  });
});

describe('a person of another platform in a Teams thread note', () => {
  it.each([PEOPLE.slack, PEOPLE.webex])('is shown by name, never by id ($personPlatform)', (who) => {
    for (const note of notesNaming(who)) {
      const texts = teamsOf(note);
      if (NAMED_IN_TEAMS.has(note.kind)) expect(texts).toContain(cardText(who.personName, 200));
      expect(texts).not.toContain(who.person);
    }
  });

  it('with a hostile name: the name reads as written, and nothing in it mentions, links or formats', () => {
    for (const name of HOSTILE_NAMES)
      for (const platform of ['slack', 'webex'] as const) {
        const who = { ...PEOPLE[platform], personName: name };
        const plain = notesNaming({ ...who, personName: 'Plain name' }).map(teamsOf);
        notesNaming(who).forEach((note, index) => {
          const texts = teamsOf(note);
          // Teams mentions with `<at>` (and an entity): escaped, it is text.
          expect(texts).not.toMatch(/(?<!\\)<at>/);
          expect(texts).not.toMatch(INVISIBLE);
          expect(markupIn(texts)).toEqual(markupIn(plain[index]!));
          if (NAMED_IN_TEAMS.has(note.kind) && !name.includes('evil.example'))
            expect(shownText(texts)).toContain(seen(name));
        });
      }
  });
});
