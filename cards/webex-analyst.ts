/**
 * Webex messages for the analyst actions: threat-intel lookup results (`@Hivewire lookup`, Enrich) and
 * response actions (the answer to a click, the result in the alert's thread). The lookup lines are
 * the Slack ones (blocks/analyst/lookup.ts) written in Webex markdown; every value a service or the
 * configuration gives goes through `webexText`, and the only links are report pages the line builder
 * checked the host of.
 */
import { markdownLookupParagraphs, skippedSentence, type LookupMarkup } from '../blocks/analyst/lookup';
import { webUrlHost } from '../blocks/elements';
import { PROSE_VALUE_MAX } from '../blocks/limits';
import { markdownLink } from '../src/cases/markdown';
import type { ResponseActionOffer } from '../src/domain/response-actions';
import type { SourceName, TargetReport } from '../src/domain/lookups';
import { webexMention, webexNotice, webexPerson, webexText, type WebexMessageContent } from './webex';
import type { NoteOf } from '../src/domain/notes';

/** Room left under Webex's 7439-byte message limit for the head and the footer. */
const LOOKUP_BODY_BYTES = 6_500;

const WEBEX_MARKUP: LookupMarkup = {
  bold: (words) => `**${words}**`,
  text: (value, max) => webexText(value, max),
  link: (url, label) => markdownLink(label, url),
};

/** The results of one lookup, within Webex's message size (indicators left out are counted). */
export function webexLookupResults(input: {
  reports: TargetReport[];
  sources: SourceName[];
  now: Date;
}): WebexMessageContent {
  return webexNotice(markdownLookupParagraphs(input, WEBEX_MARKUP, LOOKUP_BODY_BYTES).join('\n\n'));
}

type Skipped = { value: string; reason: string }[];

/** What was left out of a lookup and why, as a sentence (empty when nothing was). */
function skippedWords(skipped: Skipped): string {
  return skippedSentence(skipped, webexText);
}

/** The answer while a lookup runs: how many indicators, and what was left out and why. */
export function webexLookupStarted(personId: string, count: number, skipped: Skipped): WebexMessageContent {
  return webexNotice(
    `🔎 ${webexMention(personId)} Looking up ${count} indicator${count === 1 ? '' : 's'}… the results follow in this thread.${skippedWords(skipped)}`,
  );
}

/** The answer to `@Hivewire lookup` with nothing that can be looked up. */
export function webexNothingToLookUp(skipped: Skipped): WebexMessageContent {
  return webexNotice(
    `Nothing to look up: give public IPs, domains, URLs or hashes, e.g. \`@Hivewire lookup 203.0.113.7 evil.example\`.${skippedWords(skipped)}`,
  );
}

/** What a response-action click got, said in the thread to the person who clicked. */
export function webexResponseActionAnswer(
  personId: string,
  outcome:
    | { outcome: 'requested' | 'refused'; action: ResponseActionOffer }
    | { outcome: 'unknown-action' | 'unknown-alert' }
    | { outcome: 'not-applicable'; action: ResponseActionOffer },
): WebexMessageContent {
  const who = webexMention(personId);
  switch (outcome.outcome) {
    case 'requested':
      return webexNotice(
        `▶️ ${who} Running **${webexText(outcome.action.label)}**… the result follows in this thread.`,
      );
    case 'refused':
      return webexNotice(
        `⛔ ${who} You are not allowed to run **${webexText(outcome.action.label)}**: on Webex only the Hivewire admins (\`webex.admins\` in the config file) may run a response action.`,
      );
    case 'unknown-action':
      return webexNotice(`${who} This response action is no longer configured.`);
    case 'unknown-alert':
      return webexNotice(`${who} Hivewire does not know this alert.`);
    case 'not-applicable':
      return webexNotice(`${who} This response action does not apply to this finding's type.`);
  }
}

/** Thread reply: what the action did, or why it failed. */
export function webexResponseActionResult(
  input: Omit<NoteOf<'response-action-result'>, 'kind'>,
): WebexMessageContent {
  const link = input.link && webUrlHost(input.link) ? ` · ${markdownLink('execution', input.link)}` : '';
  const label = `**${webexText(input.label)}** (run by ${webexPerson(input)})`;
  return webexNotice(
    input.ok
      ? `✅ ${label} succeeded: ${webexText(input.summary, PROSE_VALUE_MAX)}${link}`
      : `❌ ${label} failed: ${webexText(input.summary, PROSE_VALUE_MAX)}`,
  );
}
