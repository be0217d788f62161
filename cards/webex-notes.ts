/**
 * A platform-neutral thread note (src/domain/notes.ts) as Webex shows it: the message of its kind in
 * webex.ts or webex-analyst.ts. Kept apart from those builders because it uses all of them
 * (webex-analyst.ts builds on webex.ts, so webex.ts cannot import it back).
 */
import type { ThreadNote } from '../src/domain/notes';
import type { SlaAnnouncement } from '../src/domain/sla';
import { trustedCaseUrl } from '../blocks/case-link';
import { PROSE_VALUE_MAX, TEXT_LINK_URL_MAX } from '../blocks/limits';
import { markdownLink } from '../src/cases/markdown';
import { slaLine } from './case-change';
import {
  cardMessage,
  caseLink,
  webexCaseChangeLine,
  webexCaseChanged,
  webexCaseOpened,
  webexEscalationFailed,
  webexIgnored,
  webexMention,
  webexNotice,
  webexPerson,
  webexSeenAgain,
  webexText,
  WEBEX_CARD_VERSION,
  type WebexMessageContent,
} from './webex';
import { webexLookupResults, webexResponseActionResult } from './webex-analyst';
import { triageClosedLine, triageQuestionCard, triageQuestionSummary, triageThreadLine } from './triage';
import type { ChatPerson } from '../src/domain/chat';

/**
 * An SLA announcement in the thread. Who is called on is a Slack user or group (the SLA's config names
 * Slack groups), so Webex names no one: the people following the thread see it.
 */
function webexSla(caseNumber: number | undefined, announcement: SlaAnnouncement): WebexMessageContent {
  return webexNotice(slaLine(`**${caseLink(caseNumber, undefined)}**`, announcement, webexText));
}

/** A thread note (src/domain/notes.ts) as a Webex message. */
export function webexNote(note: ThreadNote): WebexMessageContent {
  switch (note.kind) {
    case 'case-opened':
      return webexCaseOpened(note);
    case 'case-change':
      return webexCaseChanged({ ...note, lines: note.changes.map(webexCaseChangeLine) });
    case 'escalation-failed':
      return webexEscalationFailed(note, note.reason);
    case 'case-step-failed':
      return webexNotice(
        `⚠️ ${webexPerson(note)} Case #${note.caseNumber} was opened, but a step after it failed: ${webexText(note.reason, PROSE_VALUE_MAX)}.`,
      );
    case 'ignored':
      return note.suppressesSecurityHub
        ? webexNotice(
            `${webexIgnored(note, note.reason).markdown}  \nThe Security Hub finding is marked SUPPRESSED with this reason.`,
          )
        : webexIgnored(note, note.reason);
    case 'seen-again':
      return webexSeenAgain(note);
    case 'sla':
      return webexSla(note.caseNumber, note.announcement);
    case 'severity-raised':
      return webexNotice(
        `⬆️ Severity rose ${note.from} → ${note.to}.${note.reopened ? ' It was ignored and is open again.' : ''}`,
      );
    case 'already-escalated': {
      const url = trustedCaseUrl(note.caseUrl);
      const link = url && url.length <= TEXT_LINK_URL_MAX ? `: ${markdownLink('Open in TheHive', url)}` : '';
      return webexNotice(`${caseLink(note.caseNumber, undefined)} already exists${link}`);
    }
    case 'notice':
      return webexNotice(webexText(note.text, PROSE_VALUE_MAX));
    case 'lookup-results':
      return webexLookupResults({ reports: note.reports, sources: note.sources, now: new Date(note.at) });
    case 'response-action-result':
      return webexResponseActionResult(note);
    case 'case-comment':
      // The comment's text as text: one paragraph, nothing in it mentions, links or formats.
      return webexNotice(
        `💬 ${webexText(note.login)} in TheHive on ${caseLink(note.caseNumber, note.caseUrl)}  \n${webexText(note.message, PROSE_VALUE_MAX)}`,
      );
    case 'triage-asked':
    case 'triage-answered':
    case 'triage-no-answer':
    case 'triage-failed':
      return webexNotice(triageThreadLine(note, webexChatPerson, webexText));
    case 'triage-question':
      return cardMessage(
        triageQuestionCard(note.record, WEBEX_CARD_VERSION),
        triageQuestionSummary(note.record),
      );
    case 'triage-closed':
      // Webex cannot edit a message with a card: this follows the question.
      return webexNotice(triageClosedLine(note.response));
  }
}

/** A person in a Webex message: mentioned when they are a Webex person, else their e-mail or name as text. */
function webexChatPerson(person: ChatPerson): string {
  return person.platform === 'webex'
    ? webexMention(person.id, person.name)
    : webexText(person.email ?? person.name ?? person.id);
}
