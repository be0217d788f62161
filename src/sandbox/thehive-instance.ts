/**
 * The sandbox TheHive 5: one organisation's alerts, cases, observables and comments, with TheHive's
 * rules for what Hivewire relies on (unique alert `type`/`source`/`sourceRef`, promotion copying the
 * observables, case numbers from 1, `stage` derived from `status`, `_updatedAt` moving on each change).
 * Every case change, and every comment created, edited or deleted on a case, becomes an audit event
 * sent by the Webhook notifier, as a TheHive notification with an AnyEvent trigger would.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import * as z from '../validation/zod';
import { StateFile } from './state-file';
import { badRequest, notFound, TheHiveApiError } from './thehive-error';
import { runQuery, type Entity, type QueryResult } from './thehive-query';
import type { WebhookNotifier } from './thehive-webhook';

/** Case statuses TheHive 5 predefines, with the stage each one is in. */
export const CASE_STATUSES = {
  New: 'New',
  InProgress: 'InProgress',
  TruePositive: 'Closed',
  FalsePositive: 'Closed',
  Duplicated: 'Closed',
  Indeterminate: 'Closed',
  Other: 'Closed',
} as const;
export type CaseStatus = keyof typeof CASE_STATUSES;

export const IMPACT_STATUSES = ['NotApplicable', 'WithImpact', 'NoImpact'] as const;

const SEVERITY_LABELS = ['', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const TLP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER+STRICT', 'RED'];
const PAP_LABELS = ['CLEAR', 'GREEN', 'AMBER', 'RED'];

/** TheHive field limits (TheHive 5 API v1). */
const LIMITS = { title: 512, tag: 128, type: 32, source: 32, sourceRef: 128, text: 1_048_576, data: 4096 };

/** The organisation of the sandbox TheHive. */
export const SANDBOX_ORGANISATION = { organisation: 'SOC', organisationId: '~4096' } as const;
/** The login of the API key's user (the bot). */
export const SANDBOX_API_USER = 'hivewire@thehive.local';

const tag = z.string().check(z.minLength(1), z.maxLength(LIMITS.tag));
const tlp = z.int().check(z.gte(0), z.lte(4));
const pap = z.int().check(z.gte(0), z.lte(3));
const severity = z.int().check(z.gte(1), z.lte(4));

const observableInput = z.object({
  dataType: z.string().check(z.minLength(1), z.maxLength(64)),
  data: z.union([
    z.string().check(z.minLength(1), z.maxLength(LIMITS.data)),
    z.array(z.string().check(z.minLength(1), z.maxLength(LIMITS.data))).check(z.minLength(1)),
  ]),
  message: z.optional(z.string().check(z.maxLength(LIMITS.text))),
  tlp: z.optional(tlp),
  pap: z.optional(pap),
  tags: z.optional(z.array(tag)),
  ioc: z.optional(z.boolean()),
  sighted: z.optional(z.boolean()),
  sightedAt: z.optional(z.int()),
  ignoreSimilarity: z.optional(z.boolean()),
});

const alertInput = z.object({
  type: z.string().check(z.minLength(1), z.maxLength(LIMITS.type)),
  source: z.string().check(z.minLength(1), z.maxLength(LIMITS.source)),
  sourceRef: z.string().check(z.minLength(1), z.maxLength(LIMITS.sourceRef)),
  title: z.string().check(z.minLength(1), z.maxLength(LIMITS.title)),
  description: z.string().check(z.maxLength(LIMITS.text)),
  externalLink: z.optional(z.string().check(z.maxLength(4096))),
  severity: z.optional(severity),
  date: z.optional(z.int()),
  tags: z.optional(z.array(tag)),
  flag: z.optional(z.boolean()),
  tlp: z.optional(tlp),
  pap: z.optional(pap),
  summary: z.optional(z.string().check(z.maxLength(LIMITS.text))),
  observables: z.optional(z.array(observableInput)),
});

const promotionInput = z.object({
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.title))),
  description: z.optional(z.string().check(z.maxLength(LIMITS.text))),
  severity: z.optional(severity),
  tags: z.optional(z.array(tag)),
  flag: z.optional(z.boolean()),
  tlp: z.optional(tlp),
  pap: z.optional(pap),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  summary: z.optional(z.string().check(z.maxLength(LIMITS.text))),
  assignee: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  // The sandbox has no case templates: a named one applies nothing.
  caseTemplate: z.optional(z.string().check(z.minLength(1))),
});

const caseUpdateInput = z.object({
  title: z.optional(z.string().check(z.minLength(1), z.maxLength(LIMITS.title))),
  description: z.optional(z.string().check(z.maxLength(LIMITS.text))),
  severity: z.optional(severity),
  startDate: z.optional(z.int()),
  endDate: z.optional(z.int()),
  tags: z.optional(z.array(tag)),
  addTags: z.optional(z.array(tag)),
  removeTags: z.optional(z.array(tag)),
  flag: z.optional(z.boolean()),
  tlp: z.optional(tlp),
  pap: z.optional(pap),
  status: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  summary: z.optional(z.nullable(z.string().check(z.maxLength(LIMITS.text)))),
  assignee: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(128)))),
  impactStatus: z.optional(z.nullable(z.string().check(z.minLength(1), z.maxLength(128)))),
});

const commentInput = z.object({ message: z.string().check(z.minLength(1), z.maxLength(LIMITS.text)) });

/** Parses a request body with TheHive's answer for a bad attribute (400 `AttributeCheckingError`). */
function parseInput<T>(schema: z.ZodMiniType<T>, body: unknown): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.') || 'body';
  throw new TheHiveApiError(400, 'AttributeCheckingError', `${field}: ${issue?.message ?? 'invalid'}`);
}

export interface TheHiveObservable extends Entity {
  _id: string;
  dataType: string;
  data: string;
}

export interface TheHiveAlert extends Entity {
  _id: string;
  type: string;
  source: string;
  sourceRef: string;
  title: string;
  caseId?: string;
}

export interface TheHiveCase extends Entity {
  _id: string;
  number: number;
  title: string;
  status: string;
  stage: string;
  severity: number;
  assignee?: string;
  _createdAt: number;
  _updatedAt?: number;
}

export interface TheHiveComment extends Entity {
  _id: string;
  message: string;
}

interface TheHiveState {
  version: 1;
  nextId: number;
  nextCaseNumber: number;
  lastStamp: number;
  alerts: TheHiveAlert[];
  cases: TheHiveCase[];
  observables: Record<string, TheHiveObservable[]>;
  comments: Record<string, TheHiveComment[]>;
}

export interface SandboxTheHiveOptions {
  /** The people who can be assignees (their logins), besides the API user. */
  users: string[];
  notifier?: WebhookNotifier;
  stateFile?: string;
  /** Where the sandbox is reached now: saved links under another address are moved to it. */
  publicUrl?: string;
  /** The clock, in epoch milliseconds (tests pin it). */
  now?: () => number;
}

/** The change announced to the console: a case or an alert changed. */
export interface TheHiveChange {
  objectType: 'Case' | 'Alert';
  objectId: string;
}

export class SandboxTheHive extends EventEmitter {
  private readonly now: () => number;
  private readonly notifier?: WebhookNotifier;
  private readonly stateFile?: StateFile<TheHiveState>;
  private readonly users: Set<string>;
  private readonly caseOrganisations = new Map<string, string>();
  private nextId = 41644112;
  private nextCaseNumber = 1;
  private lastStamp = 0;
  private alerts = new Map<string, TheHiveAlert>();
  private cases = new Map<string, TheHiveCase>();
  private observables = new Map<string, TheHiveObservable[]>();
  private comments = new Map<string, TheHiveComment[]>();

  constructor(options: SandboxTheHiveOptions) {
    super();
    this.now = options.now ?? Date.now;
    this.notifier = options.notifier;
    this.users = new Set([SANDBOX_API_USER, ...options.users.map((user) => user.toLowerCase())]);
    if (options.stateFile) {
      this.stateFile = new StateFile<TheHiveState>(options.stateFile, options.publicUrl);
      const saved = this.stateFile.load();
      if (saved?.version === 1) this.restore(saved);
    }
  }

  /** `POST /api/v1/alert`: 400 `CreateError` when the type/source/sourceRef triple exists already. */
  createAlert(body: unknown, actor: string): TheHiveAlert {
    const input = parseInput(alertInput, body);
    const existing = this.findAlertByName(input.type, input.source, input.sourceRef);
    if (existing)
      throw new TheHiveApiError(
        400,
        'CreateError',
        `Alert ${input.type}:${input.source}:${input.sourceRef} already exists in organisation ${SANDBOX_ORGANISATION.organisation}`,
      );
    const at = this.stamp();
    const id = this.newId();
    const observables = (input.observables ?? []).flatMap((o) => this.newObservables(o, actor, at));
    const alert: TheHiveAlert = {
      _id: id,
      _type: 'Alert',
      _createdBy: actor,
      _createdAt: at,
      type: input.type,
      source: input.source,
      sourceRef: input.sourceRef,
      ...(input.externalLink ? { externalLink: input.externalLink } : {}),
      title: input.title,
      description: input.description,
      ...this.labelled({ severity: input.severity ?? 2, tlp: input.tlp ?? 2, pap: input.pap ?? 2 }),
      date: input.date ?? at,
      tags: unique(input.tags ?? []),
      // TheHive takes an alert's `flag` but its OutputAlert has none: the stand-in does not invent one.
      follow: true,
      customFields: [],
      observableCount: observables.length,
      status: 'New',
      stage: 'New',
      ...(input.summary ? { summary: input.summary } : {}),
      extraData: {},
      newDate: at,
      timeToDetect: Math.max(0, at - (input.date ?? at)),
    };
    this.alerts.set(id, alert);
    this.observables.set(id, observables);
    this.changed({ objectType: 'Alert', objectId: id });
    return alert;
  }

  /** An alert by `_id` or by its name `type;source;sourceRef`. */
  getAlert(idOrName: string): TheHiveAlert {
    const alert = idOrName.startsWith('~')
      ? this.alerts.get(idOrName)
      : (() => {
          const [type = '', source = '', ...rest] = idOrName.split(';');
          return this.findAlertByName(type, source, rest.join(';'));
        })();
    if (!alert) throw notFound('Alert', idOrName);
    return alert;
  }

  /**
   * `POST /api/v1/alert/{id}/case`: a new case from the alert (its observables copied), the alert
   * marked Imported. A second promotion of the same alert is refused.
   */
  promoteAlert(alertId: string, body: unknown, actor: string, organisation?: string): TheHiveCase {
    const alert = this.getAlert(alertId);
    const input = parseInput(promotionInput, body);
    if (alert.caseId)
      throw badRequest(`Alert ${alert._id} has already been imported into case ${alert.caseId}`);
    const status = this.checkStatus(input.status ?? 'New');
    if (input.assignee) this.checkAssignee(input.assignee);
    const at = this.stamp();
    const id = this.newId();
    const theCase: TheHiveCase = {
      _id: id,
      _type: 'Case',
      _createdBy: actor,
      _createdAt: at,
      number: this.nextCaseNumber++,
      title: input.title ?? alert.title,
      description: input.description ?? String(alert.description ?? ''),
      ...this.labelled({
        severity: input.severity ?? Number(alert.severity),
        tlp: input.tlp ?? Number(alert.tlp),
        pap: input.pap ?? Number(alert.pap),
      }),
      startDate: at,
      tags: unique(input.tags ?? (alert.tags as string[])),
      flag: input.flag ?? false,
      status,
      stage: CASE_STATUSES[status],
      ...(input.summary ? { summary: input.summary } : {}),
      ...(input.assignee ? { assignee: input.assignee.toLowerCase() } : {}),
      access: { _kind: 'OrganisationAccessKind' },
      customFields: [],
      extraData: {},
      newDate: at,
      ...(CASE_STATUSES[status] === 'InProgress' ? { inProgressDate: at } : {}),
      alertDate: Number(alert.date),
      alertNewDate: Number(alert.newDate),
      alertImportedDate: at,
      timeToDetect: Number(alert.timeToDetect ?? 0),
    };
    this.cases.set(id, theCase);
    this.observables.set(
      id,
      (this.observables.get(alert._id) ?? []).map((o) => ({
        ...o,
        _id: this.newId(),
        _createdAt: at,
        _createdBy: actor,
      })),
    );
    Object.assign(alert, {
      caseId: id,
      status: 'Imported',
      stage: 'Imported',
      importedDate: at,
      _updatedAt: at,
      _updatedBy: actor,
    });
    this.changed({ objectType: 'Alert', objectId: alert._id });
    this.changed({ objectType: 'Case', objectId: id });
    if (organisation) this.caseOrganisations.set(id, organisation);
    this.audit('create', theCase, this.caseFields(theCase), actor);
    return theCase;
  }

  /** A case by `_id` (`~123`) or by number (`42`). */
  getCase(idOrNumber: string): TheHiveCase {
    const found = idOrNumber.startsWith('~')
      ? this.cases.get(idOrNumber)
      : /^\d+$/.test(idOrNumber)
        ? [...this.cases.values()].find((c) => c.number === Number(idOrNumber))
        : undefined;
    if (!found) throw notFound('Case', idOrNumber);
    return found;
  }

  /** Every case, newest first. */
  listCases(): TheHiveCase[] {
    return [...this.cases.values()].sort((a, b) => b.number - a.number);
  }

  /**
   * `PATCH /api/v1/case/{id}`: applies the given fields. When something changed, `_updatedAt` moves and
   * an `update` audit event (its `details` naming only the changed fields, with their new values) goes
   * to the webhook. Resolves to those details.
   */
  updateCase(idOrNumber: string, body: unknown, actor: string): Record<string, unknown> {
    const theCase = this.getCase(idOrNumber);
    const input = parseInput(caseUpdateInput, body);
    // Everything is checked before anything changes: a refused PATCH leaves the case as it was.
    const status = input.status === undefined ? undefined : this.checkStatus(input.status);
    if (input.assignee) this.checkAssignee(input.assignee);
    if (input.impactStatus && !(IMPACT_STATUSES as readonly string[]).includes(input.impactStatus))
      throw badRequest(`Invalid impactStatus ${input.impactStatus}: one of ${IMPACT_STATUSES.join(', ')}`);
    const details: Record<string, unknown> = {};
    const set = (field: string, value: unknown) => {
      if (JSON.stringify(theCase[field]) === JSON.stringify(value)) return;
      details[field] = value ?? null;
      if (value === undefined || value === null) delete theCase[field];
      else theCase[field] = value;
    };
    const at = this.stamp();

    if (status !== undefined) {
      const stage = CASE_STATUSES[status];
      const previousStage = theCase.stage;
      set('status', status);
      set('stage', stage);
      if (stage !== previousStage) {
        if (stage === 'InProgress' && theCase.inProgressDate === undefined) set('inProgressDate', at);
        if (stage === 'Closed') {
          set('closedDate', at);
          set('endDate', input.endDate ?? at);
        } else set('endDate', undefined);
      }
    }
    if (input.assignee !== undefined) {
      set('assignee', input.assignee === null ? undefined : input.assignee.toLowerCase());
    }
    if (input.severity !== undefined) {
      set('severity', input.severity);
      set('severityLabel', SEVERITY_LABELS[input.severity]);
    }
    if (input.tlp !== undefined) {
      set('tlp', input.tlp);
      set('tlpLabel', TLP_LABELS[input.tlp]);
    }
    if (input.pap !== undefined) {
      set('pap', input.pap);
      set('papLabel', PAP_LABELS[input.pap]);
    }
    for (const field of ['title', 'description', 'startDate', 'flag', 'summary', 'impactStatus'] as const)
      if (input[field] !== undefined) set(field, input[field] === null ? undefined : input[field]);
    if (input.endDate !== undefined && details.endDate === undefined) set('endDate', input.endDate);
    if (input.tags || input.addTags || input.removeTags) {
      let tags = input.tags ?? (theCase.tags as string[] | undefined) ?? [];
      tags = unique([...tags, ...(input.addTags ?? [])]).filter((t) => !(input.removeTags ?? []).includes(t));
      set('tags', tags);
    }

    if (Object.keys(details).length === 0) return details;
    theCase._updatedAt = at;
    theCase._updatedBy = actor;
    this.changed({ objectType: 'Case', objectId: theCase._id });
    this.audit('update', theCase, details, actor);
    return details;
  }

  /** `POST /api/v1/case/{id}/observable`: one observable per value; 400 for one the case already has. */
  addObservables(caseIdOrNumber: string, body: unknown, actor: string): TheHiveObservable[] {
    const theCase = this.getCase(caseIdOrNumber);
    const input = parseInput(observableInput, body);
    const existing = this.observables.get(theCase._id) ?? [];
    const created = this.newObservables(input, actor, this.stamp());
    for (const observable of created)
      if (existing.some((o) => o.dataType === observable.dataType && o.data === observable.data))
        throw new TheHiveApiError(
          400,
          'CreateError',
          `Observable ${observable.dataType}:${observable.data} already exists`,
        );
    this.observables.set(theCase._id, [...existing, ...created]);
    this.changed({ objectType: 'Case', objectId: theCase._id });
    return created;
  }

  /** `POST /api/v1/case/{id}/comment`: a `create` audit event of the Comment goes to the webhook. */
  addComment(caseIdOrNumber: string, body: unknown, actor: string): TheHiveComment {
    const theCase = this.getCase(caseIdOrNumber);
    const input = parseInput(commentInput, body);
    const comment: TheHiveComment = {
      _id: this.newId(),
      _type: 'Comment',
      createdBy: actor,
      createdAt: this.stamp(),
      message: input.message,
      isEdited: false,
      extraData: {},
      // Required in TheHive's OutputComment, as on observables.
      external: false,
    };
    this.comments.set(theCase._id, [...(this.comments.get(theCase._id) ?? []), comment]);
    this.changed({ objectType: 'Case', objectId: theCase._id });
    this.auditComment('create', theCase, comment, { message: comment.message }, actor);
    return comment;
  }

  /** `PATCH /api/v1/comment/{id}`: the new text, marked edited (`isEdited`, `updatedAt`, `updatedBy`). */
  updateComment(commentId: string, body: unknown, actor: string): void {
    const { theCase, comment } = this.findComment(commentId);
    const input = parseInput(commentInput, body);
    Object.assign(comment, {
      message: input.message,
      isEdited: true,
      updatedAt: this.stamp(),
      updatedBy: actor,
    });
    this.changed({ objectType: 'Case', objectId: theCase._id });
    this.auditComment('update', theCase, comment, { message: input.message }, actor);
  }

  /** `DELETE /api/v1/comment/{id}`. */
  deleteComment(commentId: string, actor: string): void {
    const { theCase, comment } = this.findComment(commentId);
    this.comments.set(
      theCase._id,
      this.commentsOf(theCase._id).filter((c) => c._id !== commentId),
    );
    this.stamp();
    this.changed({ objectType: 'Case', objectId: theCase._id });
    this.auditComment('delete', theCase, comment, {}, actor);
  }

  /** A case's observables, in the order they were added. */
  observablesOf(caseId: string): TheHiveObservable[] {
    return this.observables.get(caseId) ?? [];
  }

  /** A case's comments, oldest first. */
  commentsOf(caseId: string): TheHiveComment[] {
    return this.comments.get(caseId) ?? [];
  }

  /** `POST /api/v1/query`. */
  query(body: unknown): QueryResult {
    return runQuery(body, {
      select: (name, idOrName) => {
        switch (name) {
          case 'listCase':
            return [...this.cases.values()];
          case 'getCase':
            return [this.getCase(idOrName ?? '')];
          case 'listAlert':
            return [...this.alerts.values()];
          case 'getAlert':
            return [this.getAlert(idOrName ?? '')];
          case 'listObservable':
            return [...this.observables.values()].flat();
          case 'listComment':
            return [...this.comments.values()].flat();
          default:
            return undefined;
        }
      },
      traverse: (entities, name) => {
        switch (name) {
          case 'observables':
            return entities.flatMap((e) => this.observables.get(String(e._id)) ?? []);
          case 'comments':
            return entities.flatMap((e) => this.comments.get(String(e._id)) ?? []);
          case 'alerts':
            return entities.flatMap((e) => [...this.alerts.values()].filter((a) => a.caseId === e._id));
          case 'case':
            return entities.flatMap((e) => (e.caseId ? [this.getCase(String(e.caseId))] : []));
          default:
            return undefined;
        }
      },
    });
  }

  /** Writes pending state to disk now (before an API answer, and at shutdown). */
  flush(): void {
    this.stateFile?.flush();
  }

  private findComment(commentId: string): { theCase: TheHiveCase; comment: TheHiveComment } {
    for (const [caseId, comments] of this.comments) {
      const comment = comments.find((c) => c._id === commentId);
      const theCase = this.cases.get(caseId);
      if (comment && theCase) return { theCase, comment };
    }
    throw notFound('Comment', commentId);
  }

  private findAlertByName(type: string, source: string, sourceRef: string): TheHiveAlert | undefined {
    return [...this.alerts.values()].find(
      (a) => a.type === type && a.source === source && a.sourceRef === sourceRef,
    );
  }

  private checkStatus(status: string): CaseStatus {
    if (!(status in CASE_STATUSES))
      throw badRequest(`Invalid status ${status}: one of ${Object.keys(CASE_STATUSES).join(', ')}`);
    return status as CaseStatus;
  }

  private checkAssignee(login: string): void {
    if (!this.users.has(login.toLowerCase())) throw notFound('User', login);
  }

  private labelled(values: { severity: number; tlp: number; pap: number }) {
    return {
      severity: values.severity,
      severityLabel: SEVERITY_LABELS[values.severity],
      tlp: values.tlp,
      tlpLabel: TLP_LABELS[values.tlp],
      pap: values.pap,
      papLabel: PAP_LABELS[values.pap],
    };
  }

  private newObservables(
    input: z.infer<typeof observableInput>,
    actor: string,
    at: number,
  ): TheHiveObservable[] {
    const values = Array.isArray(input.data) ? input.data : [input.data];
    return values.map((data) => ({
      _id: this.newId(),
      _type: 'Observable',
      _createdBy: actor,
      _createdAt: at,
      dataType: input.dataType,
      data,
      startDate: at,
      ...this.labelledObservable(input.tlp ?? 2, input.pap ?? 2),
      tags: unique(input.tags ?? []),
      ioc: input.ioc ?? false,
      sighted: input.sighted ?? false,
      ...(input.sightedAt !== undefined ? { sightedAt: input.sightedAt } : {}),
      reports: {},
      ...(input.message ? { message: input.message } : {}),
      extraData: {},
      ignoreSimilarity: input.ignoreSimilarity ?? false,
      // Required in TheHive's OutputObservable; false for an observable of the organisation's own case.
      external: false,
    }));
  }

  private labelledObservable(tlpValue: number, papValue: number) {
    return { tlp: tlpValue, tlpLabel: TLP_LABELS[tlpValue], pap: papValue, papLabel: PAP_LABELS[papValue] };
  }

  /** The case's fields without TheHive's metadata (`_id`, `_type`, `_createdAt`, …): a creation's details. */
  private caseFields(theCase: TheHiveCase): Record<string, unknown> {
    return Object.fromEntries(Object.entries(theCase).filter(([key]) => !key.startsWith('_')));
  }

  /** Sends the audit event of a case change, as TheHive's Webhook notifier (endpoint version 1) posts it. */
  private audit(
    action: 'create' | 'update',
    theCase: TheHiveCase,
    details: Record<string, unknown>,
    actor: string,
  ) {
    const object = { ...structuredClone(theCase), customFieldValues: {} };
    this.notify({
      at: Number(theCase._updatedAt ?? theCase._createdAt),
      action,
      objectType: 'Case',
      objectId: theCase._id,
      rootId: theCase._id,
      details,
      object,
      context: object,
      actor,
    });
  }

  /** The audit event of a comment change: the comment is the object, its case the root and context. */
  private auditComment(
    action: 'create' | 'update' | 'delete',
    theCase: TheHiveCase,
    comment: TheHiveComment,
    details: Record<string, unknown>,
    actor: string,
  ) {
    this.notify({
      at: this.lastStamp,
      action,
      objectType: 'Comment',
      objectId: comment._id,
      rootId: theCase._id,
      details,
      object: structuredClone(comment),
      context: { ...structuredClone(theCase), customFieldValues: {} },
      actor,
    });
  }

  private notify(event: {
    at: number;
    action: string;
    objectType: string;
    objectId: string;
    rootId: string;
    details: Record<string, unknown>;
    object: unknown;
    context: unknown;
    actor: string;
  }) {
    if (!this.notifier) return;
    this.notifier.notify({
      _id: this.newId(),
      _type: 'Audit',
      _createdAt: event.at,
      _createdBy: event.actor,
      action: event.action,
      mainAction: true,
      requestId: randomBytes(12).toString('hex'),
      objectId: event.objectId,
      objectType: event.objectType,
      rootId: event.rootId,
      startDate: event.at,
      details: structuredClone(event.details),
      object: event.object,
      context: event.context,
      ...this.organisationOf(event.rootId),
    });
  }

  /**
   * The organisation a case's notifications name: the one its promotion acted in (many customers, each
   * with an organisation), else the sandbox's own. Kept in memory: after a restart, the sandbox's own.
   */
  private organisationOf(caseId: string) {
    const name = this.caseOrganisations.get(caseId);
    const organisation =
      name === undefined || name === SANDBOX_ORGANISATION.organisation
        ? { ...SANDBOX_ORGANISATION }
        : { organisation: name, organisationId: `~org-${name}` };
    return { organisation, organisationId: organisation.organisationId };
  }

  private newId(): string {
    const id = `~${this.nextId}`;
    this.nextId += 4096;
    return id;
  }

  /** The time of a change: the clock, but always after the previous change (TheHive orders by it). */
  private stamp(): number {
    this.lastStamp = Math.max(this.now(), this.lastStamp + 1);
    return this.lastStamp;
  }

  private changed(change: TheHiveChange): void {
    this.stateFile?.scheduleSave(() => this.snapshot());
    this.emit('change', change);
  }

  private snapshot(): TheHiveState {
    return {
      version: 1,
      nextId: this.nextId,
      nextCaseNumber: this.nextCaseNumber,
      lastStamp: this.lastStamp,
      alerts: [...this.alerts.values()],
      cases: [...this.cases.values()],
      observables: Object.fromEntries(this.observables),
      comments: Object.fromEntries(this.comments),
    };
  }

  private restore(state: TheHiveState): void {
    this.nextId = state.nextId;
    this.nextCaseNumber = state.nextCaseNumber;
    this.lastStamp = state.lastStamp;
    this.alerts = new Map(state.alerts.map((a) => [a._id, a]));
    this.cases = new Map(state.cases.map((c) => [c._id, c]));
    this.observables = new Map(Object.entries(state.observables));
    this.comments = new Map(Object.entries(state.comments));
  }
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
