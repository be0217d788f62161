/**
 * Cards checked by the real adaptivecards library (its Node-loadable UMD build; the package's ESM
 * build does not load in Node), and card text rendered by markdown-it, the renderer that library hands
 * TextBlock Markdown to: what a card would show, not what its JSON looks like.
 */
import MarkdownIt from 'markdown-it';
import type { AdaptiveCard, CardElement, CardVersion } from '../../cards/core';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const AC = require('adaptivecards/dist/adaptivecards.js') as typeof import('adaptivecards');

export interface CardCheck {
  /** Parse events (unknown element or action, property newer than the target version, bad value). */
  events: string[];
  /** Validation failures (duplicate ids, missing required values). */
  failures: string[];
  /** The card as the library serialises it back for the target version. */
  reserialised: unknown;
}

const TARGETS = { '1.2': AC.Versions.v1_2, '1.3': AC.Versions.v1_3, '1.5': AC.Versions.v1_5 };

/** Parses `card` for schema `version` as a client targeting that version would. */
export function checkCard(card: AdaptiveCard, version: CardVersion | '1.2'): CardCheck {
  const target = TARGETS[version];
  const context = new AC.SerializationContext(target);
  const parsed = new AC.AdaptiveCard();
  parsed.parse(card, context);
  const events: string[] = [];
  for (let i = 0; i < context.eventCount; i += 1) events.push(context.getEventAt(i).message);
  const failures = parsed.validateProperties().validationEvents.map((event) => event.message);
  return { events, failures, reserialised: parsed.toJSON(new AC.SerializationContext(target)) };
}

/** Every text a card shows through Markdown: TextBlocks and FactSet titles and values, nested cards too. */
export function markdownTexts(card: AdaptiveCard): string[] {
  const texts: string[] = [];
  const visit = (elements: CardElement[]) => {
    for (const element of elements) {
      if (element.type === 'TextBlock') texts.push(element.text);
      if (element.type === 'FactSet') for (const fact of element.facts) texts.push(fact.title, fact.value);
      if (element.type === 'Container') visit(element.items);
      if (element.type === 'ActionSet')
        for (const action of element.actions) if (action.type === 'Action.ShowCard') visit(action.card.body);
    }
  };
  visit(card.body);
  for (const action of card.actions ?? []) if (action.type === 'Action.ShowCard') visit(action.card.body);
  return texts;
}

// Linkify on: the strictest client, one that also links bare URLs and host names.
const markdown = new MarkdownIt({ linkify: true });

/** The HTML elements (other than paragraphs and line breaks) that `text` becomes in markdown-it. */
export function markupIn(text: string): string[] {
  const html = markdown.render(text);
  const tags = html.match(/<([a-z][a-z0-9]*)\b/g) ?? [];
  return tags.map((tag) => tag.slice(1)).filter((tag) => tag !== 'p' && tag !== 'br');
}

/** The text markdown-it shows for `text`, tags removed and entities read. */
export function shownText(text: string): string {
  return markdown
    .renderInline(text)
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/**
 * The `text` of every object of `type` anywhere in `value` (a card, an activity's attachments, Slack
 * blocks): `TextBlock` by default, `mrkdwn` for Slack's formatted texts.
 */
export function textsOfType(value: unknown, type = 'TextBlock'): string[] {
  if (Array.isArray(value)) return value.flatMap((item) => textsOfType(item, type));
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  const own = record.type === type && typeof record.text === 'string' ? [record.text] : [];
  return [...own, ...Object.values(record).flatMap((item) => textsOfType(item, type))];
}
