/**
 * `GET /healthz` in AWS: the function answers; it reads no secret and touches nothing. It maps the
 * endpoint's answer itself rather than through src/aws/http.ts, which would load the metrics writer
 * into a function that has nothing to count.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { createHealthEndpoint } from '../http/endpoints/health';

const health = createHealthEndpoint(false);

export const handler = async (
  _event: unknown,
  _context: unknown,
): Promise<APIGatewayProxyStructuredResultV2> => {
  const { status, headers, body } = await health();
  return { statusCode: status, headers, body };
};
