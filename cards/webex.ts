/**
 * Webex messages: what Hivewire posts in a Webex space, built from the card core. An alert is a
 * message with a `markdown` fallback (notifications, clients without cards) and one Adaptive Card 1.3
 * attachment; thread replies and notices are markdown messages.
 *
 * Webex message markdown is CommonMark plus mentions: `<@personId:ID|name>`, `<@personEmail:…>` and
 * `<@all>` notify people. Finding text is escaped as for cards (cards/escape.ts), and `<@` becomes
 * `&lt;@`, which reads the same and mentions nobody. The only mentions are the ones
 * {@link webexMention} builds from an id Webex gave Hivewire; a person of another platform is named
 * by {@link webexPerson} as text.
 */
import type { AlertRecord, CaseChange } from '../src/domain/alert';
import { isOwnPerson, type NotePerson } from '../src/domain/notes';
import { SEVERITIES } from '../src/domain/finding';
import { utcMinute } from '../blocks/alert';
import { trustedCaseUrl } from '../blocks/case-link';
import { PROSE_VALUE_MAX, TEXT_LINK_URL_MAX, VALUE_MAX } from '../blocks/limits';
import { markdownLink } from '../src/cases/markdown';
import { alertCard, alertSummary, type AlertCardOptions } from './alert';
import { ADAPTIVE_CARD_CONTENT_TYPE, type AdaptiveCard } from './core';
import { caseChangeLine } from './case-change';
import { cardText } from './escape';

/** (contract) The Adaptive Card version Webex renders. */
export const WEBEX_CARD_VERSION = '1.3';

/** The body of a Webex message Hivewire posts (`POST /v1/messages` without its destination). */
export interface WebexMessageContent {
  markdown: string;
  attachments?: { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: AdaptiveCard }[];
}

/** Escaped markdown that mentions nobody: `<@…>` from a finding reads as it came. */
function mentionsNobody(markdown: string): string {
  return markdown.replace(/<@/g, '&lt;@');
}

/** Untrusted text for a Webex markdown message, on one line, at most `max` characters before escaping. */
export function webexText(value: string, max: number = VALUE_MAX): string {
  return mentionsNobody(cardText(value, max));
}

/**
 * A mention of a Webex person Hivewire knows by the id Webex gave it (the clicker, the sender of a
 * command); anything that is not a Webex id is shown as text and mentions nobody.
 */
export function webexMention(personId: string, name?: string): string {
  if (!/^[A-Za-z0-9_-]{20,400}$/.test(personId)) return webexText(personId);
  // `|` and `>` would end the label early: they go before escaping.
  const label = name ? `|${webexText(name.replace(/[|>]/g, ' '), 60)}` : '';
  return `<@personId:${personId}${label}>`;
}

/**
 * The person a thread note names: a Webex person is mentioned; a person of another platform (a Slack
 * user id, a Teams id, which Webex would show as a meaningless string) is shown by their name, or their
 * id when no name is known, as text that mentions, links and formats nothing. A note without the
 * person's platform (stored before it was recorded) mentions them when it has no name: only Slack and
 * Teams clicks carried one then.
 */
export function webexPerson(note: NotePerson): string {
  const own = isOwnPerson(note, 'webex') ?? note.personName === undefined;
  return own ? webexMention(note.person) : webexText(note.personName ?? note.person);
}

/** A card message: the card and its fallback. */
export function cardMessage(card: AdaptiveCard, fallback: string): WebexMessageContent {
  return {
    markdown: mentionsNobody(fallback),
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: card }],
  };
}

/** The alert message: the card in its current state, and its one-line summary as the fallback. */
export function webexAlertMessage(alert: AlertRecord, options: AlertCardOptions = {}): WebexMessageContent {
  return cardMessage(alertCard(alert, WEBEX_CARD_VERSION, options), alertSummary(alert));
}

/** A markdown message in Hivewire's words (finding text in it already went through {@link webexText}). */
export function webexNotice(markdown: string): WebexMessageContent {
  return { markdown };
}

/** Names the case, as a link when its URL is trusted. */
export function caseLink(caseNumber: number | undefined, caseUrl: string | undefined): string {
  const name = caseNumber !== undefined && Number.isSafeInteger(caseNumber) ? `Case #${caseNumber}` : 'Case';
  const url = trustedCaseUrl(caseUrl);
  return url && url.length <= TEXT_LINK_URL_MAX ? markdownLink(name, url) : name;
}

/** Thread reply when the case exists: who escalated, how many observables went with it, the link. */
export function webexCaseOpened(
  input: {
    caseNumber: number;
    caseUrl: string;
    observableCount: number;
  } & NotePerson,
): WebexMessageContent {
  const count = Math.max(0, Math.trunc(input.observableCount));
  const observables = count === 1 ? '1 observable' : `${count} observables`;
  return webexNotice(
    `📁 ${caseLink(input.caseNumber, input.caseUrl)} opened in TheHive by ${webexPerson(input)} with ${observables}`,
  );
}

/** Thread reply for a TheHive change, in lines already written for Webex by the caller. */
export function webexCaseChanged(input: {
  caseNumber?: number;
  caseUrl?: string;
  actor: string;
  lines: string[];
}): WebexMessageContent {
  return webexNotice(
    [
      `${caseLink(input.caseNumber, input.caseUrl)} updated in TheHive by ${webexText(input.actor)}`,
      ...input.lines,
    ].join('  \n'),
  );
}

/** Thread reply when someone ignores the alert. */
export function webexIgnored(person: NotePerson, reason?: string): WebexMessageContent {
  const why = reason?.trim() ? `: ${webexText(reason, PROSE_VALUE_MAX)}` : '';
  return webexNotice(`🙈 Ignored by ${webexPerson(person)}${why}`);
}

/** Thread reply when escalation failed for good. */
export function webexEscalationFailed(person: NotePerson, reason: string): WebexMessageContent {
  return webexNotice(
    `⚠️ ${webexPerson(person)} Couldn't create the case: ${webexText(reason, PROSE_VALUE_MAX)}. The Create Case button works again.`,
  );
}

/** Thread reply when a republished finding is seen again: the card itself cannot be edited. */
export function webexSeenAgain(
  alert: Pick<AlertRecord, 'count' | 'lastSeen' | 'severity'>,
): WebexMessageContent {
  return webexNotice(
    `🔁 Seen again: ${alert.count} times in all, last ${utcMinute(alert.lastSeen) ?? webexText(alert.lastSeen)} · severity ${alert.severity}`,
  );
}

/** `@Hivewire help`. */
export function webexHelp(): WebexMessageContent {
  return webexNotice(
    [
      '**Hivewire** turns security findings into alerts in this space and opens TheHive cases from them.',
      `- \`@Hivewire threshold\` shows the severity threshold; \`@Hivewire threshold LEVEL\` sets it (admins only), LEVEL one of ${SEVERITIES.join(', ')}`,
      "- `@Hivewire case 42` shows case #42's state",
      '- `@Hivewire lookup VALUES…` looks up IPs, domains, URLs and hashes',
      '- `@Hivewire help` shows this help',
      '',
      'On an alert: **Create Case** opens a TheHive case · **Ignore** asks why · **Enrich** threads threat intel on its indicators.',
    ].join('\n'),
  );
}

/** One case change, in the thread's words. */
export function webexCaseChangeLine(change: CaseChange): string {
  return caseChangeLine(change, webexText);
}
