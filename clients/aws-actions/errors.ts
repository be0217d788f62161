/** Why an AWS call made on an analyst's behalf failed. */
export type AwsActionErrorCode = 'function-error' | 'aws-error' | 'bad-target';

/** A response action or SIEM delivery that AWS refused or that failed inside the target. */
export class AwsActionError extends Error {
  constructor(
    readonly code: AwsActionErrorCode,
    message: string,
    /** AWS's error name (`AccessDeniedException`, `ResourceNotFoundException`, …), when AWS answered one. */
    readonly awsError?: string,
  ) {
    super(message);
    this.name = 'AwsActionError';
  }
}

/** Wraps an SDK failure, keeping AWS's error name and message (never the request, which may hold finding data). */
export function fromSdkError(what: string, error: unknown): AwsActionError {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return new AwsActionError('aws-error', `${what}: ${name}: ${message}`, name);
}
