/**
 * Security Hub write-back: `BatchUpdateFindings` sets a finding's workflow status with a note
 * signed `hivewire`. The findings parser recognises that signature and skips the echo Security Hub
 * emits after the update, so the note author must stay exactly {@link HIVEWIRE_NOTE_AUTHOR}.
 */
import {
  BatchUpdateFindingsCommand,
  SecurityHubClient as SdkSecurityHubClient,
  type SecurityHubClientConfig,
} from '@aws-sdk/client-securityhub';
import { HIVEWIRE_NOTE_AUTHOR } from '../../src/findings/asff';
import type { SecurityHubRef, WorkflowStatus } from '../../src/domain/finding';

/** Security Hub's limit on `Note.Text`, in characters. */
export const NOTE_MAX_LENGTH = 512;
/** The note sent when the caller's is blank: Security Hub rejects a note without a visible character. */
const BLANK_NOTE = 'Updated by Hivewire';

/** Security Hub processed the call but not this finding (`UnprocessedFindings`). */
export class SecurityHubUpdateError extends Error {
  readonly findingId: string;
  readonly productArn: string;
  /** Security Hub's `ErrorCode`, e.g. `FindingNotFound`, `AccessDenied`. */
  readonly errorCode?: string;
  readonly errorMessage?: string;

  constructor(ref: SecurityHubRef, errorCode?: string, errorMessage?: string) {
    super(
      `Security Hub did not update finding ${ref.id}: ${errorCode ?? 'unknown error'}${errorMessage ? ` (${errorMessage})` : ''}`,
    );
    this.name = 'SecurityHubUpdateError';
    this.findingId = ref.id;
    this.productArn = ref.productArn;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
  }
}

/**
 * The region a finding lives in, from its ProductArn (`arn:aws:securityhub:<region>::product/…`).
 * Undefined when the ARN does not name one.
 */
export function regionOfProductArn(productArn: string): string | undefined {
  return /^arn:[^:]+:securityhub:([a-z0-9-]+):[^:]*:product\//.exec(productArn)?.[1];
}

/**
 * A note Security Hub accepts: trimmed, at most 512 characters (cut with an ellipsis, never inside
 * a surrogate pair, so it stays valid UTF-8 and within the limit however characters are counted),
 * and never blank.
 */
export function securityHubNote(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return BLANK_NOTE;
  if (trimmed.length <= NOTE_MAX_LENGTH) return trimmed;
  let cut = '';
  for (const character of trimmed) {
    if (cut.length + character.length > NOTE_MAX_LENGTH - 1) break;
    cut += character;
  }
  return `${cut.trimEnd()}…`;
}

export interface SecurityHubClientOptions {
  /** The region for a finding whose ProductArn names none. Default: the SDK's (`AWS_REGION`). */
  defaultRegion?: string;
  /** Settings for every SDK client (credentials, retries, endpoint); the region comes from the finding. */
  sdk?: Omit<SecurityHubClientConfig, 'region'>;
}

/**
 * Updates findings in the region they live in: a finding aggregated into the home region from
 * another one must be updated through its own region's endpoint. One SDK client per region.
 *
 * @example
 * await new SecurityHubClient().markNotified(finding.securityHub, `TheHive case #42: ${caseUrl}`);
 */
export class SecurityHubClient {
  private readonly clients = new Map<string, SdkSecurityHubClient>();

  constructor(private readonly options: SecurityHubClientOptions = {}) {}

  /** Workflow NOTIFIED with a note, once a case exists. */
  markNotified(ref: SecurityHubRef, note: string): Promise<void> {
    return this.setWorkflow(ref, 'NOTIFIED', note);
  }

  /** Sets the finding's workflow status with a note signed `hivewire`. */
  async setWorkflow(ref: SecurityHubRef, status: WorkflowStatus, note: string): Promise<void> {
    const region = regionOfProductArn(ref.productArn) ?? this.options.defaultRegion;
    const output = await this.clientFor(region).send(
      new BatchUpdateFindingsCommand({
        FindingIdentifiers: [{ Id: ref.id, ProductArn: ref.productArn }],
        Workflow: { Status: status },
        Note: { Text: securityHubNote(note), UpdatedBy: HIVEWIRE_NOTE_AUTHOR },
      }),
    );
    // A 200 can still carry per-finding failures.
    const failure = output.UnprocessedFindings?.[0];
    if (failure) throw new SecurityHubUpdateError(ref, failure.ErrorCode, failure.ErrorMessage);
  }

  private clientFor(region: string | undefined): SdkSecurityHubClient {
    const key = region ?? '';
    let client = this.clients.get(key);
    if (!client) {
      client = new SdkSecurityHubClient({ ...this.options.sdk, ...(region ? { region } : {}) });
      this.clients.set(key, client);
    }
    return client;
  }
}
