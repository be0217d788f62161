/**
 * A Slack message's permalink, built the way Slack builds it rather than asked for with
 * `chat.getPermalink` (one Slack round trip per posted alert): the workspace's URL (what `auth.test`
 * answers as `url`), `archives/<channel>/p<ts without its dot>`. Read back the same way, so the
 * sandbox can point a permalink into its console.
 */

/** The permalink of a root message `ts` in `channel` of the workspace at `workspaceUrl`. */
export function slackPermalink(workspaceUrl: string, channel: string, ts: string): string {
  return `${workspaceUrl.replace(/\/+$/, '')}/archives/${encodeURIComponent(channel)}/p${ts.replace('.', '')}`;
}

/** Slack's `ts` has six digits after its dot; a permalink drops the dot. */
const PERMALINK_PATH = /\/archives\/([A-Z0-9]+)\/p(\d+)(\d{6})(?:[?#]|$)/;

/** The workspace host, channel and `ts` a Slack permalink points at, or undefined when it is not one. */
export function slackPermalinkTarget(
  permalink: string,
): { host: string; channel: string; ts: string } | undefined {
  const match = PERMALINK_PATH.exec(permalink);
  if (!match || !URL.canParse(permalink)) return undefined;
  return { host: new URL(permalink).hostname, channel: match[1]!, ts: `${match[2]}.${match[3]}` };
}
