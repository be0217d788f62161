/**
 * Thread replies under an alert and ephemeral answers to the person who clicked: short, one fact
 * each, everything from TheHive, a finding or a user escaped.
 */
import type { KnownBlock } from '@slack/types';
import type { Severity } from '../src/domain/finding';
import type { AlertRecord, CaseChange } from '../src/domain/alert';
import { caseName, trustedCaseUrl } from './case-link';
import { context, mrkdwn, section, slackLink } from './elements';
import { isSlackUserId, literal, mention, plainText, slackPerson } from './escape';
import type { NotePerson } from '../src/domain/notes';
import {
  CASE_SUMMARY_MAX,
  PROSE_VALUE_MAX,
  SECTION_TEXT_MAX,
  TAGS_SHOWN_MAX,
  TEXT_LINK_URL_MAX,
} from './limits';

/** A thread reply or an ephemeral answer. */
export interface Reply {
  text: string;
  blocks: KnownBlock[];
}

/** TheHive 5 case severity 1–4. */
const CASE_SEVERITIES = ['', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
/** TLP 2.0 as TheHive 5.2+ numbers it (RED moved from 3 to 4). */
const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
const PAP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'];
const LEVEL_LABELS: Record<'severity' | 'tlp' | 'pap', string[]> = {
  severity: CASE_SEVERITIES,
  tlp: TLP_LABELS,
  pap: PAP_LABELS,
};
const LEVEL_NAMES: Record<'severity' | 'tlp' | 'pap', string> = {
  severity: 'Severity',
  tlp: 'TLP',
  pap: 'PAP',
};

function reply(line: string, ...more: KnownBlock[]): Reply {
  return { text: line, blocks: [section(mrkdwn(line)), ...more] };
}

function levelName(field: 'severity' | 'tlp' | 'pap', value: number | undefined): string {
  if (value === undefined) return 'unset';
  const label = Number.isInteger(value) ? LEVEL_LABELS[field][value] : undefined;
  return label || literal(String(value));
}

function tagList(sign: string, tags: string[]): string {
  const shown = tags.slice(0, TAGS_SHOWN_MAX).map((tag) => `${sign}${literal(tag)}`);
  if (tags.length > TAGS_SHOWN_MAX) shown.push(`${sign}${tags.length - TAGS_SHOWN_MAX} more`);
  return shown.join(' ');
}

/** One line per change, in the thread's words. */
function changeLine(change: CaseChange): string {
  switch (change.field) {
    case 'status':
      if (change.stage === 'Closed') return `✅ Closed as ${literal(change.to)}`;
      return `🔄 Status ${change.from === undefined ? '' : `${literal(change.from)} → `}${literal(change.to)}`;
    case 'assignee': {
      const to = isSlackUserId(change.toSlackUser)
        ? mention(change.toSlackUser)
        : change.to
          ? literal(change.to)
          : undefined;
      if (to === undefined) return `👤 Unassigned${change.from ? ` (was ${literal(change.from)})` : ''}`;
      return `👤 Assigned to ${to}${change.from ? ` (was ${literal(change.from)})` : ''}`;
    }
    case 'severity':
    case 'tlp':
    case 'pap':
      return `🎚️ ${LEVEL_NAMES[change.field]} ${levelName(change.field, change.from)} → ${levelName(change.field, change.to)}`;
    case 'title':
      return `✏️ Title changed to ${change.to?.trim() ? literal(change.to, PROSE_VALUE_MAX) : 'nothing'}`;
    case 'tags':
      return `🏷️ Tags ${[tagList('+', change.added), tagList('−', change.removed)].filter(Boolean).join(' ')}`;
    case 'gone':
      return change.to === 'deleted' ? '🗑️ Deleted in TheHive' : '🔀 Merged into another case in TheHive';
  }
}

/** Keeps whole lines within `max` characters, saying how many were left out. */
function fitLines(first: string, lines: string[], max: number): string {
  let text = first;
  for (let i = 0; i < lines.length; i += 1) {
    const line = `\n${lines[i]}`;
    const left = lines.length - i - 1;
    if (text.length + line.length + (left > 0 ? 24 : 0) > max)
      return `${text}\n+${lines.length - i} more changes`;
    text += line;
  }
  return text;
}

/** The case URL when it can be written as a mrkdwn link. */
function linkableCaseUrl(caseUrl: string | undefined): string | undefined {
  const url = trustedCaseUrl(caseUrl);
  return url && url.length <= TEXT_LINK_URL_MAX ? url : undefined;
}

/** Names the case, as a link to it when its URL can be trusted. */
function caseLabel(caseNumber: number | undefined, caseUrl: string | undefined): string {
  const name = caseName({ caseNumber });
  const url = linkableCaseUrl(caseUrl);
  return url ? slackLink(url, name) : name;
}

/** Thread reply when the case exists: who escalated, how many observables went with it, the link. */
export function caseOpenedReply(
  input: {
    caseNumber: number;
    caseUrl: string;
    observableCount: number;
  } & NotePerson,
): Reply {
  const observables =
    input.observableCount === 1
      ? '1 observable'
      : `${Math.max(0, Math.trunc(input.observableCount))} observables`;
  return reply(
    `📁 ${caseLabel(input.caseNumber, input.caseUrl)} opened in TheHive by ${slackPerson(input)} with ${observables}`,
  );
}

/**
 * One compact thread reply for the changes TheHive reported in one event (status "New → InProgress",
 * assignee, severity, TLP/PAP, title, tags, closed with its summary, deleted, merged), naming who
 * made them in TheHive.
 */
export function caseChangeReply(input: {
  caseNumber?: number;
  caseUrl?: string;
  changes: CaseChange[];
  actor: string;
}): Reply {
  const label = caseLabel(input.caseNumber, input.caseUrl);
  const lines = input.changes.map(changeLine);
  const by = ` by ${literal(input.actor)}`;
  const first = `${label} updated in TheHive${by}`;
  const summary = input.changes.find(
    (change): change is Extract<CaseChange, { field: 'status' }> =>
      change.field === 'status' && change.stage === 'Closed' && Boolean(change.summary?.trim()),
  )?.summary;
  const blocks: KnownBlock[] = [section(mrkdwn(fitLines(first, lines, SECTION_TEXT_MAX)))];
  if (summary) blocks.push(context(plainText(summary, CASE_SUMMARY_MAX)));
  const fallbackName = caseName({ caseNumber: input.caseNumber });
  const text =
    lines.length === 0
      ? first
      : `${fallbackName}: ${lines[0]}${lines.length > 1 ? ` (+${lines.length - 1} more)` : ''}${by}`;
  return { text, blocks };
}

/** The message metadata of a TheHive comment threaded into Slack: how a retry finds its own reply. */
export const CASE_COMMENT_EVENT_TYPE = 'hivewire_case_comment';

/**
 * A TheHive comment threaded under the alert: "<login> in TheHive" with the case link, then the
 * comment's text as `plain_text` (Slack parses nothing in it: no mention, link or formatting), its
 * line breaks kept. The comment id rides as message metadata.
 */
export function caseCommentReply(input: {
  login: string;
  message: string;
  commentId: string;
  caseNumber?: number;
  caseUrl?: string;
}): Reply & { metadata: { event_type: string; event_payload: { commentId: string } } } {
  const who = `💬 ${literal(input.login)} in TheHive on ${caseLabel(input.caseNumber, input.caseUrl)}`;
  return {
    text: `${literal(input.login)} in TheHive: ${literal(input.message, PROSE_VALUE_MAX)}`,
    blocks: [context(mrkdwn(who)), section(plainText(input.message, SECTION_TEXT_MAX))],
    metadata: { event_type: CASE_COMMENT_EVENT_TYPE, event_payload: { commentId: input.commentId } },
  };
}

/** Thread reply when escalation failed for good: what went wrong, and that the button works again. */
export function escalationFailedReply(input: { reason: string } & NotePerson): Reply {
  return reply(
    `⚠️ ${slackPerson(input)} Couldn't create the case: ${literal(input.reason, PROSE_VALUE_MAX)}. ` +
      'The Create Case button works again.',
  );
}

/** Thread reply when someone ignores the alert. */
export function ignoredReply(input: { reason?: string } & NotePerson): Reply {
  const reason = input.reason?.trim() ? `: ${literal(input.reason, PROSE_VALUE_MAX)}` : '';
  return reply(`🙈 Ignored by ${slackPerson(input)}${reason}`);
}

/** Thread reply when a redelivered finding is more severe than before (an ignored alert opens again). */
export function severityRaisedReply(input: {
  from: Severity;
  to: Severity;
  reopened: boolean;
  count?: number;
}): Reply {
  const seen =
    input.count !== undefined && Number.isSafeInteger(input.count) && input.count > 1
      ? ` (seen ${input.count} times)`
      : '';
  const reopened = input.reopened ? ' It was ignored and is open again.' : '';
  return reply(`⬆️ Severity rose ${input.from} → ${input.to}${seen}.${reopened}`);
}

/** Ephemeral answer to a second "Create Case" click: the case that already exists. */
export function alreadyEscalatedEphemeral(
  alert: Pick<AlertRecord, 'caseNumber' | 'caseId' | 'caseUrl' | 'escalatedBy' | 'escalatedByName'>,
): Reply {
  const url = linkableCaseUrl(alert.caseUrl);
  const name = caseName(alert);
  const by = alert.escalatedBy
    ? ` (escalated by ${slackPerson({ person: alert.escalatedBy, personName: alert.escalatedByName })})`
    : '';
  return reply(
    url ? `${name} already exists: ${slackLink(url, 'Open in TheHive')}${by}` : `${name} already exists${by}`,
  );
}

/**
 * A short answer in Hivewire's own words (ephemeral or in a thread). `text` is mrkdwn written by
 * Hivewire: anything from a finding, TheHive or a user in it must already be a `literal`/`mention`.
 */
export function notice(text: string): Reply {
  return reply(text);
}
