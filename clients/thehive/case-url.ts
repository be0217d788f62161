/**
 * A case's page in TheHive's web UI (`<base>/cases/<_id>/details`). Kept apart from the client (and
 * its HTTP stack) so that the functions that only render alerts can rebuild stored links too.
 */

/**
 * A case's page under `baseUrl` (`THEHIVE_URL`): the only place Hivewire builds a TheHive web URL.
 *
 * @example caseUrlOf('https://thehive.example/', '~123'); // https://thehive.example/cases/~123/details
 */
export function caseUrlOf(baseUrl: string, caseId: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/cases/${encodeURIComponent(caseId)}/details`;
}
