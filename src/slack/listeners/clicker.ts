/**
 * Who clicked, as Slack names them in an interaction payload: the name goes with the click's job, so
 * the alert's threads on the other platforms (Webex, Teams), where a Slack user id means nothing, name
 * the person by it.
 */

/**
 * The clicker's Slack user name: `user.name` (sent with modal submissions and Home-tab clicks), else
 * `user.username` (sent with every `block_actions` payload); undefined when Slack sent neither.
 */
export function clickerName(body: { user: { name?: string; username?: string } }): string | undefined {
  return body.user.name || body.user.username || undefined;
}
