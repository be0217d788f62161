/**
 * Fingerprint: the stable id of "the same finding" across deliveries and paths.
 *
 * Shape: `<family>-<32 hex>`, the first 128 bits of SHA-256 over the finding's identity text.
 * - Hashed, because identities are long ARNs with `:` and `/` while the fingerprint travels as a
 *   Slack button value and derives TheHive's `sourceRef` (128 characters at most); 36 characters
 *   fit everywhere, and 128 bits make an accidental collision negligible.
 * - Prefixed by family (`gd`, `sh`, `usm`, `mzd`) so a person reading a button value, a sourceRef
 *   or a log line sees where the finding came from without a lookup.
 *
 * Identities:
 * - GuardDuty (`gd`): region + account + finding id. That is what the finding ARN
 *   `arn:<partition>:guardduty:<region>:<account>:detector/<detector>/finding/<id>` names (one
 *   detector per account and region), so the native event, the ASFF copy (whose `Id` is the ARN)
 *   and the Security Hub v2 OCSF copy (whose `finding_info.uid` is the ARN) meet, even when a
 *   partial payload lacks the `arn` or the detector id.
 * - Security Hub (`sh`): product ARN + finding id, Security Hub's own key for `BatchUpdateFindings`.
 *   The v2 product ARN form (`…::productv2/…`) is read as the v1 form so a finding seen as ASFF
 *   and as OCSF is one alert.
 * - USM Anywhere (`usm`): the alarm uuid. MozDef (`mzd`): the Elasticsearch document `_id`.
 */
import { createHash } from 'node:crypto';

/** `dg` is Hivewire's own: a digest alert grouping findings during a storm (alerts/storm.ts). */
export type FingerprintFamily = 'gd' | 'sh' | 'usm' | 'mzd' | 'dg';

/** The fingerprint of an identity text. */
export function fingerprintOf(family: FingerprintFamily, identity: string): string {
  return `${family}-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

/** A GuardDuty finding's place: what its ARN names. */
export interface GuardDutyFindingRef {
  partition: string;
  region: string;
  accountId: string;
  detectorId: string;
  findingId: string;
}

const GUARDDUTY_FINDING_ARN =
  /^arn:(aws[\w-]*):guardduty:([a-z0-9-]+):(\d{12}):detector\/([^/\s]+)\/finding\/([^/\s]+)$/;

/** Reads a GuardDuty finding ARN; `undefined` for anything else. */
export function parseGuardDutyArn(arn: string): GuardDutyFindingRef | undefined {
  const match = GUARDDUTY_FINDING_ARN.exec(arn);
  if (!match) return undefined;
  const [, partition = '', region = '', accountId = '', detectorId = '', findingId = ''] = match;
  return { partition, region, accountId, detectorId, findingId };
}

/** Builds the ARN of a GuardDuty finding from its parts. */
export function guardDutyArn(ref: GuardDutyFindingRef): string {
  return `arn:${ref.partition}:guardduty:${ref.region}:${ref.accountId}:detector/${ref.detectorId}/finding/${ref.findingId}`;
}

/** The fingerprint of a GuardDuty finding, whichever path it came through. */
export function guardDutyFingerprint(region: string, accountId: string, findingId: string): string {
  return fingerprintOf('gd', `guardduty/${region}/${accountId}/${findingId}`);
}

/** The fingerprint of a Security Hub finding (ASFF or OCSF) from its product ARN and id. */
export function securityHubFingerprint(productArn: string, findingId: string): string {
  return fingerprintOf('sh', `securityhub/${productArn.replace('::productv2/', '::product/')}/${findingId}`);
}

/** True when a Security Hub product ARN names GuardDuty (`…:product/aws/guardduty`, v1 or v2 form). */
export function isGuardDutyProduct(productArn: string): boolean {
  return /:product(?:v2)?\/aws\/guardduty$/.test(productArn);
}
