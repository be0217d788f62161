/**
 * The normalised security finding: every source (GuardDuty, Security Hub/ASFF, OCSF, SIEM alerts)
 * becomes one of these before anything else in Hivewire looks at it.
 */

export const SEVERITIES = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Orders severities: INFORMATIONAL = 0 … CRITICAL = 4. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function isAtLeast(severity: Severity, threshold: Severity): boolean {
  return severityRank(severity) >= severityRank(threshold);
}

/** `slack`: a message someone reported to the SOC with the "Report to SOC" shortcut. */
export type FindingSource = 'guardduty' | 'securityhub' | 'siem' | 'slack';

/** Picks the Slack alert template: what the finding is about. */
export type FindingKind = 'iam' | 'network' | 'data' | 'runtime' | 'kubernetes' | 'compliance' | 'siem';

/** Security Hub's workflow status of a finding (ASFF `Workflow.Status`). */
export type WorkflowStatus = 'NEW' | 'NOTIFIED' | 'RESOLVED' | 'SUPPRESSED';

/**
 * An indicator or piece of context, typed with TheHive's observable data types
 * (`ip`, `domain`, `fqdn`, `url`, `hash`, `mail`, `user-agent`, `filename`, `hostname`, `other`, …).
 * Private and reserved addresses are context, not indicators: `ioc: false`.
 */
export interface Observable {
  dataType: string;
  data: string;
  tags?: string[];
  ioc?: boolean;
  message?: string;
}

export interface FindingResource {
  /** e.g. `Instance`, `AccessKey`, `S3Bucket`, `AwsEc2Instance`, `Host` */
  kind: string;
  id: string;
  name?: string;
  tags?: Record<string, string>;
}

/** Identity of the finding in Security Hub, for `BatchUpdateFindings`. */
export interface SecurityHubRef {
  id: string;
  productArn: string;
}

/** The person a finding is about, for "was this you?". */
export interface FindingActor {
  name: string;
  email?: string;
}

export interface NormalisedFinding {
  /** Stable id of "the same finding" across deliveries and paths (GuardDuty native and through Security Hub). */
  fingerprint: string;
  source: FindingSource;
  /** The product that produced it: `GuardDuty`, `Inspector`, `Security Hub`, `IAM Access Analyzer`, `USM Anywhere`, `MozDef`, … */
  product: string;
  /** The source's own id: GuardDuty finding ARN, ASFF `Id`, USM alarm uuid, MozDef document id. */
  sourceId: string;
  title: string;
  description: string;
  severity: Severity;
  /** The source's own severity value as it was given (`8`, `Normalized 40`, `WARNING`, …). */
  sourceSeverity: string;
  /** The source's finding type (`UnauthorizedAccess:EC2/SSHBruteForce`, ASFF `Types[0]`, SIEM rule or category). */
  type: string;
  kind: FindingKind;
  accountId?: string;
  region?: string;
  resource?: FindingResource;
  observables: Observable[];
  /** ISO-8601 timestamps. */
  firstSeen: string;
  lastSeen: string;
  /** When the source last changed the finding: orders redeliveries. */
  updatedAt: string;
  /** Occurrences aggregated into this finding (GuardDuty `service.count`), at least 1. */
  count: number;
  workflowStatus?: WorkflowStatus;
  securityHub?: SecurityHubRef;
  consoleUrl?: string;
  actor?: FindingActor;
  /** The event as received, for the audit trail and the case description. */
  raw: unknown;
}

/** A finding after enrichment: who it belongs to. */
export interface Finding extends NormalisedFinding {
  customer: string;
  accountName?: string;
}
