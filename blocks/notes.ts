/**
 * A platform-neutral thread note (src/domain/notes.ts) as Slack shows it: the reply of its kind in
 * replies.ts, sla.ts or analyst/ignore.ts. Kept apart from those builders because it uses all of them
 * (analyst/ignore.ts builds on replies.ts, so replies.ts cannot import it back).
 */
import type { ThreadNote } from '../src/domain/notes';
import { utcMinute } from './alert';
import { ignoredThreadReply } from './analyst/ignore';
import { lookupResults } from './analyst/lookup';
import { responseActionResultReply } from './analyst/response-actions';
import {
  slackName,
  triageAnswerReply,
  triageAnsweredDm,
  triageAskedReply,
  triageExpiredDm,
  triageFailedReply,
  triageNoAnswerReply,
  triageQuestion,
} from './analyst/triage';
import { section, mrkdwn } from './elements';
import { literal, plainText, slackPerson } from './escape';
import { PROSE_VALUE_MAX, SECTION_TEXT_MAX } from './limits';
import {
  alreadyEscalatedEphemeral,
  caseChangeReply,
  caseCommentReply,
  caseOpenedReply,
  escalationFailedReply,
  ignoredReply,
  notice,
  severityRaisedReply,
  type Reply,
} from './replies';
import { slaReply } from './sla';

export function threadNoteReply(note: ThreadNote): Reply {
  switch (note.kind) {
    case 'case-opened':
      return caseOpenedReply(note);
    case 'case-change':
      return caseChangeReply(note);
    case 'escalation-failed':
      return escalationFailedReply(note);
    case 'case-step-failed':
      return notice(
        `⚠️ ${slackPerson(note)} Case #${note.caseNumber} was opened, but a step after it failed: ${literal(note.reason, PROSE_VALUE_MAX)}.`,
      );
    case 'ignored':
      return note.suppressesSecurityHub === undefined
        ? ignoredReply(note)
        : ignoredThreadReply({
            ...note,
            reason: note.reason ?? '',
            suppressesSecurityHub: note.suppressesSecurityHub,
          });
    case 'severity-raised':
      return severityRaisedReply(note);
    case 'already-escalated':
      return alreadyEscalatedEphemeral(note);
    case 'seen-again': {
      // Slack edits the root message instead; this is what a thread would say if asked.
      const text = `🔁 Seen again: ${note.count} times in all, last ${utcMinute(note.lastSeen) ?? literal(note.lastSeen)} · severity ${note.severity}`;
      return { text, blocks: [section(mrkdwn(text))] };
    }
    case 'sla':
      return slaReply(note, note.announcement);
    case 'notice':
      // Plain text, not mrkdwn: the note's words are shown as written, nothing in them formats or links.
      return {
        text: literal(note.text, SECTION_TEXT_MAX),
        blocks: [section(plainText(note.text, SECTION_TEXT_MAX))],
      };
    case 'lookup-results':
      return lookupResults({ reports: note.reports, sources: note.sources, now: new Date(note.at) });
    case 'response-action-result':
      return responseActionResultReply(note);
    case 'case-comment':
      return caseCommentReply(note);
    case 'triage-asked':
      return triageAskedReply({
        slackUserId: slackName(note.person),
        requestedBy: note.requestedBy === 'auto' ? 'auto' : slackName(note.requestedBy),
        timeoutMinutes: note.timeoutMinutes,
      });
    case 'triage-answered':
      return triageAnswerReply({
        slackUserId: slackName(note.person),
        response: note.response,
        onCall: note.onCall,
      });
    case 'triage-no-answer':
      return triageNoAnswerReply({
        slackUserId: slackName(note.person),
        timeoutMinutes: note.timeoutMinutes,
      });
    case 'triage-failed':
      return triageFailedReply(note.reason);
    case 'triage-question':
      return triageQuestion(note.record);
    case 'triage-closed':
      return note.response === 'noanswer'
        ? triageExpiredDm(note.record)
        : triageAnsweredDm(note.record, note.response);
  }
}
