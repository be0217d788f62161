/**
 * `GET /metrics`, local server only: the counts Lambda publishes to CloudWatch, since this process
 * started. Behind the ingest secret (Bearer, compared in constant time), as they tell how busy the
 * security team is.
 */
import type { Config } from '../../config/config';
import { metricsReport, type MetricsTally } from '../../observability/metrics';
import { checkBearer } from '../auth';
import { headerOf, jsonResponse, type HttpRequest, type HttpResponse } from '../request';

export function createMetricsEndpoint(
  config: Pick<Config, 'ingestSecret'>,
  tally: MetricsTally,
): (request: HttpRequest) => Promise<HttpResponse> {
  return async (request) =>
    checkBearer(headerOf(request.headers, 'authorization'), config.ingestSecret)
      ? jsonResponse(200, metricsReport(tally))
      : jsonResponse(401, { error: 'unauthorized' });
}
