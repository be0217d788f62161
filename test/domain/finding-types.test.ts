import { matchesFindingType } from '../../src/domain/finding-types';

describe('matchesFindingType', () => {
  it('matches a type exactly, and any run of characters with *', () => {
    const patterns = ['UnauthorizedAccess:IAMUser/*', 'Policy:S3/BucketBlockPublicAccessDisabled'];
    expect(matchesFindingType('UnauthorizedAccess:IAMUser/TorIPCaller', patterns)).toBe(true);
    expect(matchesFindingType('Policy:S3/BucketBlockPublicAccessDisabled', patterns)).toBe(true);
    expect(matchesFindingType('UnauthorizedAccess:EC2/SSHBruteForce', patterns)).toBe(false);
  });

  it('treats regular-expression characters in a pattern literally', () => {
    expect(matchesFindingType('a.b(c)', ['a.b(c)'])).toBe(true);
    expect(matchesFindingType('axb(c)', ['a.b(c)'])).toBe(false);
    expect(matchesFindingType('TTPs/Initial Access', ['TTPs/?nitial*'])).toBe(true);
  });

  it('matches nothing without patterns', () => {
    expect(matchesFindingType('anything', [])).toBe(false);
  });
});
