/**
 * "Was this you?" as Adaptive Cards, for any card version (Webex 1.3, Teams 1.5): the question in the
 * person's direct conversation with its three answers, the question once closed, and the thread lines
 * that tell the analysts. The same words as the Slack DM and replies (blocks/analyst/triage.ts).
 *
 * Each answer is an `Action.Submit` whose data is `{"action", "id"}`: Slack's answer action id and the
 * question's id (Slack's button value), so the same answer use case reads a click from any platform.
 * The alert name and summary come from a finding or a SIEM: escaped for a TextBlock (cards/escape.ts).
 * Who a line names is written by the caller, in its platform's form (a Webex mention, escaped text).
 */
import { TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../blocks/actions';
import { TRIAGE_ANSWERS } from '../blocks/analyst/triage';
import { HEADER_TEXT_MAX, PROSE_VALUE_MAX } from '../blocks/limits';
import type { ChatPerson } from '../src/domain/chat';
import type { ThreadNote } from '../src/domain/notes';
import type { TriageRecord, TriageRequest, TriageResponse } from '../src/domain/triage';
import { adaptiveCard, submit, textBlock, type AdaptiveCard, type CardVersion, type TextBlock } from './core';
import type { EscapeText } from './case-change';
import { cardText } from './escape';

/** A summary shown in the question: long enough to recognise the activity, short enough to read. */
const SUMMARY_MAX = 1500;

/** The answers' action ids, by answer (Slack's buttons' ids). */
export const TRIAGE_ACTIONS: Record<TriageResponse, string> = {
  yes: TRIAGE_YES,
  no: TRIAGE_NO,
  notsure: TRIAGE_UNSURE,
};

/** The answer an action id stands for; undefined for any other action. */
export function triageResponseOf(action: string): TriageResponse | undefined {
  return (Object.keys(TRIAGE_ACTIONS) as TriageResponse[]).find(
    (answer) => TRIAGE_ACTIONS[answer] === action,
  );
}

function questionBody(record: TriageRecord): TextBlock[] {
  return [
    textBlock(
      "👋 Hi, this is the security team's bot. We saw activity linked to your account and would like to check it was you.",
    ),
    textBlock(cardText(record.alertName, HEADER_TEXT_MAX), { weight: 'Bolder' }),
    textBlock(cardText(record.summary, SUMMARY_MAX, { multiline: true })),
    textBlock(`How sure we are this is about you: ${cardText(record.identityConfidence, 40)}`, {
      isSubtle: true,
    }),
  ];
}

/** The fallback and notification text of the question. */
export function triageQuestionSummary(record: TriageRecord): string {
  return `Security check: was this you? ${cardText(record.alertName, 200)}`;
}

/** The question with its three answers. */
export function triageQuestionCard(record: TriageRecord, version: CardVersion): AdaptiveCard {
  const answer = (response: TriageResponse, style?: 'positive' | 'destructive') =>
    submit(TRIAGE_ANSWERS[response], { action: TRIAGE_ACTIONS[response], id: record.id }, style);
  return adaptiveCard(
    version,
    questionBody(record),
    [answer('yes', 'positive'), answer('no', 'destructive'), answer('notsure')],
    triageQuestionSummary(record),
  );
}

const AFTER_ANSWER: Record<TriageResponse, string> = {
  yes: 'Thanks, recorded. Nothing else to do.',
  no: 'Thanks, recorded. The security team has been alerted and will contact you.',
  notsure: 'Thanks, recorded. Someone from the security team will follow up with you.',
};

/** What the person reads once the question is closed: their answer, or that it expired. */
export function triageClosedLine(response: TriageResponse | 'noanswer'): string {
  return response === 'noanswer'
    ? '⌛ This question has expired. If you have concerns, please contact the security team.'
    : `✅ ${TRIAGE_ANSWERS[response]} · ${AFTER_ANSWER[response]}`;
}

/** The question without its buttons, and what came of it (what replaces the question where it can be edited). */
export function triageClosedCard(
  record: TriageRecord,
  response: TriageResponse | 'noanswer',
  version: CardVersion,
): AdaptiveCard {
  const line = triageClosedLine(response);
  return adaptiveCard(version, [...questionBody(record), textBlock(line, { weight: 'Bolder' })], [], line);
}

/**
 * The thread's "was this you?" notes: one line, with people named by `who` and untrusted text escaped
 * by `text`, each in the platform's form.
 */
export function triageThreadLine(
  note: Extract<
    ThreadNote,
    { kind: 'triage-asked' | 'triage-answered' | 'triage-no-answer' | 'triage-failed' }
  >,
  who: (person: ChatPerson) => string,
  text: EscapeText,
): string {
  switch (note.kind) {
    case 'triage-asked': {
      const by =
        note.requestedBy === 'auto' ? 'automatically (configured rule)' : `by ${who(note.requestedBy)}`;
      return `❓ Asked ${who(note.person)} "was this you?" (${by}). Waiting up to ${note.timeoutMinutes} minutes.`;
    }
    case 'triage-answered': {
      const answer = TRIAGE_ANSWERS[note.response];
      return note.response === 'no'
        ? `🚨 ${who(note.person)} answered: ${answer}. This activity needs attention.`
        : `💬 ${who(note.person)} answered: ${answer}`;
    }
    case 'triage-no-answer':
      return `⌛ No answer from ${who(note.person)} within ${note.timeoutMinutes} minutes.`;
    case 'triage-failed':
      return `⚠️ Couldn't ask "was this you?": ${text(note.reason, PROSE_VALUE_MAX)}`;
  }
}

/** What the analyst who clicked Ask the user is told (Hivewire's words only: no finding text). */
export function triageRequestWords(result: TriageRequest): string {
  switch (result.outcome) {
    case 'requested':
      return 'Asking the person this finding is about "was this you?"… the answer will be threaded here.';
    case 'pending':
      return 'A "was this you?" question is already waiting for an answer.';
    case 'no-person':
      return 'This finding names no person to ask.';
    case 'no-email':
      return 'No email address is known for that person: add it under users in the config file.';
    case 'unknown-alert':
      return 'Hivewire does not know this alert (it may come from another installation).';
  }
}
