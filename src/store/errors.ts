/** Failures of the store adapters (the port's own ConflictError lives in store.ts). */

/** An alert record that cannot fit in one DynamoDB item (400 KB) even after its finding was trimmed. */
export class AlertTooLargeError extends Error {
  readonly code = 'ALERT_TOO_LARGE';
  constructor(
    readonly fingerprint: string,
    readonly bytes: number,
  ) {
    super(`alert ${fingerprint}: the record needs ${bytes} bytes, more than one DynamoDB item holds`);
    this.name = 'AlertTooLargeError';
  }
}

/** A job whose JSON cannot fit in one DynamoDB item (400 KB). */
export class JobTooLargeError extends Error {
  readonly code = 'JOB_TOO_LARGE';
  constructor(
    readonly id: string,
    readonly bytes: number,
  ) {
    super(`job ${id}: needs ${bytes} bytes, more than one DynamoDB item holds`);
    this.name = 'JobTooLargeError';
  }
}

/** An audit event whose `at` is not a date. */
export class InvalidAuditTimeError extends Error {
  readonly code = 'INVALID_AUDIT_TIME';
  constructor(readonly at: string) {
    super(`audit event: at is not an ISO-8601 time`);
    this.name = 'InvalidAuditTimeError';
  }
}

/** The data directory's store is already open in a running process (LevelDB allows one per directory). */
export class StoreHeldError extends Error {
  readonly code = 'STORE_HELD';
  constructor(
    readonly dataDir: string,
    readonly pid: number,
    readonly lockFile: string,
  ) {
    super(
      `the store in ${dataDir} is held by process ${pid}: connect to it with openStore() or ` +
        `connectToRunningStore(), or stop that process (if no Hivewire process is running, delete ${lockFile})`,
    );
    this.name = 'StoreHeldError';
  }
}
