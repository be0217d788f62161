/**
 * Deterministic findings and alert records for tests: complete, valid objects (a GuardDuty IAM
 * finding by default) that a test changes only where its behaviour depends on it.
 */
import type { Finding } from '../../src/domain/finding';
import type { AlertRecord, FindingSnapshot } from '../../src/domain/alert';

/** A finding as the pipeline produces it after enrichment: GuardDuty, IAM, a Tor caller. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  return {
    fingerprint: 'gd-4f1c2a9e7b3d5c60',
    source: 'guardduty',
    product: 'GuardDuty',
    sourceId:
      'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
    title: 'API ListBuckets was invoked from a Tor exit node',
    description:
      'An API was invoked from IP address 198.51.100.23, which is a known Tor exit node. ' +
      'This can indicate unauthorized access to your AWS resources.',
    severity: 'HIGH',
    sourceSeverity: '8',
    type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
    kind: 'iam',
    accountId: '111122223333',
    accountName: 'payments-prod',
    customer: 'acme',
    region: 'eu-west-1',
    resource: { kind: 'AccessKey', id: 'AKIAIOSFODNN7EXAMPLE', name: 'jdoe' },
    observables: [
      {
        dataType: 'ip',
        data: '198.51.100.23',
        ioc: true,
        tags: ['remote-ip', 'aws-api-call', 'asn:64496', 'as-org:Example Transit', 'country:Netherlands'],
      },
      { dataType: 'other', data: 'AKIAIOSFODNN7EXAMPLE', ioc: false, tags: ['access-key'] },
      { dataType: 'other', data: 'jdoe', ioc: false, tags: ['user-name'] },
    ],
    firstSeen: '2026-11-24T08:00:00.000Z',
    lastSeen: '2026-11-25T10:00:00.000Z',
    updatedAt: '2026-11-25T10:00:00.000Z',
    count: 12,
    workflowStatus: 'NEW',
    consoleUrl:
      'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6',
    actor: { name: 'jdoe', email: 'jdoe@example.com' },
    raw: { id: '90b2e3c4d5e6f7a8b9c0d1e2f3a4b5c6' },
    ...overrides,
  };
}

export type AlertRecordOverrides = Partial<Omit<AlertRecord, 'finding'>> & { finding?: Partial<Finding> };

/**
 * An open alert record for `makeFinding(overrides.finding)`, posted in `C0SECOPS`. Fingerprint,
 * count, severity and first/last seen follow the finding unless overridden.
 */
export function makeAlertRecord(overrides: AlertRecordOverrides = {}): AlertRecord {
  const { finding: findingOverrides, ...recordOverrides } = overrides;
  const { raw: _raw, ...finding }: Finding = makeFinding(findingOverrides);
  const snapshot: FindingSnapshot = finding;
  return {
    fingerprint: snapshot.fingerprint,
    finding: snapshot,
    channel: 'C0SECOPS',
    ts: '1764064800.000100',
    permalink: 'https://example.slack.com/archives/C0SECOPS/p1764064800000100',
    count: snapshot.count,
    severity: snapshot.severity,
    firstSeen: snapshot.firstSeen,
    lastSeen: snapshot.lastSeen,
    state: 'open',
    createdAt: '2026-11-24T08:05:00.000Z',
    updatedAt: '2026-11-25T10:05:00.000Z',
    version: 1,
    ...recordOverrides,
  };
}
