/**
 * Every fixture through `parseEvent`: the exact fingerprint, severity, title, type, kind, account,
 * region and count of each finding, and the exact observables of a representative set.
 */
import type { NormalisedFinding, Observable } from '../../src/domain/finding';
import { parseEvent } from '../../src/findings/parse';
import { loadFixture, onlyFinding } from './load-fixture';

type Expected = Pick<
  NormalisedFinding,
  'fingerprint' | 'severity' | 'sourceSeverity' | 'title' | 'type' | 'kind' | 'accountId' | 'region' | 'count'
>;

const FIXTURES: [string, Expected][] = [
  [
    'aws/asff-accessanalyzer-s3-crossaccount.json',
    {
      fingerprint: 'sh-32476e976b6128cbe217f6a49bc78690',
      severity: 'LOW',
      sourceSeverity: 'LOW',
      title: 'AwsS3Bucket/arn:aws:s3:::my-bucket/ allows cross-account access',
      type: 'Software and Configuration Checks/AWS Security Best Practices/External Access Granted',
      kind: 'compliance',
      accountId: '111122223333',
      region: 'us-west-2',
      count: 1,
    },
  ],
  [
    'aws/asff-guardduty-recon-iamuser-maliciousipcaller.json',
    {
      fingerprint: 'gd-4af8de0c60537d9b58d5308c7f4232f5',
      severity: 'MEDIUM',
      sourceSeverity: 'Normalized 50',
      title:
        '[SAMPLE] Reconnaissance API GeneratedFindingAPIName was invoked from a known malicious IP address.',
      type: 'Recon:IAMUser/MaliciousIPCaller',
      kind: 'iam',
      accountId: '081476508764',
      region: 'us-east-1',
      count: 2,
    },
  ],
  [
    'aws/asff-guardduty-sshbruteforce.json',
    {
      fingerprint: 'gd-b79c9ed7cf80f3a0dfc955c9c6fab224',
      severity: 'MEDIUM',
      sourceSeverity: 'MEDIUM',
      title: '199.241.229.197 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      kind: 'network',
      accountId: '193043430472',
      region: 'us-east-1',
      count: 74,
    },
  ],
  [
    'aws/asff-securityhub-afsbp-ec2-2.json',
    {
      fingerprint: 'sh-3bc3b6dc64054afb00fe53ca154784a0',
      severity: 'INFORMATIONAL',
      sourceSeverity: 'INFORMATIONAL',
      title: 'EC2.2 The VPC default security group should not allow inbound and outbound traffic',
      type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
      kind: 'compliance',
      accountId: '111111111111',
      region: 'us-east-1',
      count: 1,
    },
  ],
  [
    'aws/guardduty-backdoor-denialofservice-tcp.json',
    {
      fingerprint: 'gd-2d9413d544f0c068ab0a97878a2f2c8b',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] EC2 instance i-99999999 is behaving in a manner that may indicate it is being used to perform a Denial of Service (DoS) attack using TCP protocol.',
      type: 'Backdoor:EC2/DenialOfService.Tcp',
      kind: 'network',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-ec2-maliciousipcaller-custom-rdp.json',
    {
      fingerprint: 'gd-0152f2e9650223d6bd81dee9fb978384',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title: '[SAMPLE] EC2 instance i-99999999 communicating with disallowed IP address.',
      type: 'UnauthorizedAccess:EC2/MaliciousIPCaller.Custom',
      kind: 'network',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-eks-execinkubesystempod.json',
    {
      fingerprint: 'gd-bdbd72696f926e6d7db16059654e2423',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title: '[SAMPLE] Command executed inside a pod in kube-system namespace.',
      type: 'Execution:Kubernetes/ExecInKubeSystemPod',
      kind: 'kubernetes',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 1,
    },
  ],
  [
    'aws/guardduty-eks-successfulanonymousaccess.json',
    {
      fingerprint: 'gd-5ba0a9537684516fdaf4ebead2407ce3',
      severity: 'HIGH',
      sourceSeverity: '8',
      title: '[SAMPLE] Kubernetes API commonly used in Persistence tactics invoked by the anonymous user.',
      type: 'Persistence:Kubernetes/SuccessfulAnonymousAccess',
      kind: 'kubernetes',
      accountId: '123412341234',
      region: 'us-east-1',
      count: 2,
    },
  ],
  [
    'aws/guardduty-iamuser-toripcaller.json',
    {
      fingerprint: 'gd-f9a2ce772be13cb72fd56177483c3f7c',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title: '[SAMPLE] API GeneratedFindingAPIName was invoked from a Tor exit node.',
      type: 'UnauthorizedAccess:IAMUser/TorIPCaller',
      kind: 'iam',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-impact-s3-maliciousipcaller.json',
    {
      fingerprint: 'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
      type: 'Impact:S3/MaliciousIPCaller',
      kind: 'data',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-policy-s3-bucketblockpublicaccessdisabled.json',
    {
      fingerprint: 'gd-7165896d7b53c44e35bf0815b3613318',
      severity: 'LOW',
      sourceSeverity: '2',
      title: '[SAMPLE] Amazon S3 Block Public Access was disabled for S3 bucket GeneratedFindingS3Bucket.',
      type: 'Policy:S3/BucketBlockPublicAccessDisabled',
      kind: 'data',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-rds-anomalous-successfullogin.json',
    {
      fingerprint: 'gd-33fdbd3298ca6a7cc5d0c9ad7bab9dde',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] Unusual successful login by GeneratedFindingUserName observed on RDS instance GeneratedFindingDBInstanceId.',
      type: 'CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin',
      kind: 'data',
      accountId: '123412341234',
      region: 'us-east-1',
      count: 1,
    },
  ],
  [
    'aws/guardduty-recon-iamuser-maliciousipcaller-custom.json',
    {
      fingerprint: 'gd-9edb0a502190633d842708bef46d97c3',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title:
        '[SAMPLE] Reconnaissance API GeneratedFindingAPIName was invoked from an IP address on a custom threat list.',
      type: 'Recon:IAMUser/MaliciousIPCaller.Custom',
      kind: 'iam',
      accountId: '123456789012',
      region: 'us-east-1',
      count: 1,
    },
  ],
  [
    'aws/guardduty-sshbruteforce-detail-only.json',
    {
      fingerprint: 'gd-953dd347c4849ee85624306d2dfd116e',
      severity: 'LOW',
      sourceSeverity: '2',
      title: '[SAMPLE] 198.51.100.0 is performing SSH brute force attacks against i-99999999.',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      kind: 'network',
      accountId: undefined,
      region: undefined,
      count: 1,
    },
  ],
  [
    'aws/guardduty-stealth-iamuser-passwordpolicychange.json',
    {
      fingerprint: 'gd-7943e921452e9bb701e88cff894a277a',
      severity: 'LOW',
      sourceSeverity: '2',
      title: '[SAMPLE] Account password policy was weakened by calling GeneratedFindingAPIName.',
      type: 'Stealth:IAMUser/PasswordPolicyChange',
      kind: 'iam',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/guardduty-trojan-blackholetraffic-dns.json',
    {
      fingerprint: 'gd-e0f3da5ea797b28fda433c1782f3fcce',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title: '[SAMPLE] Blackholed domain name queried by EC2 instance i-99999999.',
      type: 'Trojan:EC2/BlackholeTraffic!DNS',
      kind: 'network',
      accountId: '123412341234',
      region: 'us-east-1',
      count: 2,
    },
  ],
  [
    'aws/guardduty-trojan-dgadomainrequest-b.json',
    {
      fingerprint: 'gd-b4c03d46c7dff2faafe670e387a2eb66',
      severity: 'HIGH',
      sourceSeverity: '8',
      title: '[SAMPLE] DGA domain name queried by EC2 instance i-99999999.',
      type: 'Trojan:EC2/DGADomainRequest.B',
      kind: 'network',
      accountId: '000000000000',
      region: 'eu-west-1',
      count: 5,
    },
  ],
  [
    'aws/guardduty-trojan-droppoint-dns.json',
    {
      fingerprint: 'gd-dd164621ba482789f480acf9b613d0f0',
      severity: 'MEDIUM',
      sourceSeverity: '5',
      title: '[SAMPLE] Drop Point domain name queried by EC2 instance i-99999999.',
      type: 'Trojan:EC2/DropPoint!DNS',
      kind: 'network',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'aws/ocsf-inspector-lambda-cve-2025-47906.json',
    {
      fingerprint: 'sh-cfd25167d80be37efe88cdbbb654e05d',
      severity: 'MEDIUM',
      sourceSeverity: 'Medium',
      title: 'CVE-2025-47906 - go/stdlib',
      type: 'Software and Configuration Checks/Vulnerabilities/CVE',
      kind: 'compliance',
      accountId: '123456789012',
      region: 'us-east-2',
      count: 1,
    },
  ],
  [
    'aws/ocsf-securityhub-control-sqs-1-fail.json',
    {
      fingerprint: 'sh-8f36805e18dd6613b85f7feef6412432',
      severity: 'MEDIUM',
      sourceSeverity: 'Medium',
      title: 'Amazon SQS queues should be encrypted at rest',
      type: 'Software and Configuration Checks/Industry and Regulatory Standards',
      kind: 'compliance',
      accountId: '123456789012',
      region: 'us-east-2',
      count: 1,
    },
  ],
  [
    'aws/securityhub-custom-action-prowler.json',
    {
      fingerprint: 'sh-f2a1057784db620448fc096ee9f41368',
      severity: 'HIGH',
      sourceSeverity: 'HIGH',
      title: '[extra759] Find secrets in Lambda functions variables',
      type: 'Software and Configuration Checks',
      kind: 'compliance',
      accountId: '123456789012',
      region: 'eu-west-1',
      count: 1,
    },
  ],
  [
    'aws/securityhub-imported-afsbp-ec2-7.json',
    {
      fingerprint: 'sh-6ac6b7ea1f7a249dbd75d74aa2f00df5',
      severity: 'INFORMATIONAL',
      sourceSeverity: 'INFORMATIONAL',
      title: 'EC2.7 EBS default encryption should be enabled',
      type: 'Software and Configuration Checks/Industry and Regulatory Standards/AWS-Foundational-Security-Best-Practices',
      kind: 'compliance',
      accountId: '111111111111',
      region: 'us-east-1',
      count: 1,
    },
  ],
  [
    'aws/securityhub-imported-cis-1-3-warning.json',
    {
      fingerprint: 'sh-e69f38eaaa61ef242fea142e1c34de85',
      severity: 'MEDIUM',
      sourceSeverity: 'MEDIUM',
      title: '1.3 Ensure credentials unused for 90 days or greater are disabled',
      type: 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      kind: 'compliance',
      accountId: '111111111111',
      region: 'us-east-1',
      count: 1,
    },
  ],
  [
    'aws/securityhub-v2-imported-guardduty-cloudtrailloggingdisabled.json',
    {
      fingerprint: 'gd-a46b0cd0a064469520525fcffec0b486',
      severity: 'LOW',
      sourceSeverity: 'Low',
      title: 'An AWS CloudTrail trail Aws-Observability-e2esumoqeui was disabled.',
      type: 'Stealth:IAMUser/CloudTrailLoggingDisabled',
      kind: 'iam',
      accountId: '869728294964',
      region: 'us-east-1',
      count: 264,
    },
  ],
  [
    'siem/mozdef-alert-duo-bypass-generated.json',
    {
      fingerprint: 'mzd-134a831fa99660e4be2fbf3cefe9673a',
      severity: 'LOW',
      sourceSeverity: 'NOTICE',
      title: 'DuoSecurity MFA Bypass codes generated (1): tester@website.com [a.website.com]',
      type: 'AlertGenericLoader:duosecurity_bypass_generated',
      kind: 'siem',
      accountId: undefined,
      region: undefined,
      count: 1,
    },
  ],
  [
    'siem/mozdef-alert-ssh-sensitive-host.json',
    {
      fingerprint: 'mzd-18f4b620f64e29772deddecda62c0c55',
      severity: 'MEDIUM',
      sourceSeverity: 'WARNING',
      title: 'Session opened on sensitive host by (1): tester [test@website.com]',
      type: 'AlertGenericLoader:ssh_open_crit',
      kind: 'siem',
      accountId: undefined,
      region: undefined,
      count: 1,
    },
  ],
  [
    'siem/usm-anywhere-alarm-password-reset-attempts.json',
    {
      fingerprint: 'usm-19c530b2fbfb96c26fb49d544ad4cb59',
      severity: 'LOW',
      sourceSeverity: 'low',
      title: 'Multiple Account Password Reset Attempts',
      type: 'MultipleAccountPasswordResetAttempts',
      kind: 'siem',
      accountId: undefined,
      region: undefined,
      count: 3,
    },
  ],
  [
    'siem/usm-anywhere-alarm-windows-scheduled-job.json',
    {
      fingerprint: 'usm-23dbc8ca38e33c2d2d6b355fc2b3d888',
      severity: 'LOW',
      sourceSeverity: 'low',
      title: 'Windows Scheduled Job Created',
      type: 'Windows scheduled job created',
      kind: 'siem',
      accountId: undefined,
      region: undefined,
      count: 1,
    },
  ],
  [
    'derived/guardduty-event-impact-s3-maliciousipcaller-republished.json',
    {
      fingerprint: 'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
      type: 'Impact:S3/MaliciousIPCaller',
      kind: 'data',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 5,
    },
  ],
  [
    'derived/guardduty-event-impact-s3-maliciousipcaller.json',
    {
      fingerprint: 'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
      type: 'Impact:S3/MaliciousIPCaller',
      kind: 'data',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'derived/guardduty-event-sshbruteforce-from-asff.json',
    {
      fingerprint: 'gd-b79c9ed7cf80f3a0dfc955c9c6fab224',
      severity: 'LOW',
      sourceSeverity: '2',
      title: '199.241.229.197 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      kind: 'network',
      accountId: '193043430472',
      region: 'us-east-1',
      count: 74,
    },
  ],
  [
    'derived/securityhub-imported-guardduty-sshbruteforce-after-hivewire-note.json',
    {
      fingerprint: 'gd-b79c9ed7cf80f3a0dfc955c9c6fab224',
      severity: 'MEDIUM',
      sourceSeverity: 'MEDIUM',
      title: '199.241.229.197 is performing SSH brute force attacks against i-0c10c2c7863d1a356.',
      type: 'UnauthorizedAccess:EC2/SSHBruteForce',
      kind: 'network',
      accountId: '193043430472',
      region: 'us-east-1',
      count: 75,
    },
  ],
  [
    'derived/sns-http-notification-guardduty-event.json',
    {
      fingerprint: 'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      severity: 'HIGH',
      sourceSeverity: '8',
      title:
        '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
      type: 'Impact:S3/MaliciousIPCaller',
      kind: 'data',
      accountId: '973743533182',
      region: 'us-east-2',
      count: 4,
    },
  ],
  [
    'derived/sns-lambda-records-securityhub-imported-cis-1-3.json',
    {
      fingerprint: 'sh-e69f38eaaa61ef242fea142e1c34de85',
      severity: 'MEDIUM',
      sourceSeverity: 'MEDIUM',
      title: '1.3 Ensure credentials unused for 90 days or greater are disabled',
      type: 'Software and Configuration Checks/Industry and Regulatory Standards/CIS AWS Foundations Benchmark',
      kind: 'compliance',
      accountId: '111111111111',
      region: 'us-east-1',
      count: 1,
    },
  ],
];

function summary(finding: NormalisedFinding): Expected {
  const { fingerprint, severity, sourceSeverity, title, type, kind, accountId, region, count } = finding;
  return { fingerprint, severity, sourceSeverity, title, type, kind, accountId, region, count };
}

describe('parseEvent on every fixture', () => {
  it.each(FIXTURES)('%s normalises to its expected identity, severity and metadata', (path, expected) => {
    const finding = onlyFinding(parseEvent(loadFixture(path)));
    expect(summary(finding)).toStrictEqual(expected);
  });

  it('produces fingerprints of at most 64 characters, each a family prefix and 32 hex digits', () => {
    for (const [path] of FIXTURES) {
      expect(onlyFinding(parseEvent(loadFixture(path))).fingerprint).toMatch(
        /^(gd|sh|usm|mzd)-[0-9a-f]{32}$/,
      );
    }
  });
});

/** Exact observables, in order: structured fields first, then what the text adds. */
const OBSERVABLES: [string, Observable[]][] = [
  [
    'aws/asff-guardduty-sshbruteforce.json',
    [
      {
        dataType: 'ip',
        data: '199.241.229.197',
        tags: [
          'remote-ip',
          'direction:inbound',
          'asn:209',
          'as-org:CENTURYLINK-US-LEGACY-QWEST',
          'country:United States',
        ],
        ioc: true,
      },
      { dataType: 'other', data: '46717', tags: ['port:remote'], ioc: false },
      { dataType: 'ip', data: '172.31.43.6', tags: ['local-ip', 'private'], ioc: false },
      { dataType: 'other', data: '22', tags: ['port:local', 'service:SSH'], ioc: false },
    ],
  ],
  [
    'aws/guardduty-sshbruteforce-detail-only.json',
    [
      {
        dataType: 'ip',
        data: '198.51.100.0',
        tags: ['remote-ip', 'direction:inbound', 'documentation'],
        ioc: false,
      },
      { dataType: 'other', data: '32794', tags: ['port:remote'], ioc: false },
      { dataType: 'other', data: '22', tags: ['port:local', 'service:SSH'], ioc: false },
    ],
  ],
  [
    'aws/guardduty-backdoor-denialofservice-tcp.json',
    [
      {
        dataType: 'ip',
        data: '81.2.69.144',
        tags: ['remote-ip', 'direction:outbound', 'victim'],
        ioc: false,
      },
      { dataType: 'other', data: '80', tags: ['port:remote', 'service:HTTP'], ioc: false },
      { dataType: 'ip', data: '10.0.0.23', tags: ['local-ip', 'private'], ioc: false },
      { dataType: 'other', data: '24198', tags: ['port:local'], ioc: false },
    ],
  ],
  [
    'aws/guardduty-eks-successfulanonymousaccess.json',
    [
      {
        dataType: 'ip',
        data: '175.16.199.1',
        tags: ['remote-ip', 'k8s-api-call', 'k8s-source-ip'],
        ioc: true,
      },
      { dataType: 'other', data: 'system:anonymous', tags: ['k8s-user'], ioc: false },
    ],
  ],
  [
    'aws/guardduty-eks-execinkubesystempod.json',
    [
      { dataType: 'ip', data: '81.2.69.144', tags: ['remote-ip', 'k8s-api-call'], ioc: true },
      { dataType: 'ip', data: '10.0.0.23', tags: ['k8s-source-ip', 'private'], ioc: false },
    ],
  ],
  [
    'aws/guardduty-stealth-iamuser-passwordpolicychange.json',
    [{ dataType: 'ip', data: '81.2.69.144', tags: ['remote-ip', 'aws-api-call', 'asn:24309'], ioc: true }],
  ],
  ['aws/guardduty-trojan-dgadomainrequest-b.json', []],
  [
    'aws/asff-accessanalyzer-s3-crossaccount.json',
    [
      { dataType: 'other', data: 'my-bucket', tags: ['s3-bucket'], ioc: false },
      { dataType: 'other', data: '444455556666', tags: ['external-principal'], ioc: false },
    ],
  ],
  [
    'aws/asff-guardduty-recon-iamuser-maliciousipcaller.json',
    [{ dataType: 'ip', data: '198.51.100.0', tags: ['remote-ip', 'documentation'], ioc: false }],
  ],
  [
    'aws/securityhub-v2-imported-guardduty-cloudtrailloggingdisabled.json',
    [
      { dataType: 'other', data: 'ASIA4U76YS3TB3MEOA3O', tags: ['access-key'], ioc: false },
      { dataType: 'other', data: 'cis_automation', tags: ['user-name'], ioc: false },
    ],
  ],
  [
    'aws/ocsf-inspector-lambda-cve-2025-47906.json',
    [
      { dataType: 'other', data: 'CVE-2025-47906', tags: ['cve'], ioc: false },
      { dataType: 'other', data: 'go/stdlib', tags: ['package'], ioc: false, message: 'installed 1.24.0' },
    ],
  ],
  ['aws/securityhub-imported-afsbp-ec2-7.json', []],
  [
    'siem/mozdef-alert-ssh-sensitive-host.json',
    [
      { dataType: 'ip', data: '1.2.3.4', tags: ['src'], ioc: true },
      { dataType: 'other', data: 'tester', tags: ['user-name'], ioc: false },
      { dataType: 'hostname', data: 'a.host.website.com', tags: ['host'], ioc: false },
      { dataType: 'mail', data: 'test@website.com', tags: ['from-text'], ioc: false },
    ],
  ],
  [
    'siem/mozdef-alert-duo-bypass-generated.json',
    [
      { dataType: 'other', data: 'API', tags: ['user-name'], ioc: false },
      { dataType: 'hostname', data: 'mozdef.website.com', tags: ['host'], ioc: false },
      { dataType: 'mail', data: 'tester@website.com', tags: ['from-text'], ioc: false },
      { dataType: 'fqdn', data: 'a.website.com', tags: ['from-text'], ioc: false },
    ],
  ],
  [
    'siem/usm-anywhere-alarm-password-reset-attempts.json',
    [
      { dataType: 'other', data: 'src.username', tags: ['user-name', 'src'], ioc: false },
      { dataType: 'other', data: 'some.user', tags: ['user-name', 'dst'], ioc: false },
    ],
  ],
  [
    'siem/usm-anywhere-alarm-windows-scheduled-job.json',
    [{ dataType: 'other', data: 'HW-HOST-13$', tags: ['user-name', 'src'], ioc: false }],
  ],
];

describe('observables of the fixtures', () => {
  it.each(OBSERVABLES)('%s yields exactly these observables', (path, expected) => {
    expect(onlyFinding(parseEvent(loadFixture(path))).observables).toStrictEqual(expected);
  });
});
