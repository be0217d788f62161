/**
 * Fingerprints: format and identities, GuardDuty ARNs in every partition, v1/v2 product ARNs.
 */
import { createHash } from 'node:crypto';
import {
  fingerprintOf,
  guardDutyArn,
  guardDutyFingerprint,
  isGuardDutyProduct,
  parseGuardDutyArn,
  securityHubFingerprint,
} from '../../src/findings/fingerprint';

function sha(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

describe('fingerprints', () => {
  it('are the family and the first 128 bits of SHA-256 of the identity: 36 characters', () => {
    const fingerprint = fingerprintOf('usm', 'usm/some_uuid');
    expect(fingerprint).toBe(`usm-${sha('usm/some_uuid')}`);
    expect(fingerprint).toHaveLength(36);
  });

  it('identify a GuardDuty finding by region, account and finding id', () => {
    expect(guardDutyFingerprint('us-east-2', '973743533182', '02bf27df0ab318783b0a8f63569dfd68')).toBe(
      `gd-${sha('guardduty/us-east-2/973743533182/02bf27df0ab318783b0a8f63569dfd68')}`,
    );
  });

  it('read the v1 and v2 forms of a Security Hub product ARN as one product', () => {
    const id = 'arn:aws:securityhub:us-east-2:123456789012:security-control/SQS.1/finding/7dab';
    expect(securityHubFingerprint('arn:aws:securityhub:us-east-2::productv2/aws/securityhub', id)).toBe(
      securityHubFingerprint('arn:aws:securityhub:us-east-2::product/aws/securityhub', id),
    );
    expect(securityHubFingerprint('arn:aws:securityhub:us-east-2::product/aws/securityhub', id)).toBe(
      `sh-${sha(`securityhub/arn:aws:securityhub:us-east-2::product/aws/securityhub/${id}`)}`,
    );
  });
});

describe('GuardDuty finding ARNs', () => {
  it.each([
    ['arn:aws:guardduty:us-east-1:193043430472:detector/d4b0/finding/46ba', 'aws', 'us-east-1'],
    ['arn:aws-cn:guardduty:cn-north-1:123456789012:detector/d1/finding/f1', 'aws-cn', 'cn-north-1'],
    [
      'arn:aws-us-gov:guardduty:us-gov-west-1:123456789012:detector/d1/finding/f1',
      'aws-us-gov',
      'us-gov-west-1',
    ],
  ])('parse %s and build it back', (arn, partition, region) => {
    const ref = parseGuardDutyArn(arn);
    expect(ref).toMatchObject({ partition, region });
    expect(guardDutyArn(ref!)).toBe(arn);
  });

  it.each([
    'arn:aws:securityhub:us-east-1:111111111111:subscription/x/finding/1',
    'arn:aws:guardduty:us-east-1:1234:detector/d/finding/f',
    'arn:aws:guardduty:us-east-1:123456789012:detector/d',
    'prowler-7.59-123456789012',
  ])('refuse %s', (arn) => expect(parseGuardDutyArn(arn)).toBeUndefined());

  it('recognise the GuardDuty product in both product ARN forms', () => {
    expect(
      [
        'arn:aws:securityhub:us-east-1::product/aws/guardduty',
        'arn:aws:securityhub:us-east-1::productv2/aws/guardduty',
        'arn:aws:securityhub:us-east-1::product/aws/inspector',
        'arn:aws:securityhub:us-east-1::product2/aws/guardduty',
      ].map(isGuardDutyProduct),
    ).toEqual([true, true, false, false]);
  });
});
