/**
 * Small Block Kit builders shared by the alert and the thread replies. They take Hivewire's own
 * words or text already made safe by `escape.ts`; they never escape anything themselves.
 */
import type { Button, ContextBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import { plainText } from './escape';
import { BUTTON_TEXT_MAX, BUTTON_URL_MAX } from './limits';

/**
 * A `mrkdwn` object. `verbatim` stops Slack's own preprocessing (auto-linking bare URLs and
 * `#channel` names); the links and mentions Hivewire writes explicitly still work.
 */
export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text, verbatim: true };
}

/** A section with one text object. */
export function section(text: MrkdwnElement | PlainTextElement): SectionBlock {
  return { type: 'section', text };
}

/** A context block (small grey text). */
export function context(...elements: (MrkdwnElement | PlainTextElement)[]): ContextBlock {
  return { type: 'context', elements };
}

// Scheme, then an authority without userinfo (`https://console.aws.amazon.com@evil.example/` would
// otherwise pass for an AWS link), then an optional path/query without characters Slack treats as
// markup or that break a `<url|label>` link.
const WEB_URL = /^https?:\/\/([^\s/?#<>|@\\]+)([/?#][^\s<>|]*)?$/i;

/** The host of an http(s) URL that is safe to link, or undefined when the URL must not be linked. */
export function webUrlHost(url: string | undefined): string | undefined {
  if (url === undefined || url.length > BUTTON_URL_MAX) return undefined;
  return WEB_URL.exec(url)?.[1]?.toLowerCase();
}

/** A link button (Slack still sends the click; the listeners acknowledge it). */
export function linkButton(actionId: string, label: string, url: string): Button {
  return { type: 'button', action_id: actionId, text: plainText(label, BUTTON_TEXT_MAX), url };
}

/** A `<url|label>` mrkdwn link for a URL that passed {@link webUrlHost}; `label` is Hivewire's words. */
export function slackLink(url: string, label: string): string {
  return `<${url.replace(/&/g, '&amp;')}|${label}>`;
}
