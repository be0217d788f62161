/**
 * Runtime checks of TheHive's answers. Each schema mirrors an output type generated from
 * `openapi.yaml`; its `z.ZodMiniType<…>` annotation makes the compiler reject a schema that drifts from
 * the generated type (a required field missing, a field of another type).
 */
import * as z from '../../src/validation/zod';
import type { components } from './schema';

type Schemas = components['schemas'];

const timestamp = z.int();
const severity = z.literal([1, 2, 3, 4]);
const tlp = z.literal([0, 1, 2, 3, 4]);
const pap = z.literal([0, 1, 2, 3]);
const extraData = z.record(z.string(), z.unknown());

const customFieldValue: z.ZodMiniType<Schemas['OutputCustomFieldValue']> = z.looseObject({
  _id: z.string(),
  name: z.string(),
  type: z.string(),
  value: z.unknown(),
  order: z.int(),
});

/** An alert as TheHive returns it. */
export const outputAlertSchema: z.ZodMiniType<Schemas['OutputAlert']> = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.optional(z.string()),
  _createdAt: timestamp,
  _updatedAt: z.optional(timestamp),
  type: z.string(),
  source: z.string(),
  sourceRef: z.string(),
  externalLink: z.optional(z.string()),
  title: z.string(),
  description: z.string(),
  severity,
  severityLabel: z.string(),
  date: timestamp,
  tags: z.optional(z.array(z.string())),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  follow: z.boolean(),
  customFields: z.optional(z.array(customFieldValue)),
  caseTemplate: z.optional(z.string()),
  observableCount: z.int(),
  caseId: z.optional(z.string().check(z.minLength(1))),
  status: z.string(),
  stage: z.enum(['New', 'InProgress', 'Imported', 'Closed']),
  assignee: z.optional(z.string()),
  summary: z.optional(z.string()),
  extraData,
  newDate: z.optional(timestamp),
  inProgressDate: z.optional(timestamp),
  closedDate: z.optional(timestamp),
  importedDate: z.optional(timestamp),
});

/** A case as TheHive returns it. */
export const outputCaseSchema: z.ZodMiniType<Schemas['OutputCase']> = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.optional(z.string()),
  _createdAt: timestamp,
  _updatedAt: z.optional(timestamp),
  number: z.int(),
  title: z.string(),
  description: z.string(),
  severity,
  severityLabel: z.string(),
  startDate: timestamp,
  endDate: z.optional(timestamp),
  tags: z.optional(z.array(z.string())),
  flag: z.boolean(),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  status: z.string().check(z.minLength(1)),
  stage: z.enum(['New', 'InProgress', 'Closed']),
  summary: z.optional(z.string()),
  impactStatus: z.optional(z.string()),
  assignee: z.optional(z.string()),
  customFields: z.optional(z.array(customFieldValue)),
  userPermissions: z.optional(z.array(z.string())),
  extraData,
  newDate: z.optional(timestamp),
  inProgressDate: z.optional(timestamp),
  closedDate: z.optional(timestamp),
});

/** An observable as TheHive returns it. */
export const outputObservableSchema: z.ZodMiniType<Schemas['OutputObservable']> = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.optional(z.string()),
  _createdAt: timestamp,
  _updatedAt: z.optional(timestamp),
  dataType: z.string(),
  data: z.optional(z.string()),
  startDate: z.optional(timestamp),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  tags: z.optional(z.array(z.string())),
  ioc: z.boolean(),
  sighted: z.boolean(),
  sightedAt: z.optional(timestamp),
  message: z.optional(z.string()),
  reports: z.optional(z.record(z.string(), z.unknown())),
  extraData: z.optional(extraData),
  ignoreSimilarity: z.optional(z.boolean()),
});

/** A comment as TheHive returns it (author and time without the leading underscore). */
export const outputCommentSchema: z.ZodMiniType<Schemas['OutputComment']> = z.looseObject({
  _id: z.string().check(z.minLength(1)),
  _type: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedBy: z.optional(z.string()),
  updatedAt: z.optional(timestamp),
  message: z.string(),
  isEdited: z.optional(z.boolean()),
  external: z.optional(z.boolean()),
  extraData: z.optional(extraData),
});

/** `GET /api/v1/status/public`. */
export const outputPublicStatusSchema: z.ZodMiniType<Schemas['OutputPublicStatus']> = z.looseObject({
  version: z.string().check(z.minLength(1)),
  sso: z.optional(z.boolean()),
  ssoProviders: z.optional(
    z.array(z.looseObject({ name: z.string(), displayName: z.string(), url: z.string() })),
  ),
});

/** TheHive's error body; anything else in an error response (a proxy's HTML page) is not one. */
export const errorBodySchema: z.ZodMiniType<Schemas['Error']> = z.looseObject({
  type: z.string(),
  message: z.string(),
});

/** What a query pipeline can end on, and the schema of its answer. */
export const queryResultSchemas = {
  alert: z.array(outputAlertSchema),
  case: z.array(outputCaseSchema),
  observable: z.array(outputObservableSchema),
  comment: z.array(outputCommentSchema),
} as const;

export type QueryEntity = keyof typeof queryResultSchemas;

/** The first problem of a failed parse, as `field.path: message` (`[0].stage: Invalid option…`). */
export function describeIssue(error: z.$ZodError): { field: string; problem: string } {
  const issue = error.issues[0];
  const field = (issue?.path ?? [])
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
  return { field: field || '(body)', problem: issue?.message ?? 'invalid' };
}
