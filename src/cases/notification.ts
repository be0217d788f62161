/**
 * TheHive 5 webhook notifications (Webhook notifier, endpoint version 1): the audit event of the
 * change, with `details` holding only the changed fields and `object` the whole object after it.
 * Case changes, and comments created on a case (`objectType: Comment`, `rootId` the case).
 */
import * as z from '../validation/zod';
import {
  notifiedCase,
  notifiedComment,
  type CaseNotification,
  type NotifiedCase,
} from '../domain/case-notification';

const theHiveNotificationSchema = z.looseObject({
  _id: z.optional(z.string()),
  _createdAt: z.optional(z.number()),
  _createdBy: z.optional(z.string()),
  action: z.string().check(z.minLength(1)),
  objectType: z.string().check(z.minLength(1)),
  objectId: z.string().check(z.minLength(1)),
  rootId: z.optional(z.string()),
  requestId: z.optional(z.string()),
  mainAction: z.optional(z.boolean()),
  details: z.nullish(z.record(z.string(), z.unknown())),
  object: z.optional(z.unknown()),
  /**
   * The organisation receiving the event (`{organisationId, organisation}` in endpoint version 1, a bare
   * name in version 0): with many customers, it says whose case it is.
   */
  organisation: z.optional(
    z.union([
      z.string(),
      z.looseObject({ organisation: z.string(), organisationId: z.optional(z.string()) }),
    ]),
  ),
});

/** The organisation's name as `X-Organisation` and the config name it. */
function organisationName(value: string | { organisation: string } | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.organisation;
}

export type { NotifiedCase };

/** A webhook body read: a case change to apply, or a notification Hivewire has no use for. */
export type ParsedNotification = CaseNotification | { kind: 'ignored'; reason: string };

/**
 * Reads a webhook body. Notifications about other objects (alerts, tasks, observables) and derived
 * copies for other organisations are `ignored`, not errors.
 */
export function parseNotification(body: unknown): ParsedNotification | { kind: 'invalid'; error: string } {
  if (body && typeof body === 'object' && 'operation' in body && !('action' in body)) {
    return { kind: 'ignored', reason: 'TheHive 4 (endpoint version 0) notifications are not supported' };
  }
  const parsed = theHiveNotificationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { kind: 'invalid', error: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
  }
  const n = parsed.data;
  if (n.mainAction === false) return { kind: 'ignored', reason: 'derived event (mainAction false)' };
  if (n.objectType.toLowerCase() === 'comment') return parseCommentNotification(n);
  if (n.objectType.toLowerCase() !== 'case') return { kind: 'ignored', reason: `objectType ${n.objectType}` };
  const actor = n._createdBy ?? 'TheHive';
  if (n.action === 'delete' || n.action === 'merge') {
    return {
      kind: 'case-gone',
      action: n.action,
      caseId: n.objectId,
      actor,
      at: n._createdAt,
      notificationId: n._id,
      organisation: organisationName(n.organisation),
    };
  }
  if (n.action !== 'update' && n.action !== 'create')
    return { kind: 'ignored', reason: `action ${n.action}` };
  const theCase = notifiedCase.safeParse(n.object);
  if (!theCase.success) {
    const issue = theCase.error.issues[0];
    const field = ['object', ...(issue?.path ?? [])].join('.');
    return { kind: 'invalid', error: `${field}: ${issue?.message ?? 'invalid'}` };
  }
  return {
    kind: 'case',
    action: n.action,
    theCase: theCase.data,
    actor: n._createdBy ?? theCase.data._updatedBy ?? 'TheHive',
    notificationId: n._id,
    organisation: organisationName(n.organisation),
  };
}

/** A comment created on a case: the conversation's TheHive side. Comments on alerts, edits and deletions are ignored. */
function parseCommentNotification(
  n: z.infer<typeof theHiveNotificationSchema>,
): ParsedNotification | { kind: 'invalid'; error: string } {
  if (n.action !== 'create') return { kind: 'ignored', reason: `Comment ${n.action}` };
  if (!n.rootId) return { kind: 'ignored', reason: 'Comment without its case (rootId)' };
  const comment = notifiedComment.safeParse(n.object);
  if (!comment.success) {
    const issue = comment.error.issues[0];
    return {
      kind: 'invalid',
      error: `${['object', ...(issue?.path ?? [])].join('.')}: ${issue?.message ?? 'invalid'}`,
    };
  }
  return {
    kind: 'comment',
    caseId: n.rootId,
    comment: comment.data,
    organisation: organisationName(n.organisation),
  };
}
