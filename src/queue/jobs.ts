/**
 * Work that runs after the HTTP answer: one job type per use case, parsed with zod wherever a job
 * crosses a process boundary (SQS message bodies).
 */
import { z } from 'zod';
import { SEVERITIES, type NormalisedFinding } from '../findings/finding';

export const createCaseJob = z.object({
  kind: z.literal('create-case'),
  fingerprint: z.string().min(1),
  /** Slack user id of the analyst who clicked. */
  userId: z.string().min(1),
  requestedAt: z.string(),
});

export const caseChangedJob = z.object({
  kind: z.literal('case-changed'),
  /** The TheHive webhook body as received (parsed again by the worker). */
  notification: z.unknown(),
  receivedAt: z.string(),
});

export const reconcileJob = z.object({
  kind: z.literal('reconcile'),
  requestedAt: z.string(),
});

export const ingestJob = z.object({
  kind: z.literal('ingest'),
  /** One normalised finding, accepted by the HTTPS route and posted by the worker. */
  finding: z
    .looseObject({
      fingerprint: z.string().min(1),
      source: z.enum(['guardduty', 'securityhub', 'siem']),
      title: z.string(),
      severity: z.enum(SEVERITIES),
      observables: z.array(z.looseObject({ dataType: z.string(), data: z.string() })),
    })
    .transform((finding) => finding as unknown as NormalisedFinding),
  receivedAt: z.string(),
});

export const jobSchema = z.discriminatedUnion('kind', [
  createCaseJob,
  caseChangedJob,
  reconcileJob,
  ingestJob,
]);
export type Job = z.infer<typeof jobSchema>;
export type JobKind = Job['kind'];
export type JobOf<K extends JobKind> = Extract<Job, { kind: K }>;

/** The queue port: SQS in AWS, in-process locally. */
export interface Queue {
  enqueue(job: Job): Promise<void>;
}

/** Runs one job; throws to have it retried (and dead-lettered when retries are spent). */
export type JobHandler = (job: Job, attempt: number) => Promise<void>;
