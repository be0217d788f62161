/**
 * The links an alert keeps (its Slack permalink, its TheHive case page), as they are today. They are
 * stored when made, but read back later, so they are rebuilt from the configuration in force: a case
 * link from the case id and `THEHIVE_URL`, and in the sandbox a permalink from `PUBLIC_URL`/`PORT`
 * (its console moves with the port; Slack's own permalinks never do). A restart on another port
 * leaves no link to the old one. In the sandbox, a permalink built in Slack's form from one of its own
 * workspaces' made-up slack.com URLs leads to the message in the console instead.
 */
import { caseUrlOf } from '../../clients/thehive/case-url';
import { SANDBOX_DEFAULTS, type Config } from '../config/config';
import type { AlertRecord } from '../domain/alert';
import { slackPermalinkTarget } from '../domain/slack-permalink';

type LinkConfig = Pick<Config, 'sandbox' | 'publicUrl' | 'theHive'>;

/** The hosts of the sandbox's Slack workspaces: only their permalinks lead into the console. */
const SANDBOX_WORKSPACE_HOSTS = new Set<string>(
  SANDBOX_DEFAULTS.slackWorkspaceDomains.map((domain) => `${domain}.slack.com`),
);

/** Where a sandbox permalink's console part (`#/<channel>/<ts>…`) starts. */
const SANDBOX_PERMALINK_PATH = '/#/';

/** A stored Slack permalink as it reads today. */
export function currentPermalink(permalink: string, config: LinkConfig): string;
export function currentPermalink(permalink: string | undefined, config: LinkConfig): string | undefined;
export function currentPermalink(permalink: string | undefined, config: LinkConfig): string | undefined {
  if (permalink === undefined || !config.sandbox) return permalink;
  const at = permalink.indexOf(SANDBOX_PERMALINK_PATH);
  if (at >= 0) return `${config.publicUrl}${permalink.slice(at)}`;
  const target = slackPermalinkTarget(permalink);
  return target && SANDBOX_WORKSPACE_HOSTS.has(target.host)
    ? `${config.publicUrl}${SANDBOX_PERMALINK_PATH}${encodeURIComponent(target.channel)}/${target.ts}`
    : permalink;
}

/** A case's page under today's `THEHIVE_URL`. */
export function currentCaseUrl(caseId: string, config: LinkConfig): string {
  return caseUrlOf(config.theHive.url, caseId);
}

/** The alert with its permalink, its digest's and its case link rebuilt from today's configuration. */
export function withCurrentLinks<
  T extends Pick<AlertRecord, 'permalink' | 'caseUrl' | 'caseId'> & Partial<Pick<AlertRecord, 'inDigest'>>,
>(alert: T, config: LinkConfig): T {
  const permalink = currentPermalink(alert.permalink, config);
  const caseUrl =
    alert.caseId !== undefined && config.theHive.url ? currentCaseUrl(alert.caseId, config) : alert.caseUrl;
  const digestLink = currentPermalink(alert.inDigest?.permalink, config);
  if (permalink === alert.permalink && caseUrl === alert.caseUrl && digestLink === alert.inDigest?.permalink)
    return alert;
  return {
    ...alert,
    permalink,
    caseUrl,
    ...(alert.inDigest ? { inDigest: { ...alert.inDigest, permalink: digestLink } } : {}),
  };
}
