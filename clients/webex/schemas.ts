/**
 * The Webex REST API resources Hivewire reads, as zod schemas: every answer is checked before use.
 * Only the fields Hivewire needs are required; Webex adds fields over time and they pass through.
 * Shapes as developer.webex.com documents them (Messages, Attachment Actions, People, Rooms, Webhooks).
 */
import * as z from '../../src/validation/zod';

export const messageSchema = z.looseObject({
  id: z.string(),
  roomId: z.string(),
  roomType: z.optional(z.enum(['direct', 'group'])),
  parentId: z.optional(z.string()),
  text: z.optional(z.string()),
  markdown: z.optional(z.string()),
  html: z.optional(z.string()),
  personId: z.string(),
  personEmail: z.optional(z.string()),
  mentionedPeople: z.optional(z.array(z.string())),
  attachments: z.optional(z.array(z.looseObject({ contentType: z.string(), content: z.unknown() }))),
  created: z.string(),
  updated: z.optional(z.string()),
});
export type WebexMessage = z.infer<typeof messageSchema>;

export const attachmentActionSchema = z.looseObject({
  id: z.string(),
  type: z.literal('submit'),
  messageId: z.string(),
  /** The card's inputs and the submit action's `data`, merged by Webex into one object. */
  inputs: z.record(z.string(), z.unknown()),
  personId: z.string(),
  roomId: z.string(),
  created: z.string(),
});
export type WebexAttachmentAction = z.infer<typeof attachmentActionSchema>;

export const personSchema = z.looseObject({
  id: z.string(),
  emails: z.array(z.string()),
  displayName: z.optional(z.string()),
  nickName: z.optional(z.string()),
  orgId: z.optional(z.string()),
  type: z.optional(z.string()),
  created: z.optional(z.string()),
});
export type WebexPerson = z.infer<typeof personSchema>;

export const roomSchema = z.looseObject({
  id: z.string(),
  title: z.optional(z.string()),
  type: z.enum(['direct', 'group']),
  isLocked: z.optional(z.boolean()),
  created: z.optional(z.string()),
});
export type WebexRoom = z.infer<typeof roomSchema>;

export const webhookSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  targetUrl: z.string(),
  resource: z.string(),
  event: z.string(),
  filter: z.optional(z.string()),
  status: z.optional(z.enum(['active', 'inactive'])),
  created: z.optional(z.string()),
});
export type WebexWebhook = z.infer<typeof webhookSchema>;

/** A list answer: Webex wraps every collection in `items`. */
export function listOf<T extends z.ZodMiniType>(item: T) {
  return z.looseObject({ items: z.array(item) });
}

/** Webex's error body: a message, the errors behind it, and the tracking id support asks for. */
export const errorBodySchema = z.looseObject({
  message: z.string(),
  errors: z.optional(z.array(z.looseObject({ description: z.string() }))),
  trackingId: z.optional(z.string()),
});

/**
 * A webhook delivery (`POST /webex/events`): which resource and event, and the id of what happened.
 * `data` holds ids only for encrypted content (a card's inputs, a message's text): they are read back
 * with the bot token.
 */
export const webhookDeliverySchema = z.looseObject({
  id: z.string(),
  name: z.optional(z.string()),
  resource: z.enum(['messages', 'attachmentActions']),
  event: z.literal('created'),
  actorId: z.optional(z.string()),
  /** The webhook's owner: the bot, for the webhooks Hivewire registers. */
  createdBy: z.optional(z.string()),
  data: z.looseObject({
    id: z.string(),
    roomId: z.string(),
    personId: z.string(),
    personEmail: z.optional(z.string()),
    messageId: z.optional(z.string()),
    created: z.optional(z.string()),
  }),
});
export type WebexWebhookDelivery = z.infer<typeof webhookDeliverySchema>;
