/**
 * GuardDuty findings: identity across delivery paths, republication, and the fields and
 * observables taken from the finding. Variants are built from the real fixtures in the test.
 */
import { createHash } from 'node:crypto';
import { parseEvent } from '../../src/findings/parse';
import { loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const IMPACT_S3 = 'aws/guardduty-impact-s3-maliciousipcaller.json';

function impactS3(): Json {
  return loadFixtureObject(IMPACT_S3);
}

function gdFingerprint(identity: string): string {
  return `gd-${createHash('sha256').update(identity).digest('hex').slice(0, 32)}`;
}

describe('GuardDuty identity', () => {
  it('gives the native event and its Security Hub ASFF copy the same fingerprint', () => {
    const native = onlyFinding(
      parseEvent(loadFixtureObject('derived/guardduty-event-sshbruteforce-from-asff.json')),
    );
    const asff = onlyFinding(parseEvent(loadFixtureObject('aws/asff-guardduty-sshbruteforce.json')));
    expect(native.fingerprint).toBe('gd-b79c9ed7cf80f3a0dfc955c9c6fab224');
    expect(asff.fingerprint).toBe(native.fingerprint);
    expect(native.fingerprint).toBe(
      gdFingerprint('guardduty/us-east-1/193043430472/46ba0ac2845071e23ccdeb2ae03bfdea'),
    );
    expect(native.sourceId).toBe(asff.sourceId);
    expect(native.observables).toStrictEqual(asff.observables);
  });

  it('keeps each path its own severity: GuardDuty scores 2 as LOW where this Security Hub copy is labelled MEDIUM', () => {
    const native = onlyFinding(
      parseEvent(loadFixtureObject('derived/guardduty-event-sshbruteforce-from-asff.json')),
    );
    const asff = onlyFinding(parseEvent(loadFixtureObject('aws/asff-guardduty-sshbruteforce.json')));
    expect([native.severity, native.sourceSeverity, native.source]).toEqual(['LOW', '2', 'guardduty']);
    expect([asff.severity, asff.sourceSeverity, asff.source]).toEqual(['MEDIUM', 'MEDIUM', 'securityhub']);
  });

  it('meets the Security Hub v2 (OCSF) copy of a GuardDuty finding on the same fingerprint', () => {
    const ocsf = onlyFinding(
      parseEvent(loadFixtureObject('aws/securityhub-v2-imported-guardduty-cloudtrailloggingdisabled.json')),
    );
    // The native event of the same finding, rebuilt from the ARN the OCSF copy carries.
    const native = impactS3();
    native.arn = ocsf.sourceId;
    native.id = '06c95f0cfdfd3b579b977e20e9da1aa4';
    native.accountId = '869728294630';
    native.region = 'us-east-1';
    expect(onlyFinding(parseEvent(native)).fingerprint).toBe(ocsf.fingerprint);
    expect(ocsf.fingerprint).toBe(
      gdFingerprint('guardduty/us-east-1/869728294630/06c95f0cfdfd3b579b977e20e9da1aa4'),
    );
  });

  it('gives a republished finding (count + 1) the same fingerprint with the new count and times', () => {
    const first = onlyFinding(
      parseEvent(loadFixtureObject('derived/guardduty-event-impact-s3-maliciousipcaller.json')),
    );
    const again = onlyFinding(
      parseEvent(loadFixtureObject('derived/guardduty-event-impact-s3-maliciousipcaller-republished.json')),
    );
    expect(again.fingerprint).toBe(first.fingerprint);
    expect([first.count, again.count]).toEqual([4, 5]);
    expect([first.lastSeen, again.lastSeen]).toEqual([
      '2022-01-28T21:12:25.000Z',
      '2022-01-28T21:27:25.000Z',
    ]);
    expect([first.updatedAt, again.updatedAt]).toEqual([
      '2022-01-28T21:12:25.478Z',
      '2022-01-28T21:27:25.478Z',
    ]);
    expect(again.firstSeen).toBe('2022-01-12T19:22:44.000Z');
  });

  it('builds the finding ARN from its parts when the event has no arn, keeping the fingerprint', () => {
    const withArn = onlyFinding(parseEvent(impactS3()));
    const finding = impactS3();
    delete finding.arn;
    const normalised = onlyFinding(parseEvent(finding));
    expect(normalised.fingerprint).toBe(withArn.fingerprint);
    expect(normalised.sourceId).toBe(
      'arn:aws:guardduty:us-east-2:973743533182:detector/37da5a0204286ccd967d2395320d4dcd/finding/02bf27df0ab318783b0a8f63569dfd68',
    );
  });

  it('falls back to the bare finding id as source id when neither arn nor detector id is given', () => {
    const finding = impactS3();
    delete finding.arn;
    delete finding.service.detectorId;
    const normalised = onlyFinding(parseEvent(finding));
    expect(normalised.sourceId).toBe('02bf27df0ab318783b0a8f63569dfd68');
    expect(normalised.fingerprint).toBe('gd-b0a3a5992a56fc05d45e4f1f04b8c030');
  });

  it('identifies the id-less sample payload by type and resource, with no account, region or console link', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('aws/guardduty-sshbruteforce-detail-only.json')),
    );
    expect(finding.sourceId).toBe('UnauthorizedAccess:EC2/SSHBruteForce/i-99999999');
    expect(finding.fingerprint).toBe(
      gdFingerprint('guardduty-unidentified/UnauthorizedAccess:EC2/SSHBruteForce/i-99999999'),
    );
    expect([finding.accountId, finding.region, finding.consoleUrl]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('takes region and account from the EventBridge envelope when the finding lacks them', () => {
    const finding = impactS3();
    delete finding.arn;
    delete finding.region;
    delete finding.accountId;
    const event = {
      'detail-type': 'GuardDuty Finding',
      source: 'aws.guardduty',
      account: '973743533182',
      region: 'us-east-2',
      detail: finding,
    };
    const normalised = onlyFinding(parseEvent(event));
    expect([normalised.accountId, normalised.region]).toEqual(['973743533182', 'us-east-2']);
    expect(normalised.fingerprint).toBe('gd-b0a3a5992a56fc05d45e4f1f04b8c030');
  });
});

describe('GuardDuty fields', () => {
  it('links the finding in the GuardDuty console of its region', () => {
    expect(onlyFinding(parseEvent(impactS3())).consoleUrl).toBe(
      'https://us-east-2.console.aws.amazon.com/guardduty/home?region=us-east-2#/findings?macros=current&fId=02bf27df0ab318783b0a8f63569dfd68',
    );
  });

  it('keeps the raw finding and the resource with its tags as a flat map', () => {
    const input = impactS3();
    const finding = onlyFinding(parseEvent(input));
    expect(finding.raw).toBe(input);
    expect(finding.resource).toStrictEqual({
      kind: 'S3Bucket',
      id: 'arn:aws:s3:::bucketName',
      name: 'bucketName',
      tags: { foo: 'bar' },
    });
  });

  it('describes an EC2 finding by its instance, with the Name tag as resource name', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('derived/guardduty-event-sshbruteforce-from-asff.json')),
    );
    expect(finding.resource).toStrictEqual({
      kind: 'Instance',
      id: 'i-0c10c2c7863d1a356',
      name: 'kubectl',
      tags: { Name: 'kubectl' },
    });
  });

  it('marks sample findings in the title as the GuardDuty console does, and only those', () => {
    expect(onlyFinding(parseEvent(impactS3())).title).toBe(
      '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
    );
    const real = impactS3();
    real.service.additionalInfo = {};
    expect(onlyFinding(parseEvent(real)).title).toBe(
      'S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.',
    );
  });

  it('falls back to type and resource when title and description are missing', () => {
    const finding = impactS3();
    delete finding.title;
    delete finding.description;
    finding.service.additionalInfo = {};
    const normalised = onlyFinding(parseEvent(finding));
    expect(normalised.title).toBe('Impact:S3/MaliciousIPCaller on arn:aws:s3:::bucketName');
    expect(normalised.description).toBe('Impact:S3/MaliciousIPCaller on arn:aws:s3:::bucketName');
  });

  it('reads a severity sent as a numeric string', () => {
    const finding = impactS3();
    finding.severity = '9.5';
    expect(onlyFinding(parseEvent(finding))).toMatchObject({ severity: 'CRITICAL', sourceSeverity: '9.5' });
  });

  it('names a person as actor only for IAM user credentials', () => {
    const user = impactS3();
    user.resource.accessKeyDetails.userName = 'jdoe';
    expect(onlyFinding(parseEvent(user)).actor).toStrictEqual({ name: 'jdoe' });
    const role = impactS3();
    role.resource.accessKeyDetails.userName = 'deploy-role';
    role.resource.accessKeyDetails.userType = 'AssumedRole';
    expect(onlyFinding(parseEvent(role)).actor).toBeUndefined();
  });
});

describe('GuardDuty observables', () => {
  it('treats the remote addresses of an ACTOR finding as victims, not indicators', () => {
    const [remote] = onlyFinding(
      parseEvent(loadFixtureObject('aws/guardduty-backdoor-denialofservice-tcp.json')),
    ).observables;
    expect(remote).toStrictEqual({
      dataType: 'ip',
      data: '81.2.69.144',
      tags: ['remote-ip', 'direction:outbound', 'victim'],
      ioc: false,
    });
  });

  it('reports a queried domain as an indicator even when the instance is the actor', () => {
    const finding = loadFixtureObject('aws/guardduty-trojan-dgadomainrequest-b.json') as Json;
    finding.service.action.dnsRequestAction.domain = 'qzx7vlh3k9ra.example.net.';
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'domain', data: 'qzx7vlh3k9ra.example.net', tags: ['dns-request'], ioc: true },
    ]);
  });

  it('adds threat-list names as tags of the indicator, leaving sample placeholders out', () => {
    const finding = loadFixtureObject('aws/guardduty-ec2-maliciousipcaller-custom-rdp.json') as Json;
    finding.service.evidence.threatIntelligenceDetails = [
      { threatListName: 'ProofPoint', threatNames: ['Tor', 'GeneratedFindingThreatName'] },
    ];
    expect(onlyFinding(parseEvent(finding)).observables[0]).toStrictEqual({
      dataType: 'ip',
      data: '81.2.69.144',
      tags: ['remote-ip', 'direction:inbound', 'threat-list:ProofPoint', 'threat:Tor'],
      ioc: true,
    });
  });

  it('reports every address of a port probe, IPv4 and IPv6, with the probed local port', () => {
    const finding = loadFixtureObject('derived/guardduty-event-sshbruteforce-from-asff.json') as Json;
    finding.detail.type = 'Recon:EC2/PortProbeUnprotectedPort';
    finding.detail.title = 'Unprotected port on EC2 instance i-0c10c2c7863d1a356 is being probed.';
    finding.detail.description = finding.detail.title;
    finding.detail.service.action = {
      actionType: 'PORT_PROBE',
      portProbeAction: {
        blocked: false,
        portProbeDetails: [
          {
            localPortDetails: { port: 3389, portName: 'RDP' },
            localIpDetails: { ipAddressV4: '172.31.43.6' },
            remoteIpDetails: { ipAddressV4: '45.33.32.156', organization: { asn: 63949, asnOrg: 'Akamai' } },
          },
          {
            localPortDetails: { port: 22, portName: 'SSH' },
            remoteIpDetails: {
              ipAddressV6: '2600:3c01::f03c:91ff:fe18:bb2f',
              country: { countryName: 'Germany' },
            },
          },
        ],
      },
    };
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      {
        dataType: 'ip',
        data: '45.33.32.156',
        tags: ['remote-ip', 'port-probe', 'asn:63949', 'as-org:Akamai'],
        ioc: true,
      },
      { dataType: 'ip', data: '172.31.43.6', tags: ['local-ip', 'private'], ioc: false },
      { dataType: 'other', data: '3389', tags: ['port:local', 'service:RDP'], ioc: false },
      {
        dataType: 'ip',
        data: '2600:3c01::f03c:91ff:fe18:bb2f',
        tags: ['remote-ip', 'port-probe', 'country:Germany'],
        ioc: true,
      },
      { dataType: 'other', data: '22', tags: ['port:local', 'service:SSH'], ioc: false },
    ]);
  });

  it('takes access key, user, bucket and user agent of an API call, dropping sample placeholders', () => {
    const finding = impactS3();
    finding.resource.accessKeyDetails.accessKeyId = 'AKIAIOSFODNN7EXAMPLE';
    finding.resource.accessKeyDetails.userName = 'jdoe';
    finding.resource.s3BucketDetails[0].name = 'payroll-exports';
    finding.service.action.awsApiCallAction.userAgent = 'aws-cli/2.15.0 Python/3.11.6';
    finding.service.action.awsApiCallAction.affectedResources = { 'AWS::S3::Bucket': 'payroll-exports' };
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'ip', data: '81.2.69.144', tags: ['remote-ip', 'aws-api-call'], ioc: true },
      { dataType: 'user-agent', data: 'aws-cli/2.15.0 Python/3.11.6', tags: ['aws-api-call'], ioc: false },
      { dataType: 'other', data: 'payroll-exports', tags: ['s3-bucket'], ioc: false },
      { dataType: 'other', data: 'AKIAIOSFODNN7EXAMPLE', tags: ['access-key'], ioc: false },
      { dataType: 'other', data: 'jdoe', tags: ['user-name'], ioc: false },
    ]);
  });

  it('takes the Kubernetes user, namespace, workload and images of an EKS finding', () => {
    const finding = loadFixtureObject('aws/guardduty-eks-execinkubesystempod.json') as Json;
    finding.resource.kubernetesDetails.kubernetesWorkloadDetails = {
      name: 'aws-node',
      namespace: 'kube-system',
      type: 'daemonsets',
      containers: [
        { name: 'aws-node', image: '602401143452.dkr.ecr.us-east-2.amazonaws.com/amazon-k8s-cni:v1.15.1' },
      ],
    };
    finding.resource.kubernetesDetails.kubernetesUserDetails.username = 'arn:aws:iam::973743533182:user/jdoe';
    finding.service.action.kubernetesApiCallAction.userAgent = 'kubectl/v1.28.2 (linux/amd64)';
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'ip', data: '81.2.69.144', tags: ['remote-ip', 'k8s-api-call'], ioc: true },
      { dataType: 'ip', data: '10.0.0.23', tags: ['k8s-source-ip', 'private'], ioc: false },
      { dataType: 'user-agent', data: 'kubectl/v1.28.2 (linux/amd64)', tags: ['k8s-api-call'], ioc: false },
      { dataType: 'other', data: 'arn:aws:iam::973743533182:user/jdoe', tags: ['k8s-user'], ioc: false },
      { dataType: 'other', data: 'kube-system', tags: ['k8s-namespace'], ioc: false },
      { dataType: 'other', data: 'aws-node', tags: ['k8s-workload'], ioc: false },
      {
        dataType: 'other',
        data: '602401143452.dkr.ecr.us-east-2.amazonaws.com/amazon-k8s-cni:v1.15.1',
        tags: ['container-image'],
        ioc: false,
      },
    ]);
  });

  it('takes the process of a Runtime Monitoring finding: its hash is an indicator', () => {
    // Field names from the GuardDuty finding format (service.runtimeDetails.process); no public sample exists.
    const finding = impactS3();
    finding.type = 'CryptoCurrency:Runtime/BitcoinTool.B';
    finding.resource = {
      resourceType: 'Container',
      containerDetails: { id: 'c0ffee42', image: 'alpine:3.19' },
    };
    finding.service.action = {};
    finding.service.runtimeDetails = {
      process: {
        name: 'xmrig',
        executablePath: '/tmp/.x/xmrig',
        executableSha256: 'A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90',
      },
    };
    finding.title = 'A container is running a Bitcoin miner.';
    finding.description = 'A container is running a Bitcoin miner.';
    const normalised = onlyFinding(parseEvent(finding));
    expect(normalised.kind).toBe('runtime');
    expect(normalised.resource).toStrictEqual({ kind: 'Container', id: 'c0ffee42', name: 'alpine:3.19' });
    expect(normalised.observables).toStrictEqual([
      {
        dataType: 'hash',
        data: 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90',
        tags: ['process', 'runtime', 'sha256'],
        ioc: true,
      },
      { dataType: 'filename', data: '/tmp/.x/xmrig', tags: ['process-path', 'runtime'], ioc: false },
      { dataType: 'other', data: 'xmrig', tags: ['process', 'runtime'], ioc: false },
      { dataType: 'other', data: 'alpine:3.19', tags: ['container-image'], ioc: false },
    ]);
  });
});

describe('GuardDuty rejections name the field', () => {
  it('rejects a finding with an account but no id', () => {
    const finding = impactS3();
    delete finding.id;
    delete finding.arn;
    expect(parseEvent({ 'detail-type': 'GuardDuty Finding', detail: finding }).rejected).toEqual([
      { index: 0, error: 'detail.id: required' },
    ]);
  });

  it('rejects a finding id without the account it belongs to', () => {
    const finding = impactS3();
    delete finding.arn;
    delete finding.accountId;
    expect(parseEvent(finding).rejected).toEqual([
      { index: 0, error: 'accountId: required with a finding id' },
    ]);
  });

  it('rejects an account id that is not 12 digits, and pads a numeric one', () => {
    const bad = impactS3();
    bad.accountId = '97374353';
    expect(parseEvent(bad).rejected).toEqual([{ index: 0, error: 'accountId: expected 12 digits' }]);
    const numeric = impactS3();
    delete numeric.arn;
    numeric.accountId = 12345678901;
    expect(onlyFinding(parseEvent(numeric)).accountId).toBe('012345678901');
  });

  it('rejects a missing type and an out-of-range or missing severity', () => {
    const noType = impactS3();
    delete noType.type;
    expect(parseEvent(noType).rejected).toEqual([{ index: 0, error: 'type: required' }]);
    const tooHigh = impactS3();
    tooHigh.severity = 11;
    expect(parseEvent(tooHigh).rejected).toEqual([
      { index: 0, error: 'severity: expected a number from 0 to 10' },
    ]);
    const missing = impactS3();
    delete missing.severity;
    expect(parseEvent(missing).rejected).toEqual([{ index: 0, error: 'severity: required' }]);
  });

  it('rejects a finding with no usable timestamp', () => {
    const finding = impactS3();
    delete finding.createdAt;
    delete finding.updatedAt;
    finding.service.eventFirstSeen = 'not a date';
    delete finding.service.eventLastSeen;
    expect(parseEvent(finding).rejected).toEqual([{ index: 0, error: 'updatedAt: required' }]);
  });
});
