/**
 * Runtime checks of TheHive's answers. Each schema mirrors an output type generated from
 * `openapi.yaml`; its `z.ZodType<…>` annotation makes the compiler reject a schema that drifts from
 * the generated type (a required field missing, a field of another type).
 */
import { z } from 'zod';
import type { components } from './schema';

type Schemas = components['schemas'];

const timestamp = z.number().int();
const severity = z.literal([1, 2, 3, 4]);
const tlp = z.literal([0, 1, 2, 3, 4]);
const pap = z.literal([0, 1, 2, 3]);
const extraData = z.record(z.string(), z.unknown());

const customFieldValue: z.ZodType<Schemas['OutputCustomFieldValue']> = z.looseObject({
  _id: z.string(),
  name: z.string(),
  type: z.string(),
  value: z.unknown(),
  order: z.number().int(),
});

/** An alert as TheHive returns it. */
export const outputAlertSchema: z.ZodType<Schemas['OutputAlert']> = z.looseObject({
  _id: z.string().min(1),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.string().optional(),
  _createdAt: timestamp,
  _updatedAt: timestamp.optional(),
  type: z.string(),
  source: z.string(),
  sourceRef: z.string(),
  externalLink: z.string().optional(),
  title: z.string(),
  description: z.string(),
  severity,
  severityLabel: z.string(),
  date: timestamp,
  tags: z.array(z.string()).optional(),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  follow: z.boolean(),
  customFields: z.array(customFieldValue).optional(),
  caseTemplate: z.string().optional(),
  observableCount: z.number().int(),
  caseId: z.string().min(1).optional(),
  status: z.string(),
  stage: z.enum(['New', 'InProgress', 'Imported', 'Closed']),
  assignee: z.string().optional(),
  summary: z.string().optional(),
  extraData,
  newDate: timestamp.optional(),
  inProgressDate: timestamp.optional(),
  closedDate: timestamp.optional(),
  importedDate: timestamp.optional(),
});

/** A case as TheHive returns it. */
export const outputCaseSchema: z.ZodType<Schemas['OutputCase']> = z.looseObject({
  _id: z.string().min(1),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.string().optional(),
  _createdAt: timestamp,
  _updatedAt: timestamp.optional(),
  number: z.number().int(),
  title: z.string(),
  description: z.string(),
  severity,
  severityLabel: z.string(),
  startDate: timestamp,
  endDate: timestamp.optional(),
  tags: z.array(z.string()).optional(),
  flag: z.boolean(),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  status: z.string().min(1),
  stage: z.enum(['New', 'InProgress', 'Closed']),
  summary: z.string().optional(),
  impactStatus: z.string().optional(),
  assignee: z.string().optional(),
  customFields: z.array(customFieldValue).optional(),
  userPermissions: z.array(z.string()).optional(),
  extraData,
  newDate: timestamp.optional(),
  inProgressDate: timestamp.optional(),
  closedDate: timestamp.optional(),
});

/** An observable as TheHive returns it. */
export const outputObservableSchema: z.ZodType<Schemas['OutputObservable']> = z.looseObject({
  _id: z.string().min(1),
  _type: z.string(),
  _createdBy: z.string(),
  _updatedBy: z.string().optional(),
  _createdAt: timestamp,
  _updatedAt: timestamp.optional(),
  dataType: z.string(),
  data: z.string().optional(),
  startDate: timestamp.optional(),
  tlp,
  tlpLabel: z.string(),
  pap,
  papLabel: z.string(),
  tags: z.array(z.string()).optional(),
  ioc: z.boolean(),
  sighted: z.boolean(),
  sightedAt: timestamp.optional(),
  message: z.string().optional(),
  reports: z.record(z.string(), z.unknown()).optional(),
  extraData: extraData.optional(),
  ignoreSimilarity: z.boolean().optional(),
});

/** A comment as TheHive returns it (author and time without the leading underscore). */
export const outputCommentSchema: z.ZodType<Schemas['OutputComment']> = z.looseObject({
  _id: z.string().min(1),
  _type: z.string(),
  createdBy: z.string(),
  createdAt: timestamp,
  updatedBy: z.string().optional(),
  updatedAt: timestamp.optional(),
  message: z.string(),
  isEdited: z.boolean().optional(),
  external: z.boolean().optional(),
  extraData: extraData.optional(),
});

/** `GET /api/v1/status/public`. */
export const outputPublicStatusSchema: z.ZodType<Schemas['OutputPublicStatus']> = z.looseObject({
  version: z.string().min(1),
  sso: z.boolean().optional(),
  ssoProviders: z
    .array(z.looseObject({ name: z.string(), displayName: z.string(), url: z.string() }))
    .optional(),
});

/** TheHive's error body; anything else in an error response (a proxy's HTML page) is not one. */
export const errorBodySchema: z.ZodType<Schemas['Error']> = z.looseObject({
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
export function describeIssue(error: z.ZodError): { field: string; problem: string } {
  const issue = error.issues[0];
  const field = (issue?.path ?? [])
    .map((key, index) =>
      typeof key === 'number' ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`,
    )
    .join('');
  return { field: field || '(body)', problem: issue?.message ?? 'invalid' };
}
