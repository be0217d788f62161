/**
 * `POST /slack/events`, the same in AWS and locally: authenticate (signature, and a timestamp at most
 * five minutes away in either direction — Bolt alone accepts future ones), then hand the request to
 * Bolt's AwsLambdaReceiver. Base64 bodies are decoded as UTF-8 first: the receiver decodes them as
 * ASCII, which breaks any non-ASCII JSON before it is verified.
 */
import { AwsLambdaReceiver } from '@slack/bolt';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { headerOf, rawBodyOf, type HttpRequest, type HttpResponse } from '../http/request';
import { verifySlackRequest } from '../http/slack-signature';
import { createSlackApp, type SlackAppDeps } from './app';

/** Builds the endpoint: one Bolt app per process, created once (module scope in Lambda). */
export function createSlackEventsEndpoint(
  deps: SlackAppDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  const receiver = new AwsLambdaReceiver({ signingSecret: deps.config.slack.signingSecret });
  createSlackApp(receiver, deps);
  const handler = receiver.toHandler();

  return async (request) => {
    const rawBody = rawBodyOf(request);
    const verdict = verifySlackRequest({
      signingSecret: deps.config.slack.signingSecret,
      timestampHeader: headerOf(request.headers, 'x-slack-request-timestamp'),
      signatureHeader: headerOf(request.headers, 'x-slack-signature'),
      rawBody,
      nowMs: deps.now().getTime(),
    });
    if (!verdict.ok) {
      deps.logger.warn('slack request refused', { reason: verdict.reason });
      return { status: 401, body: '' };
    }
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers))
      if (value !== undefined) headers[key.toLowerCase()] = value;
    const event = {
      version: '2.0',
      routeKey: `${request.method} ${request.path}`,
      rawPath: request.path,
      rawQueryString: '',
      headers,
      body: rawBody,
      isBase64Encoded: false,
      requestContext: { http: { method: request.method, path: request.path } },
    } as unknown as APIGatewayProxyEventV2;
    const result = (await handler(event as never, {} as never)) as {
      statusCode: number;
      headers?: Record<string, string>;
      body?: string;
    };
    return { status: result.statusCode, headers: result.headers, body: result.body ?? '' };
  };
}
