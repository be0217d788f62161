/**
 * Security Hub v2 findings in OCSF: events and bare findings, identity shared with the ASFF copy
 * of the same finding, evidences as observables, rejections naming the field.
 */
import { parseEvent } from '../../src/findings/parse';
import { loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const V2_EVENT = 'aws/securityhub-v2-imported-guardduty-cloudtrailloggingdisabled.json';
const CONTROL = 'aws/ocsf-securityhub-control-sqs-1-fail.json';

function guardDutyOcsf(): Json {
  return (loadFixtureObject(V2_EVENT) as Json).detail.findings[0];
}

describe('OCSF findings', () => {
  it('reads the GuardDuty finding of a "Findings Imported V2" event with its Security Hub identity', () => {
    const finding = onlyFinding(parseEvent(loadFixtureObject(V2_EVENT)));
    expect(finding.securityHub).toStrictEqual({
      id: 'arn:aws:guardduty:us-east-1:869728294630:detector/b4c71b47fb852d3fc0e99a82fa2841aa/finding/06c95f0cfdfd3b579b977e20e9da1aa4',
      productArn: 'arn:aws:securityhub:us-east-1::productv2/aws/guardduty',
    });
    expect(finding).toMatchObject({
      product: 'GuardDuty',
      workflowStatus: 'SUPPRESSED',
      firstSeen: '2024-10-24T10:21:26.000Z',
      lastSeen: '2025-07-22T02:52:14.000Z',
      updatedAt: '2025-07-22T03:02:34.272Z',
      consoleUrl:
        'https://us-east-1.console.aws.amazon.com/guardduty/home?region=us-east-1#/findings?macros=current&fId=06c95f0cfdfd3b579b977e20e9da1aa4',
      resource: { kind: 'AWS::IAM::AccessKey', id: 'ASIA4U76YS3TEOA3O', name: 'cis_automation' },
    });
    expect(finding.actor).toBeUndefined();
  });

  it('gives the OCSF and ASFF copies of one Security Hub control finding the same fingerprint', () => {
    const ocsf = loadFixtureObject(CONTROL) as Json;
    const fromOcsf = onlyFinding(parseEvent(ocsf));
    // The ASFF copy carries the same id under the v1 product ARN.
    const asff = (loadFixtureObject('aws/securityhub-imported-afsbp-ec2-7.json') as Json).detail.findings[0];
    asff.Id = ocsf.finding_info.uid;
    asff.ProductArn = 'arn:aws:securityhub:us-east-2::product/aws/securityhub';
    asff.AwsAccountId = '123456789012';
    expect(onlyFinding(parseEvent(asff)).fingerprint).toBe(fromOcsf.fingerprint);
    expect(fromOcsf.fingerprint).toBe('sh-8f36805e18dd6613b85f7feef6412432');
  });

  it('reads a bare list of OCSF findings in order', () => {
    const result = parseEvent([
      loadFixtureObject(CONTROL),
      loadFixtureObject('aws/ocsf-inspector-lambda-cve-2025-47906.json'),
    ]);
    expect(result.findings.map((finding) => finding.product)).toEqual(['Security Hub', 'Inspector']);
    expect(result.findings.map((finding) => finding.workflowStatus)).toEqual(['NEW', 'NEW']);
  });

  it('keeps the tags of the resource as a flat map', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('aws/ocsf-inspector-lambda-cve-2025-47906.json')),
    );
    expect(finding.resource).toStrictEqual({
      kind: 'AWS::Lambda::Function',
      id: 'cloudtrail-test-ab-LambdaFunction-jVHJUsdbdkj6',
      name: 'cloudtrail-test-ab-LambdaFunction-jVHJUsdbdkj6',
      tags: {
        'aws:cloudformation:stack-name': 'cloudtrail-test-ab',
        'aws:cloudformation:stack-id':
          'arn:aws:cloudformation:us-east-2:123456789012:stack/cloudtrail-test-ab/c3abcd12-3456-7890-abdf-c2123456abcd',
        'aws:cloudformation:logical-id': 'LambdaFunction',
      },
    });
  });

  it('reads the severity caption when severity_id is missing, and maps In Progress to NOTIFIED', () => {
    const finding = guardDutyOcsf();
    delete finding.severity_id;
    finding.severity = 'High';
    finding.status = 'In Progress';
    expect(onlyFinding(parseEvent(finding))).toMatchObject({
      severity: 'HIGH',
      sourceSeverity: 'High',
      workflowStatus: 'NOTIFIED',
    });
  });

  it('reads the epoch times when the *_dt times are missing', () => {
    const finding = guardDutyOcsf();
    for (const key of ['first_seen_time_dt', 'last_seen_time_dt', 'modified_time_dt', 'created_time_dt']) {
      delete finding.finding_info[key];
    }
    expect(onlyFinding(parseEvent(finding))).toMatchObject({
      firstSeen: '2024-10-24T10:21:26.000Z',
      lastSeen: '2025-07-22T02:52:14.000Z',
      updatedAt: '2025-07-22T03:02:34.272Z',
    });
  });

  it('names an IAM user as actor', () => {
    const finding = guardDutyOcsf();
    finding.resources[0].data.user_type = 'IAMUser';
    expect(onlyFinding(parseEvent(finding)).actor).toStrictEqual({ name: 'cis_automation' });
  });
});

describe('OCSF observables', () => {
  it('reports evidence endpoints, DNS queries, user agents and file hashes', () => {
    const finding = guardDutyOcsf();
    finding.evidences = [
      {
        src_endpoint: {
          ip: '185.220.101.4',
          autonomous_system: { number: 205100, name: 'F3 Netze e.V.' },
          location: { country: 'DE' },
        },
        dst_endpoint: { ip: '10.0.3.7' },
        http_request: { user_agent: 'python-requests/2.31.0' },
        query: { hostname: 'c2.badexample.net' },
        file: { name: 'dropper.sh', hashes: [{ value: '44D88612FEA8A8F36DE82E1278ABB02F' }] },
      },
    ];
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      {
        dataType: 'ip',
        data: '185.220.101.4',
        tags: ['remote-ip', 'asn:205100', 'as-org:F3 Netze e.V.', 'country:DE'],
        ioc: true,
      },
      { dataType: 'ip', data: '10.0.3.7', tags: ['dst', 'private'], ioc: false },
      { dataType: 'domain', data: 'c2.badexample.net', tags: ['dns-request'], ioc: true },
      { dataType: 'user-agent', data: 'python-requests/2.31.0', tags: ['http-request'], ioc: false },
      { dataType: 'filename', data: 'dropper.sh', tags: ['file'], ioc: false },
      { dataType: 'hash', data: '44d88612fea8a8f36de82e1278abb02f', tags: ['file', 'md5'], ioc: true },
      { dataType: 'other', data: 'ASIA4U76YS3TB3MEOA3O', tags: ['access-key'], ioc: false },
      { dataType: 'other', data: 'cis_automation', tags: ['user-name'], ioc: false },
    ]);
  });

  it('treats source addresses as victims when our resource is the actor', () => {
    const finding = guardDutyOcsf();
    finding.evidences = [{ src_endpoint: { ip: '203.0.114.9' }, data: { resource_role: 'ACTOR' } }];
    expect(onlyFinding(parseEvent(finding)).observables[0]).toStrictEqual({
      dataType: 'ip',
      data: '203.0.114.9',
      tags: ['remote-ip', 'victim'],
      ioc: false,
    });
  });

  it('maps declared OCSF observables by type id', () => {
    const finding = guardDutyOcsf();
    finding.resources = [];
    finding.observables = [
      { type_id: 1, value: 'evil.example.com' },
      { type_id: 2, value: '198.51.100.77' },
      { type_id: 4, value: 'jdoe' },
      { type_id: 5, value: 'jdoe@example.com' },
      { type_id: 6, value: 'https://evil.example.com/payload' },
      { type_id: 7, value: 'payload.bin' },
      { type_id: 8, value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type_id: 9, value: 'bash' },
      { type_id: 10, value: 'arn:aws:lambda:us-east-1:123456789012:function:x' },
    ];
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'domain', data: 'evil.example.com', tags: ['ocsf-observable'], ioc: false },
      { dataType: 'ip', data: '198.51.100.77', tags: ['ocsf-observable', 'documentation'], ioc: false },
      { dataType: 'other', data: 'jdoe', tags: ['user-name'], ioc: false },
      { dataType: 'mail', data: 'jdoe@example.com', tags: ['ocsf-observable'], ioc: false },
      { dataType: 'url', data: 'https://evil.example.com/payload', tags: ['ocsf-observable'], ioc: true },
      { dataType: 'filename', data: 'payload.bin', tags: ['ocsf-observable'], ioc: false },
      {
        dataType: 'hash',
        data: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
        tags: ['ocsf-observable', 'sha1'],
        ioc: true,
      },
      { dataType: 'other', data: 'bash', tags: ['process'], ioc: false },
    ]);
  });
});

describe('OCSF rejections name the field', () => {
  it.each([
    ['finding_info', (f: Json) => delete f.finding_info, 'detail.findings[0].finding_info: required'],
    [
      'finding_info.uid',
      (f: Json) => (f.finding_info.uid = 42),
      'detail.findings[0].finding_info.uid: expected the finding uid',
    ],
    [
      'metadata.product.uid',
      (f: Json) => delete f.metadata.product.uid,
      'detail.findings[0].metadata.product.uid: required',
    ],
    [
      'cloud.account.uid',
      (f: Json) => (f.cloud.account.uid = '8697'),
      'detail.findings[0].cloud.account.uid: expected 12 digits',
    ],
    [
      'severity',
      (f: Json) => {
        delete f.severity_id;
        delete f.severity;
      },
      'detail.findings[0].severity_id: required (1-6), or a severity caption',
    ],
  ])('rejects a bad %s', (_field, change, error) => {
    const event = loadFixtureObject(V2_EVENT) as Json;
    change(event.detail.findings[0]);
    expect(parseEvent(event)).toEqual({ findings: [], skipped: [], rejected: [{ index: 0, error }] });
  });
});
