/**
 * Work that runs after the HTTP answer: one job type per use case, parsed with zod wherever a job
 * crosses a process boundary (SQS message bodies).
 */
import * as z from '../validation/zod';
import type { TimeBudget } from './budget';
import { SEVERITIES, type NormalisedFinding } from '../domain/finding';
import { caseNotification } from '../domain/case-notification';

const chatPlatform = z.enum(['slack', 'webex', 'teams']);

export const createCaseJob = z.object({
  kind: z.literal('create-case'),
  fingerprint: z.string().check(z.minLength(1)),
  /** Slack user id of the analyst who clicked (a Webex person id, a Teams Entra object id). */
  userId: z.string().check(z.minLength(1)),
  /**
   * Their name, when their platform gave it (a Slack user name, a Teams or Webex display name): the
   * threads on the other platforms, where their id means nothing, name them by it.
   */
  userName: z.optional(z.string().check(z.maxLength(256))),
  /** The platform they clicked on, named in the audit trail's `case-created` (Slack when absent). */
  platform: z.optional(chatPlatform),
  requestedAt: z.string(),
});

export const caseChangedJob = z.object({
  kind: z.literal('case-changed'),
  /** The change the webhook endpoint read from TheHive's delivery. */
  change: caseNotification,
  receivedAt: z.string(),
});

export const reconcileJob = z.object({
  kind: z.literal('reconcile'),
  requestedAt: z.string(),
});

export const ingestJob = z.object({
  kind: z.literal('ingest'),
  /** One normalised finding, accepted by the HTTPS route and posted by the worker. */
  finding: z.pipe(
    z.looseObject({
      fingerprint: z.string().check(z.minLength(1)),
      source: z.enum(['guardduty', 'securityhub', 'siem', 'slack']),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      observables: z.array(z.looseObject({ dataType: z.string(), data: z.string() })),
    }),
    z.transform((finding) => finding as unknown as NormalisedFinding),
  ),
  receivedAt: z.string(),
});

/** Delivers what ignoring an alert owes: the thread reply and the Security Hub SUPPRESSED update. */
export const ignoreFollowupJob = z.object({
  kind: z.literal('ignore-followup'),
  fingerprint: z.string().check(z.minLength(1)),
});

/**
 * Threat-intel lookups for `/hivewire lookup` (answered on the command's response_url), `@Hivewire
 * lookup` in Webex or Teams (answered in the command's thread) or the Enrich button (in the alert's
 * thread on the platform clicked).
 */
export const lookupJob = z.object({
  kind: z.literal('lookup'),
  targets: z
    .array(
      z.object({
        dataType: z.enum(['ip', 'domain', 'url', 'hash']),
        value: z.string().check(z.minLength(1), z.maxLength(4096)),
      }),
    )
    .check(z.minLength(1), z.maxLength(20)),
  userId: z.string().check(z.minLength(1)),
  reply: z.discriminatedUnion('to', [
    z.object({ to: z.literal('response-url'), url: z.url({ protocol: /^https?$/ }) }),
    /** The alert's thread on `platform` (Slack when absent). */
    z.object({
      to: z.literal('thread'),
      fingerprint: z.string().check(z.minLength(1)),
      platform: z.optional(chatPlatform),
    }),
    /**
     * The thread of a command's message (`channel`, `messageId`: its root) on `platform`; on Teams, the
     * service URL the command's activity came from (the answer goes there).
     */
    z.object({
      to: z.literal('chat'),
      platform: chatPlatform,
      channel: z.string().check(z.minLength(1)),
      messageId: z.string().check(z.minLength(1)),
      serviceUrl: z.optional(z.url({ protocol: /^https?$/ })),
    }),
    /** A Webex thread, as jobs queued before `chat` named it: read like `chat` on Webex. */
    z.object({
      to: z.literal('webex'),
      roomId: z.string().check(z.minLength(1)),
      parentId: z.string().check(z.minLength(1)),
      fingerprint: z.optional(z.string().check(z.minLength(1))),
    }),
  ]),
  requestedAt: z.string(),
});

/** "Was this you?": asks the person an alert is about, or the user a SIEM names, in a DM. */
export const triageAskJob = z.object({
  kind: z.literal('triage-ask'),
  /** Chosen when the question was requested, so a retried job asks once. */
  triageId: z.string().check(z.minLength(1)),
  request: z.discriminatedUnion('origin', [
    z.object({
      origin: z.literal('alert'),
      fingerprint: z.string().check(z.minLength(1)),
      /** The id of the analyst who clicked (on `platform`), or `auto` for a configured rule. */
      requestedBy: z.string().check(z.minLength(1)),
      /** The platform the analyst clicked on; none: Slack, or a rule (which asks where the alert is). */
      platform: z.optional(z.enum(['slack', 'webex', 'teams'])),
      /** The analyst's name, where the platform gives it with the click (Teams). */
      requestedByName: z.optional(z.string().check(z.maxLength(256))),
    }),
    z.object({
      origin: z.literal('siem'),
      identifier: z.string().check(z.minLength(1)),
      email: z.email(),
      alert: z.string(),
      summary: z.string(),
      identityConfidence: z.string(),
    }),
  ]),
  requestedAt: z.string(),
});

/** Delivers a "was this you?" answer: thread, TheHive comment, SIEM queue, on-call mention on "No". */
export const triageFollowupJob = z.object({
  kind: z.literal('triage-followup'),
  triageId: z.string().check(z.minLength(1)),
});

/** Fires when a "was this you?" question has waited its configured time. */
export const triageTimeoutJob = z.object({
  kind: z.literal('triage-timeout'),
  triageId: z.string().check(z.minLength(1)),
  dueAt: z.string(),
});

/** Runs a configured response action (Lambda or SSM Automation) with an alert's finding. */
export const responseActionJob = z.object({
  kind: z.literal('response-action'),
  fingerprint: z.string().check(z.minLength(1)),
  actionId: z.string().check(z.minLength(1)),
  /** The clicker: a Slack user id, a Webex person id, or a Teams person's Entra object id, by `platform`. */
  userId: z.string().check(z.minLength(1)),
  /** Where the click came from and the result goes; absent: Slack. */
  platform: z.optional(z.enum(['webex', 'teams'])),
  /** The clicker's name, when their platform gave it: shown where their id means nothing. */
  userName: z.optional(z.string().check(z.maxLength(256))),
  requestedAt: z.string(),
});

/** A Webex webhook delivery, verified and parsed: the worker reads what it names back from Webex. */
export const webexEventJob = z.object({
  kind: z.literal('webex-event'),
  resource: z.enum(['messages', 'attachmentActions']),
  /** The message or attachment action id. */
  id: z.string().check(z.minLength(1)),
  personId: z.string().check(z.minLength(1)),
  roomId: z.string().check(z.minLength(1)),
  receivedAt: z.string(),
});

/** Re-renders a digest alert's Slack message with the findings grouped into it since (alerts/storm.ts). */
export const refreshDigestJob = z.object({
  kind: z.literal('refresh-digest'),
  fingerprint: z.string().check(z.minLength(1)),
  dueAt: z.string(),
});

const slackTs = z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/, 'a Slack ts'));
const threadPlace = {
  channel: z.string().check(z.minLength(1), z.maxLength(64)),
  /** The message's own `ts`. */
  ts: slackTs,
  /** The thread's root: the alert message. */
  threadTs: slackTs,
};

/** A person's message in a thread, posted, edited or deleted in Slack: copied to the case (if any) by the worker. */
export const threadMessage = z.discriminatedUnion('change', [
  z.object({
    change: z.enum(['posted', 'edited']),
    ...threadPlace,
    user: z.string().check(z.minLength(1)),
    /** The text as Slack sent it (mrkdwn). */
    text: z.string(),
    files: z.array(z.object({ name: z.string(), permalink: z.optional(z.string()) })),
    /** The `ts` of this version of the text: the message's own, or its edit's. */
    revision: slackTs,
  }),
  z.object({ change: z.literal('deleted'), ...threadPlace, revision: slackTs }),
]);
export type ThreadMessage = z.infer<typeof threadMessage>;

export const threadMessageJob = z.object({
  kind: z.literal('thread-message'),
  message: threadMessage,
  receivedAt: z.string(),
});

/** "Report to SOC": a Slack message someone reported, with what they said of it in the modal. */
export const reportJob = z.object({
  kind: z.literal('report'),
  message: z.object({
    team: z.string().check(z.minLength(1)),
    channel: z.string().check(z.minLength(1)),
    ts: z.string().check(z.regex(/^\d{1,12}\.\d{1,9}$/)),
    text: z.string(),
    /** Who wrote the message (absent for a bot's). */
    user: z.optional(z.string()),
  }),
  reporter: z.string().check(z.minLength(1)),
  title: z.string().check(z.minLength(1), z.maxLength(512)),
  severity: z.enum(SEVERITIES),
  customer: z.string().check(z.minLength(1)),
  note: z.optional(z.string().check(z.maxLength(3000))),
  requestedAt: z.string(),
});

export const jobSchema = z.discriminatedUnion('kind', [
  createCaseJob,
  caseChangedJob,
  reconcileJob,
  ingestJob,
  ignoreFollowupJob,
  lookupJob,
  triageAskJob,
  triageFollowupJob,
  triageTimeoutJob,
  responseActionJob,
  webexEventJob,
  refreshDigestJob,
  threadMessageJob,
  reportJob,
]);
export type Job = z.infer<typeof jobSchema>;
export type JobKind = Job['kind'];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** The queue port: SQS in AWS, in-process locally. */
export interface Queue {
  enqueue(job: Job): Promise<void>;
}

/** A queue that can hold a job back until a time (the local queue; SQS's delay is set per message). */
export interface DelayingQueue extends Queue {
  enqueueAt(job: Job, notBefore: Date): Promise<void>;
}

/**
 * How an attempt ended: `done` (the work ran, or failed for good before the queue's last attempt and
 * was kept), or `kept-on-last-attempt`: it failed on the queue's last attempt and was kept and reported.
 * SQS is then handed the message back, so its redrive policy moves it to the dead-letter queue: the
 * queue's alarm fires and an operator can redrive it, while the store's dead letter and the thread's
 * reply have already told the people waiting on it.
 */
export type AttemptEnd = 'done' | 'kept-on-last-attempt';

/**
 * Runs one job; throws to have it retried (and dead-lettered when retries are spent). `budget` is the
 * time the job may take in a Lambda invocation; the local queue has none. Nothing returned is `done`.
 */
export type JobHandler = (job: Job, attempt: number, budget?: TimeBudget) => Promise<AttemptEnd | void>;
