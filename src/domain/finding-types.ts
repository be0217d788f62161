/**
 * Finding-type patterns in the config file (`triage.autoAsk`, `responseActions[].findingTypes`):
 * `*` matches any run of characters, `?` one character, everything else itself, e.g.
 * `UnauthorizedAccess:IAMUser/*` or `Policy:S3/Bucket?ublicAccess*`.
 */

function patternToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

/** Whether a finding type matches one of the patterns. */
export function matchesFindingType(type: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => patternToRegExp(pattern).test(type));
}
