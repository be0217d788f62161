/**
 * `POST /triage` in AWS: a SIEM asks a user "was this you?" (Bearer ingest secret). The same function
 * also takes a direct Lambda invocation whose payload is the request, for SIEMs that call AWS with
 * IAM credentials instead of a shared secret: IAM has then authenticated the caller.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { handleTriageInvocation, handleTriageRequest } from '../http/endpoints/triage';
import { edgeDeps, logger, observed } from '../aws/runtime';
import { endpointServer } from '../aws/http';

// Observed once, by the handler below, like a direct invocation.
const serveHttp = endpointServer(edgeDeps, (deps) => (request) => handleTriageRequest(request, deps), logger);

function isHttpEvent(event: unknown): event is APIGatewayProxyEventV2 {
  return typeof event === 'object' && event !== null && 'requestContext' in event && 'rawPath' in event;
}

export const handler = observed(
  async (
    event: APIGatewayProxyEventV2 | unknown,
    context: Context,
  ): Promise<APIGatewayProxyStructuredResultV2 | { triageId: string }> => {
    if (isHttpEvent(event)) return serveHttp(event, context);
    logger.resetKeys();
    logger.addContext(context);
    return handleTriageInvocation(event, await edgeDeps());
  },
);
