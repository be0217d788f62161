/**
 * The links an alert keeps (its Slack permalink, its TheHive case page), as they are today. They are
 * stored when made, but read back later, so they are rebuilt from the configuration in force: a case
 * link from the case id and `THEHIVE_URL`, and in the sandbox a permalink from `PUBLIC_URL`/`PORT`
 * (its console moves with the port; Slack's own permalinks never do). A restart on another port
 * leaves no link to the old one.
 */
import { caseUrlOf } from '../../clients/thehive/case-url';
import type { Config } from '../config/config';
import type { AlertRecord } from '../domain/alert';

type LinkConfig = Pick<Config, 'sandbox' | 'publicUrl' | 'theHive'>;

/** Where a sandbox permalink's console part (`#/<channel>/<ts>…`) starts. */
const SANDBOX_PERMALINK_PATH = '/#/';

/** A stored Slack permalink as it reads today. */
export function currentPermalink(permalink: string, config: LinkConfig): string;
export function currentPermalink(permalink: string | undefined, config: LinkConfig): string | undefined;
export function currentPermalink(permalink: string | undefined, config: LinkConfig): string | undefined {
  if (permalink === undefined || !config.sandbox) return permalink;
  const at = permalink.indexOf(SANDBOX_PERMALINK_PATH);
  return at < 0 ? permalink : `${config.publicUrl}${permalink.slice(at)}`;
}

/** A case's page under today's `THEHIVE_URL`. */
export function currentCaseUrl(caseId: string, config: LinkConfig): string {
  return caseUrlOf(config.theHive.url, caseId);
}

/** The alert with its permalink and case link rebuilt from today's configuration. */
export function withCurrentLinks<T extends Pick<AlertRecord, 'permalink' | 'caseUrl' | 'caseId'>>(
  alert: T,
  config: LinkConfig,
): T {
  const permalink = currentPermalink(alert.permalink, config);
  const caseUrl =
    alert.caseId !== undefined && config.theHive.url ? currentCaseUrl(alert.caseId, config) : alert.caseUrl;
  if (permalink === alert.permalink && caseUrl === alert.caseUrl) return alert;
  return { ...alert, permalink, caseUrl };
}
