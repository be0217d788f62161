/**
 * API Gateway HTTP API (payload 2.0) ↔ the endpoints' plain requests and responses, so the Lambda
 * handlers and the local server hand the endpoints the same thing.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Logger } from '../observability/logger';
import type { Observed } from './metrics';
import { rebuiltOnChange } from './per-container';
import { bodyFromBytes, type Endpoint, type HttpRequest, type HttpResponse } from '../http/request';
import { errorMessage } from '../observability/logger';

/**
 * The request as the endpoints read it. API Gateway base64-encodes bodies it deems binary (Slack's form
 * posts among them); they are decoded here as UTF-8 — never as ASCII, which breaks non-ASCII JSON.
 * Bytes that are not UTF-8 stay base64, so a signature is still checked over them and the
 * endpoint can keep them when it refuses them.
 */
export function requestFromApiGateway(event: APIGatewayProxyEventV2): HttpRequest {
  const body = event.body ?? '';
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    ...(event.rawQueryString ? { query: event.rawQueryString } : {}),
    // Payload 2.0 moves the request's cookies out of its headers (the install's state cookie among them).
    headers: { ...event.headers, ...(event.cookies?.length ? { cookie: event.cookies.join('; ') } : {}) },
    ...(event.isBase64Encoded
      ? bodyFromBytes(Buffer.from(body, 'base64'))
      : { body, isBase64Encoded: false }),
  };
}

/** The endpoint's response as API Gateway returns it; a cookie it sets goes in payload 2.0's `cookies`. */
export function responseForApiGateway(response: HttpResponse): APIGatewayProxyStructuredResultV2 {
  const { 'set-cookie': cookie, ...headers } = response.headers ?? {};
  return {
    statusCode: response.status,
    headers,
    body: response.body,
    ...(cookie ? { cookies: [cookie] } : {}),
  };
}

/**
 * A Lambda handler serving one endpoint. The endpoint is built from `deps` on the first request of the
 * container (after the secrets are read), reused, and built again when `deps` hands out new
 * dependencies (a rotated secret); an unexpected failure is logged and answered with a bare 500 (no
 * detail leaves the function). It runs `observed` (the AWS root's: traced, the invocation's metrics
 * written when it ends).
 *
 * @example
 *   export const handler = serveEndpoint(edgeDeps, (deps) => (request) => handle(request, deps), logger, observed);
 */
export function serveEndpoint<D>(
  deps: () => Promise<D>,
  endpointFor: (deps: D) => Endpoint | Promise<Endpoint>,
  logger: Logger,
  observed: Observed,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  return observed(endpointServer(deps, endpointFor, logger));
}

/**
 * `serveEndpoint` without `observed`, for a function that takes other events as well and observes
 * each invocation itself, whatever its kind (an invocation observed twice is traced and flushed twice).
 */
export function endpointServer<D>(
  deps: () => Promise<D>,
  endpointFor: (deps: D) => Endpoint | Promise<Endpoint>,
  logger: Logger,
): (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyStructuredResultV2> {
  const built = rebuiltOnChange(async (current: D) => endpointFor(current));
  return async (event: APIGatewayProxyEventV2, context: Context) => {
    logger.resetKeys();
    logger.addContext(context);
    logger.appendKeys({ route: event.routeKey, apiRequestId: event.requestContext.requestId });
    try {
      const serve = await built(await deps());
      return responseForApiGateway(await serve(requestFromApiGateway(event)));
    } catch (error) {
      logger.error('request failed', {
        error: errorMessage(error),
        code: (error as { code?: string }).code,
      });
      return responseForApiGateway({
        status: 500,
        headers: { 'content-type': 'application/json' },
        body: '{"error":"internal error"}',
      });
    }
  };
}
