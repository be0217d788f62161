/**
 * Structured JSON logs (one line per event) with correlation ids: the finding fingerprint, the case id
 * and the Slack action id are appended as keys by the code that knows them.
 */
import { Logger } from '@aws-lambda-powertools/logger';

export type { Logger };

/** The service logger; `POWERTOOLS_LOG_LEVEL` sets the level (tests run SILENT). */
export function createLogger(serviceName = 'hivewire'): Logger {
  return new Logger({ serviceName });
}

/** What a log line or a dead letter says of a failure: its message, never its stack or its properties. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
