/** `GET /healthz` in AWS: the function answers; it reads no secret and touches nothing. */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

export const handler = async (
  _event: unknown,
  _context: unknown,
): Promise<APIGatewayProxyStructuredResultV2> => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ ok: true, sandbox: false }),
});
