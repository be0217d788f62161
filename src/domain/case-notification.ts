/**
 * A case change TheHive notified, once its webhook delivery was authenticated and read: what the
 * `case-changed` job carries from the webhook endpoint to the case sync, typed end to end and parsed
 * again where it crosses a queue (an SQS message body).
 */
import * as z from '../validation/zod';

/** The case after the change, as TheHive's audit event carries it (OutputCase). */
export const notifiedCase = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  _type: z.optional(z.string()),
  _updatedAt: z.optional(z.number()),
  _updatedBy: z.optional(z.string()),
  _createdAt: z.optional(z.number()),
  number: z.int(),
  title: z.optional(z.string()),
  status: z.string(),
  stage: z.string(),
  severity: z.optional(z.int()),
  assignee: z.nullish(z.string()),
  tags: z.optional(z.array(z.string())),
  tlp: z.optional(z.int()),
  pap: z.optional(z.int()),
  summary: z.nullish(z.string()),
  impactStatus: z.nullish(z.string()),
});
export type NotifiedCase = z.infer<typeof notifiedCase>;

/** A comment as TheHive's audit event carries it (OutputComment: no leading underscore on its author and time). */
export const notifiedComment = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  message: z.string(),
  createdBy: z.string().check(z.minLength(1)),
  createdAt: z.number(),
});

/** A case created or updated, deleted or merged away, or commented on. */
export const caseNotification = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('case'),
    action: z.enum(['create', 'update']),
    theCase: notifiedCase,
    actor: z.string(),
    notificationId: z.optional(z.string()),
    organisation: z.optional(z.string()),
  }),
  z.object({
    kind: z.literal('case-gone'),
    action: z.enum(['delete', 'merge']),
    caseId: z.string().check(z.minLength(1)),
    actor: z.string(),
    at: z.optional(z.number()),
    notificationId: z.optional(z.string()),
    organisation: z.optional(z.string()),
  }),
  z.object({
    kind: z.literal('comment'),
    /** The case the comment is on (the event's `rootId`). */
    caseId: z.string().check(z.minLength(1)),
    comment: notifiedComment,
    /** The organisation the notification comes from: only the case's customer's own may thread it. */
    organisation: z.optional(z.string()),
  }),
]);
export type CaseNotification = z.infer<typeof caseNotification>;
