/**
 * Kind: the alert template a finding gets.
 */
import { guardDutyKind, resourceTypeKind, securityHubKind } from '../../src/findings/kind';

describe('guardDutyKind', () => {
  it.each([
    ['UnauthorizedAccess:IAMUser/TorIPCaller', undefined, 'iam'],
    ['AttackSequence:IAM/CompromisedCredentials', undefined, 'iam'],
    ['UnauthorizedAccess:EC2/SSHBruteForce', 'Instance', 'network'],
    ['Backdoor:Lambda/C&CActivity.B', undefined, 'network'],
    ['Impact:S3/MaliciousIPCaller', 'S3Bucket', 'data'],
    ['CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin', undefined, 'data'],
    ['Persistence:Kubernetes/SuccessfulAnonymousAccess', 'EKSCluster', 'kubernetes'],
    ['AttackSequence:EKS/CompromisedCluster', undefined, 'kubernetes'],
    ['CryptoCurrency:Runtime/BitcoinTool.B', 'Instance', 'runtime'],
    ['AttackSequence:ECS/CompromisedCluster', undefined, 'runtime'],
    ['Execution:EC2/MaliciousFile', 'Instance', 'runtime'],
    ['Object:S3/MaliciousFile', 'S3Object', 'runtime'],
    ['Unknown', 'AccessKey', 'iam'],
    ['Unknown', 'Container', 'runtime'],
    ['Unknown', undefined, 'network'],
  ])('%s (%s) is %s', (type, resourceType, expected) =>
    expect(guardDutyKind(type, resourceType)).toBe(expected),
  );
});

describe('resourceTypeKind', () => {
  it('reads ASFF and CloudFormation spellings alike', () => {
    expect(
      [
        'AwsIamAccessKey',
        'AWS::IAM::AccessKey',
        'AwsS3Bucket',
        'AWS::RDS::DBInstance',
        'AwsEksCluster',
        'Container',
        'AwsEc2Instance',
        'AwsAccount',
        undefined,
      ].map(resourceTypeKind),
    ).toEqual(['iam', 'iam', 'data', 'data', 'kubernetes', 'runtime', 'network', undefined, undefined]);
  });
});

describe('securityHubKind', () => {
  it.each([
    ['macie', [], undefined, 'data'],
    ['securityhub', ['TTPs/whatever'], undefined, 'compliance'],
    ['inspector', [], undefined, 'compliance'],
    ['access-analyzer', [], undefined, 'compliance'],
    ['123456789012/default', ['Software and Configuration Checks'], undefined, 'compliance'],
    ['123456789012/default', ['Sensitive Data Identifications/PII'], undefined, 'data'],
    ['crowdstrike/crowdstrike-falcon', ['TTPs/Execution'], 'AwsEc2Instance', 'network'],
    ['crowdstrike/crowdstrike-falcon', ['Unusual Behaviors/User'], 'AwsIamUser', 'iam'],
    ['crowdstrike/crowdstrike-falcon', ['Effects/Data Exfiltration'], undefined, 'network'],
  ])('%s %j on %s is %s', (product, types, resourceType, expected) =>
    expect(securityHubKind(product, types, resourceType)).toBe(expected),
  );
});
