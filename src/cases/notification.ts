/**
 * TheHive 5 webhook notifications (Webhook notifier, endpoint version 1): the audit event of the
 * change, with `details` holding only the changed fields and `object` the whole object after it.
 */
import { z } from 'zod';

const caseObject = z.looseObject({
  _id: z.string().min(1),
  _type: z.string().optional(),
  _updatedAt: z.number().optional(),
  _updatedBy: z.string().optional(),
  _createdAt: z.number().optional(),
  number: z.number().int(),
  title: z.string().optional(),
  status: z.string(),
  stage: z.string(),
  severity: z.number().int().optional(),
  assignee: z.string().nullish(),
  tags: z.array(z.string()).optional(),
  tlp: z.number().int().optional(),
  pap: z.number().int().optional(),
  summary: z.string().nullish(),
  impactStatus: z.string().nullish(),
});
export type NotifiedCase = z.infer<typeof caseObject>;

const theHiveNotificationSchema = z.looseObject({
  _id: z.string().optional(),
  _createdAt: z.number().optional(),
  _createdBy: z.string().optional(),
  action: z.string().min(1),
  objectType: z.string().min(1),
  objectId: z.string().min(1),
  rootId: z.string().optional(),
  requestId: z.string().optional(),
  mainAction: z.boolean().optional(),
  details: z.record(z.string(), z.unknown()).nullish(),
  object: z.unknown().optional(),
});

export type ParsedNotification =
  | {
      kind: 'case';
      action: 'create' | 'update';
      theCase: NotifiedCase;
      actor: string;
      notificationId?: string;
    }
  | {
      kind: 'case-gone';
      action: 'delete' | 'merge';
      caseId: string;
      actor: string;
      at?: number;
      notificationId?: string;
    }
  | { kind: 'ignored'; reason: string };

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
  if (n.objectType.toLowerCase() !== 'case') return { kind: 'ignored', reason: `objectType ${n.objectType}` };
  if (n.mainAction === false) return { kind: 'ignored', reason: 'derived event (mainAction false)' };
  const actor = n._createdBy ?? 'TheHive';
  if (n.action === 'delete' || n.action === 'merge') {
    return {
      kind: 'case-gone',
      action: n.action,
      caseId: n.objectId,
      actor,
      at: n._createdAt,
      notificationId: n._id,
    };
  }
  if (n.action !== 'update' && n.action !== 'create')
    return { kind: 'ignored', reason: `action ${n.action}` };
  const theCase = caseObject.safeParse(n.object);
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
  };
}
