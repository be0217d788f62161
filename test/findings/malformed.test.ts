/**
 * Malformed input never throws: every bad entry becomes one rejection naming its field. Checked
 * on hand-picked cases, on arbitrary JSON, and on real fixtures with one value replaced at random.
 */
import fc from 'fast-check';
import { SEVERITIES } from '../../src/domain/finding';
import { parseEvent, type ParseResult } from '../../src/findings/parse';
import { loadFixture, loadFixtureObject } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const FIXTURES = [
  'aws/guardduty-impact-s3-maliciousipcaller.json',
  'aws/guardduty-eks-successfulanonymousaccess.json',
  'aws/asff-guardduty-sshbruteforce.json',
  'aws/securityhub-custom-action-prowler.json',
  'aws/securityhub-v2-imported-guardduty-cloudtrailloggingdisabled.json',
  'aws/ocsf-inspector-lambda-cve-2025-47906.json',
  'siem/usm-anywhere-alarm-password-reset-attempts.json',
  'siem/mozdef-alert-ssh-sensitive-host.json',
  'derived/sns-http-notification-guardduty-event.json',
  'derived/sns-lambda-records-securityhub-imported-cis-1-3.json',
];

/** Every entry is accounted for once, findings are well-formed, and indexes are in range. */
function expectWellFormed(result: ParseResult): void {
  const indexes = [
    ...result.skipped.map((entry) => entry.index),
    ...result.rejected.map((entry) => entry.index),
  ];
  expect(new Set(indexes).size).toBe(indexes.length);
  for (const finding of result.findings) {
    expect(finding.fingerprint).toMatch(/^(gd|sh|usm|mzd)-[0-9a-f]{32}$/);
    expect(SEVERITIES).toContain(finding.severity);
    expect(finding.title.length).toBeGreaterThan(0);
    expect(finding.description.length).toBeGreaterThan(0);
    expect(finding.count).toBeGreaterThanOrEqual(1);
    expect(Number.isNaN(Date.parse(finding.updatedAt))).toBe(false);
  }
  for (const rejection of result.rejected) expect(rejection.error).toMatch(/^\S.*: /);
}

describe('huge strings', () => {
  it('rejects a description beyond 64 KiB, naming it', () => {
    const event = loadFixtureObject('aws/securityhub-imported-cis-1-3-warning.json') as Json;
    event.detail.findings[0].Description = 'A'.repeat(70_000);
    expect(parseEvent(event).rejected).toEqual([
      { index: 0, error: 'detail.findings[0].Description: too long (more than 65536 characters)' },
    ]);
  });

  it('rejects an id beyond 1024 characters, naming it', () => {
    const finding = loadFixtureObject('aws/guardduty-impact-s3-maliciousipcaller.json');
    finding.id = 'f'.repeat(5000);
    delete finding.arn;
    expect(parseEvent(finding).rejected).toEqual([
      { index: 0, error: 'id: too long (more than 1024 characters)' },
    ]);
  });

  it('drops an oversized context value instead of rejecting the finding', () => {
    const finding = loadFixtureObject('aws/guardduty-impact-s3-maliciousipcaller.json') as Json;
    finding.service.action.awsApiCallAction.userAgent = 'x'.repeat(100_000);
    const result = parseEvent(finding);
    expect(result.rejected).toEqual([]);
    expect(result.findings[0]?.observables.map((observable) => observable.dataType)).toEqual(['ip']);
  });

  it('keeps scanning text cheap and bounded: a megabyte of dotted words is read without error', () => {
    const finding = loadFixtureObject('aws/guardduty-impact-s3-maliciousipcaller.json');
    finding.description = 'a.b.c '.repeat(10_000);
    expect(parseEvent(finding).findings).toHaveLength(1);
  });
});

describe('wrong types name the field', () => {
  it.each([
    [{ severity: 'high' }, 'severity: expected a number from 0 to 10'],
    [{ type: ['x'] }, 'type: expected a finding type such as UnauthorizedAccess:EC2/SSHBruteForce'],
    [{ id: 7 }, 'id: expected the finding id'],
    [{ accountId: null, arn: 5, region: null }, 'accountId: required with a finding id'],
  ])('rejects %j', (change, error) => {
    const finding = { ...loadFixtureObject('aws/guardduty-impact-s3-maliciousipcaller.json'), ...change };
    expect(parseEvent(finding).rejected).toEqual([{ index: 0, error }]);
  });

  it('reads wrongly-typed context as missing rather than rejecting the finding', () => {
    const finding = loadFixtureObject('aws/guardduty-impact-s3-maliciousipcaller.json') as Json;
    finding.service.count = 'many';
    finding.service.action.awsApiCallAction.remoteIpDetails = 'somewhere';
    finding.resource.s3BucketDetails = [null, 42, { name: 'still-read' }];
    finding.title = { text: 'not a string' };
    const result = parseEvent(finding);
    expect(result.rejected).toEqual([]);
    expect(result.findings[0]).toMatchObject({
      count: 1,
      title:
        '[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144. This can indicate an attempt by an adversary to tamper with data in your AWS environment.',
      resource: { kind: 'S3Bucket', id: 'still-read', name: 'still-read' },
    });
  });
});

describe('parseEvent never throws', () => {
  it('on arbitrary JSON values', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), (value) => {
        expectWellFormed(parseEvent(value));
      }),
      { numRuns: 500 },
    );
  });

  it('on arbitrary objects shaped like events and findings', () => {
    const keys = fc.constantFrom(
      'detail-type',
      'detail',
      'findings',
      'Type',
      'Message',
      'Records',
      'Sns',
      'body',
      'eventSource',
      'Id',
      'ProductArn',
      'AwsAccountId',
      'Severity',
      'finding_info',
      'metadata',
      'type',
      'severity',
      'service',
      'resource',
      'arn',
      'uuid',
      'rule_method',
      '_source',
      'summary',
      'utctimestamp',
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.constantFrom(
          'GuardDuty Finding',
          'Security Hub Findings - Imported',
          'Findings Imported V2',
          'Notification',
        ),
        fc.dictionary(keys, tie('node'), { maxKeys: 6 }),
        fc.array(tie('node'), { maxLength: 3 }),
      ),
    })).node;
    fc.assert(
      fc.property(value, (input) => {
        expectWellFormed(parseEvent(input));
      }),
      { numRuns: 500 },
    );
  });

  it('on real fixtures with one value anywhere replaced by arbitrary JSON', () => {
    const samples = FIXTURES.map((path) => JSON.stringify(loadFixture(path)));
    fc.assert(
      fc.property(
        fc.nat({ max: samples.length - 1 }),
        fc.nat(),
        fc.jsonValue({ maxDepth: 3 }),
        (which, where, replacement) => {
          const sample = JSON.parse(samples[which] as string) as unknown;
          const slots: [Json, string | number][] = [];
          const collect = (node: unknown): void => {
            if (typeof node !== 'object' || node === null) return;
            for (const [key, child] of Object.entries(node)) {
              slots.push([node as Json, Array.isArray(node) ? Number(key) : key]);
              collect(child);
            }
          };
          collect(sample);
          const [parent, key] = slots[where % slots.length] as [Json, string | number];
          parent[key] = replacement;
          expectWellFormed(parseEvent(sample));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
