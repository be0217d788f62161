/**
 * "Was this you?": the DM asking the person a finding is about, its replacement once answered (so it
 * cannot be answered twice), and the thread replies that tell the analysts. The alert name and summary
 * come from a finding or a SIEM: `plain_text` or `literal` only.
 */
import type { ActionsBlock, KnownBlock } from '@slack/types';
import { CHAT_PLATFORM_NAMES, type ChatPerson } from '../../src/domain/chat';
import type { TriageRecord, TriageRequest, TriageResponse } from '../../src/domain/triage';
import { TRIAGE_NO, TRIAGE_UNSURE, TRIAGE_YES } from '../actions';
import { context, mrkdwn, section } from '../elements';
import { literal, mention, plainText } from '../escape';
import { BUTTON_VALUE_MAX, HEADER_TEXT_MAX, PROSE_VALUE_MAX } from '../limits';
import { notice, type Reply } from '../replies';
import { TRIAGE_ANSWER_BLOCK } from './actions';

/** The words for each answer, as the buttons say them. */
export const TRIAGE_ANSWERS: Record<TriageResponse, string> = {
  yes: 'Yes, it was me',
  no: "No, it wasn't me",
  notsure: 'Not sure',
};

/** A summary shown in the DM: long enough to recognise the activity, short enough to read. */
const SUMMARY_MAX = 1500;
const SUBTEAM_ID = /^S[A-Z0-9]+$/;

/**
 * How a person is named in Slack text: their Slack user id (mentioned), or for a person asked on
 * another platform their e-mail and that platform, which `mention` shows as text (an e-mail is never
 * a Slack user id, so nothing from another platform can mention anyone here).
 */
export function slackName(person: ChatPerson): string {
  if (person.platform === 'slack') return person.id;
  return `${person.email ?? person.name ?? person.id} (${CHAT_PLATFORM_NAMES[person.platform]})`;
}

/** A user-group mention for an id from the config file (validated again: it must never be anything else). */
export function groupMention(groupId: string | undefined): string {
  return groupId && SUBTEAM_ID.test(groupId) ? `<!subteam^${groupId}>` : '';
}

function questionBlocks(record: TriageRecord): KnownBlock[] {
  return [
    section(
      mrkdwn(
        "👋 Hi, this is the security team's bot. We saw activity linked to your account and would like to check it was you.",
      ),
    ),
    section(plainText(record.alertName, HEADER_TEXT_MAX)),
    section(plainText(record.summary, SUMMARY_MAX)),
    context(mrkdwn(`How sure we are this is about you: *${literal(record.identityConfidence, 40)}*`)),
  ];
}

/** The DM with the three answers; each button carries the triage id. */
export function triageQuestion(record: TriageRecord): Reply {
  const value = record.id.slice(0, BUTTON_VALUE_MAX);
  const actions: ActionsBlock = {
    type: 'actions',
    block_id: TRIAGE_ANSWER_BLOCK,
    elements: [
      {
        type: 'button',
        action_id: TRIAGE_YES,
        style: 'primary',
        text: plainText(TRIAGE_ANSWERS.yes, 75),
        value,
      },
      {
        type: 'button',
        action_id: TRIAGE_NO,
        style: 'danger',
        text: plainText(TRIAGE_ANSWERS.no, 75),
        value,
        confirm: {
          title: { type: 'plain_text', text: 'Are you sure?' },
          text: { type: 'mrkdwn', text: 'The security team will be alerted and will contact you.' },
          confirm: { type: 'plain_text', text: "It wasn't me" },
          deny: { type: 'plain_text', text: 'Go back' },
        },
      },
      { type: 'button', action_id: TRIAGE_UNSURE, text: plainText(TRIAGE_ANSWERS.notsure, 75), value },
    ],
  };
  return {
    text: `Security check: was this you? ${literal(record.alertName, 200)}`,
    blocks: [...questionBlocks(record), actions],
  };
}

const AFTER_ANSWER: Record<TriageResponse, string> = {
  yes: 'Thanks, recorded. Nothing else to do.',
  no: 'Thanks, recorded. The security team has been alerted and will contact you.',
  notsure: 'Thanks, recorded. Someone from the security team will follow up with you.',
};

/** The DM once answered: the question without buttons, and the answer. */
export function triageAnsweredDm(record: TriageRecord, response: TriageResponse): Reply {
  return {
    text: `Thanks, recorded: ${TRIAGE_ANSWERS[response]}`,
    blocks: [
      ...questionBlocks(record),
      section(mrkdwn(`✅ *${TRIAGE_ANSWERS[response]}* · ${AFTER_ANSWER[response]}`)),
    ],
  };
}

/** The DM once the time to answer has passed. */
export function triageExpiredDm(record: TriageRecord): Reply {
  return {
    text: 'This security question has expired.',
    blocks: [
      ...questionBlocks(record),
      section(
        mrkdwn('⌛ This question has expired. If you have concerns, please contact the security team.'),
      ),
    ],
  };
}

/** Thread reply: who was asked, by whom, for how long. */
export function triageAskedReply(input: {
  slackUserId: string;
  requestedBy: string;
  timeoutMinutes: number;
}): Reply {
  const by =
    input.requestedBy === 'auto' ? 'automatically (configured rule)' : `by ${mention(input.requestedBy)}`;
  return notice(
    `❓ Asked ${mention(input.slackUserId)} "was this you?" (${by}). Waiting up to ${input.timeoutMinutes} minutes.`,
  );
}

/** Thread reply with the answer; "No" pages the on-call group. */
export function triageAnswerReply(input: {
  slackUserId: string;
  response: TriageResponse;
  onCall?: string;
}): Reply {
  const answer = TRIAGE_ANSWERS[input.response];
  if (input.response !== 'no') return notice(`💬 ${mention(input.slackUserId)} answered: *${answer}*`);
  const page = groupMention(input.onCall);
  return notice(
    `🚨 ${mention(input.slackUserId)} answered: *${answer}*. This activity needs attention${page ? ` ${page}` : ''}.`,
  );
}

/** Thread reply when nobody answered in time. */
export function triageNoAnswerReply(input: { slackUserId: string; timeoutMinutes: number }): Reply {
  return notice(`⌛ No answer from ${mention(input.slackUserId)} within ${input.timeoutMinutes} minutes.`);
}

/** Thread reply when the person could not be asked. */
export function triageFailedReply(reason: string): Reply {
  return notice(`⚠️ Couldn't ask "was this you?": ${literal(reason, PROSE_VALUE_MAX)}`);
}

/**
 * A SIEM's question answered "No" for an alert Hivewire has no thread for: a message in the alerts
 * channel, paging the on-call group.
 */
export function triageRaisedMessage(input: {
  record: TriageRecord;
  slackUserId: string;
  onCall?: string;
}): Reply {
  const page = groupMention(input.onCall);
  const line =
    `🚨 ${mention(input.slackUserId)} answered *${TRIAGE_ANSWERS.no}* to ${literal(input.record.alertName, 200)}` +
    ` (SIEM ${literal(input.record.identifier ?? input.record.id, 80)})${page ? ` ${page}` : ''}`;
  return {
    text: line,
    blocks: [section(mrkdwn(line)), context(plainText(input.record.summary, SUMMARY_MAX))],
  };
}

/** Private answer to the Ask the user button. */
export function triageRequestNotice(result: TriageRequest): Reply {
  switch (result.outcome) {
    case 'requested':
      return notice(
        '❓ Asking the person this finding is about "was this you?"… the answer will be threaded here.',
      );
    case 'pending':
      return notice(
        `A "was this you?" question is already waiting for an answer${result.person ? ` from ${mention(slackName(result.person))}` : ''}.`,
      );
    case 'no-person':
      return notice('This finding names no person to ask.');
    case 'no-email':
      return notice(
        `No e-mail address is known for ${literal(result.name)}: add it under \`users\` in the config file.`,
      );
    case 'unknown-alert':
      return notice('Hivewire does not know this alert (it may come from another installation).');
  }
}

/** Why a click on a question's answer is not recorded, in words every platform shows. */
export const TRIAGE_ANSWER_REFUSALS = {
  'not-yours': 'This question was sent to someone else.',
  closed: 'This question was already answered or has expired. Thanks all the same.',
  unknown: 'Hivewire no longer knows this question.',
  'no-question': 'You have no "was this you?" question waiting for an answer.',
} as const;

/** Private answer to a click on the DM's buttons that cannot be recorded. */
export function triageAnswerNotice(outcome: keyof typeof TRIAGE_ANSWER_REFUSALS): Reply {
  return notice(TRIAGE_ANSWER_REFUSALS[outcome]);
}
