/**
 * Checks on rendered Slack messages, independent of the builders in `blocks/`: every text object,
 * whether untrusted text in them is inert, and whether Block Kit's limits (Slack's documented values,
 * kept in one place in blocks/limits.ts) hold.
 */
import {
  ACTIONS_ELEMENTS_MAX,
  BUTTON_TEXT_MAX,
  BUTTON_URL_MAX,
  BUTTON_VALUE_MAX,
  CONTEXT_ELEMENTS_MAX,
  FALLBACK_TEXT_MAX,
  HEADER_TEXT_MAX,
  MESSAGE_BLOCKS_MAX,
  SECTION_FIELD_TEXT_MAX,
  SECTION_FIELDS_MAX,
  SECTION_TEXT_MAX,
  TEXT_OBJECT_MAX,
} from '../../blocks/limits';

export interface TextObject {
  /** `plain_text`, `mrkdwn`, or `fallback` for the message's top-level `text`. */
  type: string;
  text: string;
  /** Where it is, e.g. `blocks[2].fields[0]`. */
  path: string;
}

/** Every text object in `message`, found by walking its JSON (plus the top-level `text`). */
export function textObjects(message: { text: string; blocks: unknown[] }): TextObject[] {
  const found: TextObject[] = [{ type: 'fallback', text: message.text, path: 'text' }];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => walk(item, `${path}[${index}]`));
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const object = value as Record<string, unknown>;
    if ((object.type === 'mrkdwn' || object.type === 'plain_text') && typeof object.text === 'string') {
      found.push({ type: object.type, text: object.text, path });
      return;
    }
    for (const [key, child] of Object.entries(object)) walk(child, `${path}.${key}`);
  };
  walk(message.blocks, 'blocks');
  return found;
}

/** Mentions and links that Hivewire itself writes. */
const OWN_TOKENS = /<@[UW][A-Z0-9]+>|<https?:\/\/[^\s<>|]+\|[^<>|]+>/g;

/**
 * What is wrong with `text` as mrkdwn carrying untrusted input, or undefined: once the mentions and
 * links Hivewire writes are removed, no `<` or `>` may remain and every `&` must start an entity.
 */
export function mrkdwnProblem(text: string): string | undefined {
  const rest = text.replace(OWN_TOKENS, '');
  if (/[<>]/.test(rest)) return `raw < or > in ${JSON.stringify(text)}`;
  if (/&(?!amp;|lt;|gt;)/.test(rest)) return `bare & in ${JSON.stringify(text)}`;
  return undefined;
}

/** Total text length of all text objects in blocks (what Slack counts toward `msg_blocks_too_long`). */
export function blocksTextLength(message: { text: string; blocks: unknown[] }): number {
  return textObjects(message)
    .filter((object) => object.type !== 'fallback')
    .reduce((total, object) => total + object.text.length, 0);
}

interface AnyBlock {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text?: { text: string } | string; value?: string; url?: string }[];
}

/** Block Kit limits a message breaks (empty when it is valid). */
export function limitViolations(message: { text: string; blocks: unknown[] }): string[] {
  const problems: string[] = [];
  const blocks = message.blocks as AnyBlock[];
  if (blocks.length > MESSAGE_BLOCKS_MAX) problems.push(`${blocks.length} blocks`);
  if (message.text.length > FALLBACK_TEXT_MAX) problems.push(`fallback text ${message.text.length}`);
  blocks.forEach((block, index) => {
    const at = `blocks[${index}]`;
    if (block.type === 'header') {
      if (block.text?.type !== 'plain_text') problems.push(`${at} header not plain_text`);
      if ((block.text?.text.length ?? 0) > HEADER_TEXT_MAX)
        problems.push(`${at} header ${block.text?.text.length}`);
    }
    if (block.type === 'section') {
      if (block.text && block.text.text.length > SECTION_TEXT_MAX)
        problems.push(`${at} section text ${block.text.text.length}`);
      if ((block.fields?.length ?? 0) > SECTION_FIELDS_MAX)
        problems.push(`${at} ${block.fields?.length} fields`);
      for (const field of block.fields ?? [])
        if (field.text.length > SECTION_FIELD_TEXT_MAX) problems.push(`${at} field ${field.text.length}`);
    }
    if (block.type === 'context' && (block.elements?.length ?? 0) > CONTEXT_ELEMENTS_MAX)
      problems.push(`${at} context elements`);
    if (block.type === 'actions') {
      if ((block.elements?.length ?? 0) > ACTIONS_ELEMENTS_MAX) problems.push(`${at} actions elements`);
      for (const element of block.elements ?? []) {
        const label = typeof element.text === 'object' ? element.text.text : '';
        if (label.length > BUTTON_TEXT_MAX) problems.push(`${at} button text ${label.length}`);
        if ((element.value?.length ?? 0) > BUTTON_VALUE_MAX)
          problems.push(`${at} button value ${element.value?.length}`);
        if ((element.url?.length ?? 0) > BUTTON_URL_MAX) problems.push(`${at} button url`);
      }
    }
  });
  for (const object of textObjects(message)) {
    if (object.type !== 'fallback' && object.text.length === 0) problems.push(`${object.path} empty`);
    if (object.type !== 'fallback' && object.text.length > TEXT_OBJECT_MAX)
      problems.push(`${object.path} over ${TEXT_OBJECT_MAX}`);
  }
  return problems;
}

/** True when `text` holds half of a surrogate pair (a split emoji). */
export function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
