/**
 * The Block Kit checks Slack applies when a message or a modal is posted, so the sandbox rejects what
 * Slack would reject (`invalid_blocks` with a json-pointer, `msg_blocks_too_long`) instead of letting a
 * bot bug through to production. The limits are those of Slack's Block Kit reference
 * (https://api.slack.com/reference/block-kit/blocks), as `@slack/types` documents them on each block and
 * element type.
 */
import { randomBytes } from 'node:crypto';

export const BLOCK_KIT_LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  blockId: 255,
  actionId: 255,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  /** Undocumented: Slack answers `msg_blocks_too_long` from roughly 12k characters of text across blocks. */
  messageBlocksText: 12_000,
} as const;

export type Block = Record<string, unknown> & { type: string; block_id: string };

export type BlockCheck =
  | { ok: true; blocks: Block[] }
  | {
      ok: false;
      error: 'invalid_blocks' | 'invalid_blocks_format' | 'msg_blocks_too_long';
      errors: string[];
    };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Slack's generated ids look like `Xy3kQ`: short, random, unique enough within one message. */
function generatedId(): string {
  return randomBytes(4).toString('base64url').slice(0, 5);
}

function textOf(object: unknown): string | undefined {
  return isObject(object) && typeof object.text === 'string' ? object.text : undefined;
}

/** Every text a block shows, for the total-length limit. */
function blockTexts(block: Record<string, unknown>): string[] {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      if ((value.type === 'mrkdwn' || value.type === 'plain_text') && typeof value.text === 'string')
        texts.push(value.text);
      else Object.values(value).forEach(visit);
    }
  };
  visit(block);
  return texts;
}

/**
 * Checks blocks as Slack does and returns them with Slack's generated `block_id`s and `action_id`s
 * filled in (Slack adds them, and interactions need them).
 */
export function checkBlocks(input: unknown, surface: 'message' | 'modal'): BlockCheck {
  if (!Array.isArray(input))
    return { ok: false, error: 'invalid_blocks_format', errors: ['must be an array [json-pointer:/blocks]'] };
  const errors: string[] = [];
  const max = surface === 'message' ? BLOCK_KIT_LIMITS.messageBlocks : BLOCK_KIT_LIMITS.modalBlocks;
  if (input.length > max) errors.push(`no more than ${max} items allowed [json-pointer:/blocks]`);
  const seenBlockIds = new Set<string>();
  const blocks: Block[] = [];
  let totalText = 0;

  input.forEach((raw, index) => {
    const at = `/blocks/${index}`;
    if (!isObject(raw) || typeof raw.type !== 'string') {
      errors.push(`must provide an object with a type [json-pointer:${at}]`);
      return;
    }
    const block = { ...raw } as Block;
    if (block.block_id === undefined) block.block_id = generatedId();
    if (typeof block.block_id !== 'string' || block.block_id.length > BLOCK_KIT_LIMITS.blockId)
      errors.push(
        `must be a string of at most ${BLOCK_KIT_LIMITS.blockId} characters [json-pointer:${at}/block_id]`,
      );
    else if (seenBlockIds.has(block.block_id))
      errors.push(`non-unique block_id "${block.block_id}" [json-pointer:${at}/block_id]`);
    seenBlockIds.add(String(block.block_id));

    const tooLong = (text: string | undefined, limit: number, pointer: string) => {
      if (text !== undefined && text.length > limit)
        errors.push(`must be less than ${limit + 1} characters [json-pointer:${at}${pointer}]`);
    };

    switch (block.type) {
      case 'header':
        if (!isObject(block.text) || block.text.type !== 'plain_text')
          errors.push(`must be a plain_text object [json-pointer:${at}/text]`);
        tooLong(textOf(block.text), BLOCK_KIT_LIMITS.headerText, '/text/text');
        break;
      case 'section': {
        const fields = Array.isArray(block.fields) ? block.fields : undefined;
        if (!textOf(block.text) && !fields?.length)
          errors.push(`must provide text or fields [json-pointer:${at}]`);
        tooLong(textOf(block.text), BLOCK_KIT_LIMITS.sectionText, '/text/text');
        if (fields && fields.length > BLOCK_KIT_LIMITS.sectionFields)
          errors.push(
            `no more than ${BLOCK_KIT_LIMITS.sectionFields} items allowed [json-pointer:${at}/fields]`,
          );
        fields?.forEach((field, i) =>
          tooLong(textOf(field), BLOCK_KIT_LIMITS.fieldText, `/fields/${i}/text`),
        );
        if (isObject(block.accessory)) block.accessory = withActionId(block.accessory);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > BLOCK_KIT_LIMITS.contextElements)
          errors.push(
            `must provide 1 to ${BLOCK_KIT_LIMITS.contextElements} elements [json-pointer:${at}/elements]`,
          );
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0 || elements.length > BLOCK_KIT_LIMITS.actionsElements)
          errors.push(
            `must provide 1 to ${BLOCK_KIT_LIMITS.actionsElements} elements [json-pointer:${at}/elements]`,
          );
        const seenActionIds = new Set<string>();
        block.elements = elements.map((element, i) => {
          if (!isObject(element)) {
            errors.push(`must provide an object [json-pointer:${at}/elements/${i}]`);
            return element;
          }
          const withId = withActionId(element);
          const actionId = String(withId.action_id);
          if (actionId.length > BLOCK_KIT_LIMITS.actionId)
            errors.push(`must be less than 256 characters [json-pointer:${at}/elements/${i}/action_id]`);
          if (seenActionIds.has(actionId))
            errors.push(`non-unique action_id "${actionId}" [json-pointer:${at}/elements/${i}/action_id]`);
          seenActionIds.add(actionId);
          if (withId.type === 'button') {
            tooLong(textOf(withId.text), BLOCK_KIT_LIMITS.buttonText, `/elements/${i}/text/text`);
            if (typeof withId.value === 'string')
              tooLong(withId.value, BLOCK_KIT_LIMITS.buttonValue, `/elements/${i}/value`);
            if (typeof withId.url === 'string')
              tooLong(withId.url, BLOCK_KIT_LIMITS.buttonUrl, `/elements/${i}/url`);
          }
          return withId;
        });
        break;
      }
      case 'input':
        if (isObject(block.element)) block.element = withActionId(block.element);
        break;
      default:
        break;
    }
    totalText += blockTexts(block).reduce((sum, text) => sum + text.length, 0);
    blocks.push(block);
  });

  if (errors.length) return { ok: false, error: 'invalid_blocks', errors };
  if (surface === 'message' && totalText > BLOCK_KIT_LIMITS.messageBlocksText)
    return { ok: false, error: 'msg_blocks_too_long', errors: [] };
  return { ok: true, blocks };
}

/** Slack generates an `action_id` for an interactive element that has none (images are not interactive). */
function withActionId(element: Record<string, unknown>): Record<string, unknown> {
  return element.action_id === undefined && element.type !== 'image'
    ? { ...element, action_id: generatedId() }
    : element;
}
