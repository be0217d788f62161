/**
 * What is Teams' own in a Hivewire card: schema 1.5 (what Teams renders), full width, and every
 * button an `Action.Execute` (Universal Actions) instead of the core's `Action.Submit`.
 *
 * Why Action.Execute: Teams sends it to the bot as an `adaptiveCard/action` invoke, which the bot
 * answers in the same HTTP exchange, and Teams shows that answer to the person who clicked only.
 * That is the private "a case already exists" / "creating the case…" answer Slack gives with an
 * ephemeral message, which Teams has no other way to give; an Action.Submit arrives as a plain
 * message activity whose only possible answer is a message everyone in the channel sees. The verb is
 * the action id and the data is the contract's `{"action", "fingerprint"}`, so the same use cases
 * read it. No `refresh`: the alert card is updated in place through the connector, which updates it
 * for everyone, and a refresh would cost an invoke per person per view for a card that has no
 * per-person view.
 *
 * Escaping: the core escapes finding text as CommonMark and defangs it (cards/escape.ts). In Teams a
 * mention is `<at>name</at>` text plus an `msteams.entities` entry naming the person; Hivewire's cards
 * carry no entities at all, and the escaping puts a backslash before any `<` that opens a tag, so
 * `<at>` from a finding is text twice over.
 */
import type { AlertRecord } from '../src/domain/alert';
import type { NotePerson, ThreadNote } from '../src/domain/notes';
import { utcMinute } from '../blocks/alert';
import { trustedCaseUrl } from '../blocks/case-link';
import { PROSE_VALUE_MAX, VALUE_MAX } from '../blocks/limits';
import { webUrlHost } from '../blocks/elements';
import { markdownLookupParagraphs, skippedSentence, type LookupMarkup } from '../blocks/analyst/lookup';
import { markdownLink } from '../src/cases/markdown';
import type { SourceName, TargetReport } from '../src/domain/lookups';
import { alertCard, type AlertCardOptions } from './alert';
import { caseChangeLine, slaLine } from './case-change';
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  adaptiveCard,
  textBlock,
  type AdaptiveCard,
  type CardAction,
  type CardElement,
  openUrl,
  type SubmitAction,
} from './core';
import { cardText } from './escape';
import { ignoreFormCard } from './forms';
import { triageClosedCard, triageQuestionCard, triageThreadLine } from './triage';

/** The card schema version Teams renders. */
export const TEAMS_CARD_VERSION = '1.5';

export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: SubmitAction['data'];
  style?: 'positive' | 'destructive';
}

type TeamsAction =
  Exclude<CardAction, { type: 'Action.Submit' | 'Action.ShowCard' }> | ExecuteAction | TeamsShowCard;
interface TeamsShowCard {
  type: 'Action.ShowCard';
  title: string;
  card: { type: 'AdaptiveCard'; body: TeamsElement[]; actions: TeamsAction[] };
}
type TeamsElement =
  | Exclude<CardElement, { type: 'ActionSet' | 'Container' }>
  | { type: 'ActionSet'; actions: TeamsAction[] }
  | { type: 'Container'; style?: string; items: TeamsElement[] };

export interface TeamsCard extends Omit<AdaptiveCard, 'body' | 'actions'> {
  body: TeamsElement[];
  actions?: TeamsAction[];
  msteams: { width: 'Full' };
}

/** A Bot Framework attachment holding `card`. */
export interface TeamsCardAttachment {
  contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  content: TeamsCard;
}

function executeAction(action: CardAction): TeamsAction {
  switch (action.type) {
    case 'Action.Submit':
      return {
        type: 'Action.Execute',
        title: action.title,
        verb: action.data.action,
        data: action.data,
        ...(action.style ? { style: action.style } : {}),
      };
    case 'Action.ShowCard':
      return {
        ...action,
        card: {
          ...action.card,
          body: action.card.body.map(executeElement),
          actions: action.card.actions.map(executeAction),
        },
      };
    default:
      return action;
  }
}

function executeElement(element: CardElement): TeamsElement {
  if (element.type === 'ActionSet') return { ...element, actions: element.actions.map(executeAction) };
  if (element.type === 'Container') return { ...element, items: element.items.map(executeElement) };
  return element;
}

/** A core card (built for 1.5) as Teams takes it: Action.Execute buttons, full width. */
export function forTeams(card: AdaptiveCard): TeamsCard {
  const { body, actions, ...rest } = card;
  return {
    ...rest,
    body: body.map(executeElement),
    ...(actions ? { actions: actions.map(executeAction) } : {}),
    msteams: { width: 'Full' },
  };
}

/** A Bot Framework message activity carrying one card: what the connector is sent. */
export interface TeamsMessage {
  type: 'message';
  /** The notification and chat-list preview text. */
  summary?: string;
  attachments: [TeamsCardAttachment];
}

export function teamsMessage(card: TeamsCard): TeamsMessage {
  return {
    type: 'message',
    ...(card.fallbackText === undefined ? {} : { summary: card.fallbackText }),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

/** The alert card for Teams. */
export function teamsAlertCard(alert: AlertRecord, options: AlertCardOptions = {}): TeamsCard {
  return forTeams(alertCard(alert, TEAMS_CARD_VERSION, options));
}

/** The ignore form for Teams (posted in the alert's reply chain). */
export function teamsIgnoreForm(alert: Pick<AlertRecord, 'fingerprint' | 'severity' | 'finding'>): TeamsCard {
  return forTeams(ignoreFormCard(alert, TEAMS_CARD_VERSION));
}

/**
 * A reply in the alert's reply chain: lines of Hivewire's words with finding text already escaped
 * (cardText), and link buttons.
 */
export function teamsNoteCard(lines: string[], links: CardAction[] = []): TeamsCard {
  const body: CardElement[] = lines.map((line) => textBlock(line));
  return forTeams(adaptiveCard(TEAMS_CARD_VERSION, body, links, lines[0]));
}

/** Untrusted text for a Teams TextBlock: escaped (cards/escape.ts), one line, at most `max` characters. */
export function teamsText(value: string, max: number = VALUE_MAX): string {
  return cardText(value, max);
}

/**
 * The person a thread note names, by their name (their id when no name is known) as text: a Slack or
 * Webex person's id means nothing in Teams, and a Teams person's Entra object id means nothing to
 * anyone. Escaped as all card text, so a name mentions, links and formats nothing.
 */
function teamsPerson(note: NotePerson): string {
  return teamsText(note.personName ?? note.person);
}

/** `Case #42`, or `Case` while the number is not known. */
function caseTitle(caseNumber: number | undefined): string {
  return caseNumber !== undefined && Number.isSafeInteger(caseNumber) ? `Case #${caseNumber}` : 'Case';
}

/** The "Open in TheHive" button, for a case URL that is a web URL. */
function caseButton(caseUrl: string | undefined): CardAction[] {
  const url = trustedCaseUrl(caseUrl);
  return url ? [openUrl('Open in TheHive', url)] : [];
}

/**
 * A thread note (src/domain/notes.ts) as a card in the alert's reply chain: the same words as the
 * Slack and Webex replies, with the case link as a button (the only Markdown links Hivewire's cards
 * write are a lookup's report pages, whose host the line builder checked).
 */
export function teamsNote(note: ThreadNote): TeamsCard {
  switch (note.kind) {
    case 'case-opened': {
      const count = Math.max(0, Math.trunc(note.observableCount));
      const observables = count === 1 ? '1 observable' : `${count} observables`;
      return teamsNoteCard(
        [`📁 ${caseTitle(note.caseNumber)} opened in TheHive by ${teamsPerson(note)} with ${observables}`],
        caseButton(note.caseUrl),
      );
    }
    case 'case-change':
      return teamsNoteCard(
        [
          `${caseTitle(note.caseNumber)} updated in TheHive by ${teamsText(note.actor)}`,
          ...note.changes.map((change) => caseChangeLine(change, teamsText)),
        ],
        caseButton(note.caseUrl),
      );
    case 'escalation-failed':
      return teamsNoteCard([
        `⚠️ Couldn't create the case: ${teamsText(note.reason, PROSE_VALUE_MAX)}. The Create Case button works again.`,
      ]);
    case 'case-step-failed':
      return teamsNoteCard([
        `⚠️ Case #${note.caseNumber} was opened, but a step after it failed: ${teamsText(note.reason, PROSE_VALUE_MAX)}.`,
      ]);
    case 'ignored':
      return teamsNoteCard([
        `🙈 Ignored by ${teamsPerson(note)}${note.reason?.trim() ? `: ${teamsText(note.reason, PROSE_VALUE_MAX)}` : ''}`,
        ...(note.suppressesSecurityHub
          ? ['The Security Hub finding is marked SUPPRESSED with this reason.']
          : []),
      ]);
    case 'seen-again':
      return teamsNoteCard([
        `🔁 Seen again: ${note.count} times in all, last ${utcMinute(note.lastSeen) ?? teamsText(note.lastSeen)} · severity ${note.severity}`,
      ]);
    case 'sla':
      return teamsNoteCard([slaLine(caseTitle(note.caseNumber), note.announcement, teamsText)]);
    case 'severity-raised':
      return teamsNoteCard([
        `⬆️ Severity rose ${note.from} → ${note.to}.${note.reopened ? ' It was ignored and is open again.' : ''}`,
      ]);
    case 'already-escalated':
      return teamsNoteCard([`${caseTitle(note.caseNumber)} already exists`], caseButton(note.caseUrl));
    case 'notice':
      return teamsNoteCard([cardText(note.text, PROSE_VALUE_MAX, { multiline: true })]);
    case 'lookup-results':
      return teamsLookupResults({ reports: note.reports, sources: note.sources, now: new Date(note.at) });
    case 'response-action-result':
      return teamsResponseActionResult(note);
    case 'case-comment':
      return teamsNoteCard(
        [
          `💬 ${teamsText(note.login)} in TheHive on ${caseTitle(note.caseNumber)}`,
          cardText(note.message, PROSE_VALUE_MAX, { multiline: true }),
        ],
        caseButton(note.caseUrl),
      );
    case 'triage-asked':
    case 'triage-answered':
    case 'triage-no-answer':
    case 'triage-failed':
      // Hivewire's Teams cards carry no mention entities: people are named as text.
      return teamsNoteCard([
        triageThreadLine(note, (person) => teamsText(person.name ?? person.email ?? person.id), teamsText),
      ]);
    case 'triage-question':
      return forTeams(triageQuestionCard(note.record, TEAMS_CARD_VERSION));
    case 'triage-closed':
      return forTeams(triageClosedCard(note.record, note.response, TEAMS_CARD_VERSION));
  }
}

/** Room left under Teams' message size (about 28 KB, the card's JSON included) for the lookup lines. */
const LOOKUP_BODY_BYTES = 20_000;

/**
 * The lookup lines (blocks/analyst/lookup.ts) in a TextBlock's markdown: every value a service gives
 * goes through `teamsText`; the only links are report pages whose host the line builder checked.
 */
const TEAMS_MARKUP: LookupMarkup = {
  bold: (words) => `**${words}**`,
  text: (value, max) => teamsText(value, max),
  link: (url, label) => markdownLink(label, url),
};

/** The results of one lookup, one TextBlock per indicator, within Teams' message size (the rest counted). */
export function teamsLookupResults(input: {
  reports: TargetReport[];
  sources: SourceName[];
  now: Date;
}): TeamsCard {
  return teamsNoteCard(markdownLookupParagraphs(input, TEAMS_MARKUP, LOOKUP_BODY_BYTES));
}

type Skipped = readonly { value: string; reason: string }[];

/** The answer to `@Hivewire lookup` while it runs: how many indicators, what was left out and why. */
export function teamsLookupStarted(count: number, skipped: Skipped): TeamsCard {
  return teamsNoteCard([
    `🔎 Looking up ${count} indicator${count === 1 ? '' : 's'}… the results follow in this reply chain.${skippedSentence(skipped, teamsText)}`,
  ]);
}

/** The answer to `@Hivewire lookup` with nothing that can be looked up. */
export function teamsNothingToLookUp(skipped: Skipped): TeamsCard {
  return teamsNoteCard([
    `Nothing to look up: give public IPs, domains, URLs or hashes, e.g. @Hivewire lookup 203.0.113.7 evil.example.${skippedSentence(skipped, teamsText)}`,
  ]);
}

/** What a response action did, or why it failed, with the execution's page as a button. */
function teamsResponseActionResult(note: Extract<ThreadNote, { kind: 'response-action-result' }>): TeamsCard {
  const label = `**${teamsText(note.label)}** (run by ${teamsPerson(note)})`;
  return teamsNoteCard(
    [
      note.ok
        ? `✅ ${label} succeeded: ${teamsText(note.summary, PROSE_VALUE_MAX)}`
        : `❌ ${label} failed: ${teamsText(note.summary, PROSE_VALUE_MAX)}`,
    ],
    note.link && webUrlHost(note.link) ? [openUrl('Execution', note.link)] : [],
  );
}

/** `@Hivewire help`. */
export function teamsHelp(): TeamsCard {
  return teamsNoteCard([
    'Hivewire turns security findings into alerts in this channel and opens TheHive cases from them.',
    '@Hivewire threshold shows the severity threshold; @Hivewire threshold LEVEL sets it (admins only).',
    "@Hivewire case 42 shows case #42's state.",
    '@Hivewire lookup VALUES… looks up IPs, domains, URLs and hashes; the results follow in the reply chain.',
    '@Hivewire help shows this help.',
    'On an alert: Create Case opens a TheHive case · Ignore asks why · Enrich looks its indicators up · Ask the user asks the person it is about.',
  ]);
}
