/**
 * Kind: which Slack alert template a finding gets, from what it is about.
 */
import type { FindingKind } from '../domain/finding';

/** GuardDuty's "resource type affected" part of a finding type (`ThreatPurpose:Resource/Family`). */
const GUARDDUTY_RESOURCES: Record<string, FindingKind> = {
  IAMUser: 'iam',
  IAM: 'iam',
  EC2: 'network',
  Lambda: 'network',
  S3: 'data',
  RDS: 'data',
  Kubernetes: 'kubernetes',
  EKS: 'kubernetes',
  Runtime: 'runtime',
  ECS: 'runtime',
  Container: 'runtime',
  Malware: 'runtime',
};

/** GuardDuty `resource.resourceType`, for types whose resource part is unknown. */
const GUARDDUTY_RESOURCE_TYPES: Record<string, FindingKind> = {
  AccessKey: 'iam',
  Instance: 'network',
  Lambda: 'network',
  S3Bucket: 'data',
  S3Object: 'data',
  RDSDBInstance: 'data',
  RDSLimitlessDB: 'data',
  EKSCluster: 'kubernetes',
  Container: 'runtime',
  ECSCluster: 'runtime',
};

/**
 * The kind of a GuardDuty finding from its type (`UnauthorizedAccess:IAMUser/TorIPCaller` → iam),
 * falling back to the resource type. Malware Protection findings (`…/MaliciousFile`) and Runtime
 * Monitoring findings are runtime whatever resource they name.
 */
export function guardDutyKind(type: string, resourceType?: string): FindingKind {
  if (/\/MaliciousFile\b/.test(type)) return 'runtime';
  const resource = /^[^:]*:([^/]+)\//.exec(type)?.[1];
  return (
    (resource === undefined ? undefined : GUARDDUTY_RESOURCES[resource]) ??
    (resourceType === undefined ? undefined : GUARDDUTY_RESOURCE_TYPES[resourceType]) ??
    'network'
  );
}

/**
 * The kind implied by an AWS resource type, in either spelling Security Hub uses: ASFF
 * (`AwsIamAccessKey`) or CloudFormation/OCSF (`AWS::IAM::AccessKey`).
 */
export function resourceTypeKind(resourceType: string | undefined): FindingKind | undefined {
  if (!resourceType) return undefined;
  const flat = resourceType.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
  if (flat.startsWith('awsiam')) return 'iam';
  if (flat.startsWith('awss3') || flat.startsWith('awsrds') || flat.startsWith('awsdynamodb')) return 'data';
  if (flat.startsWith('awseks')) return 'kubernetes';
  if (flat.startsWith('awsecs') || flat.startsWith('container')) return 'runtime';
  if (flat.startsWith('awsec2') || flat.startsWith('awslambda')) return 'network';
  return undefined;
}

/** Security Hub products whose findings are about posture, not activity. */
const COMPLIANCE_PRODUCTS = new Set([
  'securityhub',
  'config',
  'inspector',
  'access-analyzer',
  'firewall-manager',
  'health',
  'ssm-patch-manager',
  'securityhub-coverage',
]);

/** ASFF `Types` namespaces that describe activity (threats), not configuration. */
const THREAT_NAMESPACES = new Set(['TTPs', 'Effects', 'Unusual Behaviors']);

/**
 * The kind of a Security Hub finding that is not GuardDuty's: Macie is data, AWS posture products
 * (controls, Config, Inspector, Access Analyzer …) are compliance; other products by their
 * `Types` namespace: threats by the resource they touch, configuration checks as compliance.
 */
export function securityHubKind(productSlug: string, types: string[], resourceType?: string): FindingKind {
  if (productSlug === 'macie') return 'data';
  if (COMPLIANCE_PRODUCTS.has(productSlug)) return 'compliance';
  const namespaces = types.map((type) => type.split('/')[0] ?? '');
  if (namespaces.includes('Sensitive Data Identifications')) return 'data';
  if (namespaces.some((namespace) => THREAT_NAMESPACES.has(namespace))) {
    return resourceTypeKind(resourceType) ?? 'network';
  }
  return 'compliance';
}
