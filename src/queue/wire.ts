/**
 * A job as it crosses a process boundary: validated with `jobSchema` and sent as JSON. The in-process
 * queue uses the same round trip, so a job that SQS could not carry fails locally too.
 */
import { schemaRejection } from '../findings/outcome';
import { jobSchema, type Job } from './jobs';

/** A job refused before it was queued: it names the field at fault. */
export class InvalidJobError extends Error {
  readonly code = 'INVALID_JOB';
  constructor(readonly reason: string) {
    super(`job refused: ${reason}`);
    this.name = 'InvalidJobError';
  }
}

/** The outcome of reading one message body. */
export type JobParse = { ok: true; job: Job } | { ok: false; error: string; payload: unknown };

/** Reads a message body; a body that is not JSON or not a job is described, field by field. */
export function parseJobBody(body: string): JobParse {
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return { ok: false, error: 'body: not JSON', payload: body };
  }
  return parseJob(data);
}

/** Reads a job already parsed from JSON (a message body, a job kept in the store). */
export function parseJob(data: unknown): JobParse {
  const parsed = jobSchema.safeParse(data);
  return parsed.success
    ? { ok: true, job: parsed.data }
    : { ok: false, error: schemaRejection('', parsed.error).error, payload: data };
}

/**
 * The job as the consumer will receive it: through JSON (dates become strings, `undefined` fields go)
 * and validated. Throws InvalidJobError when the other side would refuse it.
 */
export function wireCopy(job: Job): Job {
  const parsed = parseJobBody(JSON.stringify(job) ?? '');
  if (!parsed.ok) throw new InvalidJobError(parsed.error);
  return parsed.job;
}

/** The message body for `job` (InvalidJobError when the job would be refused on the other side). */
export function serialiseJob(job: Job): string {
  return JSON.stringify(wireCopy(job));
}
