/**
 * Links to the AWS console pages that show a finding, so an analyst can go from the alert (or the
 * TheHive case) to the source in one click.
 */

const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;

/** The console host of a region: China and GovCloud regions live on their own partitions' consoles. */
function consoleHost(region: string): string {
  if (region.startsWith('cn-')) return `${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return 'console.amazonaws-us-gov.com';
  return `${region}.console.aws.amazon.com`;
}

/** The GuardDuty console page of a finding; `undefined` when the region is not a region name. */
export function guardDutyConsoleUrl(region: string | undefined, findingId: string): string | undefined {
  if (!region || !REGION.test(region)) return undefined;
  return `https://${consoleHost(region)}/guardduty/home?region=${region}#/findings?macros=current&fId=${encodeURIComponent(findingId)}`;
}

/**
 * The Security Hub console's findings page filtered on one finding id. The filter sits in the URL
 * fragment already URL-encoded once, so the id is encoded twice (`:` → `%253A`).
 */
export function securityHubConsoleUrl(region: string | undefined, findingId: string): string | undefined {
  if (!region || !REGION.test(region)) return undefined;
  const filter = `Id%3D%255Coperator%255C%253AEQUALS%255C%253A${encodeURIComponent(encodeURIComponent(findingId))}`;
  return `https://${consoleHost(region)}/securityhub/home?region=${region}#/findings?search=${filter}`;
}

/** An absolute http(s) URL with a host and no whitespace (anything else is not a link we show). */
const WEB_LINK = /^https?:\/\/[^\s/?#@]+(?:[/?#]\S*)?$/i;

/** A link given by the source itself, kept only when it is an absolute http(s) URL. */
export function webLink(value: string | undefined): string | undefined {
  return value && WEB_LINK.test(value) ? value : undefined;
}

/** The region named in an ARN (`arn:aws:securityhub:us-east-1::product/…` → `us-east-1`). */
export function arnRegion(arn: string): string | undefined {
  const region = arn.split(':')[3];
  return region && REGION.test(region) ? region : undefined;
}
