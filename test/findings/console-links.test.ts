/**
 * Console links from a finding to its page in AWS.
 */
import {
  arnRegion,
  guardDutyConsoleUrl,
  securityHubConsoleUrl,
  webLink,
} from '../../src/findings/console-links';

describe('console links', () => {
  it('open a GuardDuty finding in the console of its partition', () => {
    expect([
      guardDutyConsoleUrl('eu-west-1', 'abc'),
      guardDutyConsoleUrl('cn-north-1', 'abc'),
      guardDutyConsoleUrl('us-gov-west-1', 'abc'),
    ]).toEqual([
      'https://eu-west-1.console.aws.amazon.com/guardduty/home?region=eu-west-1#/findings?macros=current&fId=abc',
      'https://cn-north-1.console.amazonaws.cn/guardduty/home?region=cn-north-1#/findings?macros=current&fId=abc',
      'https://console.amazonaws-us-gov.com/guardduty/home?region=us-gov-west-1#/findings?macros=current&fId=abc',
    ]);
  });

  it('refuse a region that is not a region name', () => {
    expect(guardDutyConsoleUrl('us-east-1/../../evil', 'abc')).toBeUndefined();
    expect(securityHubConsoleUrl(undefined, 'abc')).toBeUndefined();
  });

  it('filter the Security Hub findings page on the id, encoded twice', () => {
    expect(securityHubConsoleUrl('us-east-1', 'a:b/c')).toBe(
      'https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253Aa%253Ab%252Fc',
    );
  });

  it('keep only http(s) links a source gives', () => {
    expect(
      [
        'https://x.example.com/a',
        'http://x.example.com',
        'javascript:alert(1)',
        'website.com',
        undefined,
      ].map(webLink),
    ).toEqual(['https://x.example.com/a', 'http://x.example.com', undefined, undefined, undefined]);
  });

  it('read the region of an ARN', () => {
    expect([
      arnRegion('arn:aws:securityhub:us-east-1::product/aws/guardduty'),
      arnRegion('arn:aws:s3:::bucket'),
    ]).toEqual(['us-east-1', undefined]);
  });
});
