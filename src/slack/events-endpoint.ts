/**
 * `POST /slack/events`, the same in AWS and locally: authenticate (signature, and a timestamp at most
 * five minutes away in either direction — Bolt alone accepts future ones), then hand the request to
 * Bolt's AwsLambdaReceiver. Base64 bodies are decoded as UTF-8 first: the receiver decodes them as
 * ASCII, which breaks any non-ASCII JSON before it is verified.
 */
import { parse as parseForm } from 'node:querystring';
import { AwsLambdaReceiver } from '@slack/bolt';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseJsonText } from '../json';
import * as z from '../zod';
import {
  bodyBytesOf,
  bodyTextOf,
  headerOf,
  refuseBody,
  refuseOversizedBody,
  type HttpRequest,
  type HttpResponse,
} from '../http/request';
import { verifySlackRequest } from '../http/slack-signature';
import { createSlackApp } from './app';
import type { SlackAppDeps } from '../deps';

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';
/** How much of a refused request is kept (Slack's payloads are a few KB). */
const KEPT_BODY_CHARS = 64 * 1024;

type ReadBody = { ok: true; contentType: string } | { ok: false; error: string };

/**
 * What Bolt needs to tell a request's kind without throwing: an object. Which kind it is (event,
 * action, command, view) and its fields are Bolt's and the listeners' business.
 */
const slackBody = z.looseObject({});

function isObject(value: unknown): boolean {
  return slackBody.safeParse(value).success;
}

/**
 * Reads the body the way Bolt's receiver will (a form, whose `payload` field is JSON when there is one;
 * JSON otherwise), so that what Bolt would choke on (a payload that is not JSON, nested too deep, not
 * an object) is refused here with a 400 instead. Gives the exact content type to hand Bolt, which
 * compares it whole and would read `application/x-www-form-urlencoded; charset=utf-8` as JSON.
 */
function readSlackBody(text: string, contentTypeHeader: string | undefined): ReadBody {
  const mediaType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === FORM) {
    const payload = parseForm(text).payload;
    if (typeof payload !== 'string') return { ok: true, contentType: FORM };
    const parsed = parseJsonText(payload);
    if (!parsed.ok) return { ok: false, error: `payload: ${parsed.error}` };
    return isObject(parsed.value)
      ? { ok: true, contentType: FORM }
      : { ok: false, error: 'payload: expected a JSON object' };
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, error: `body: ${parsed.error}` };
  return isObject(parsed.value)
    ? { ok: true, contentType: JSON_TYPE }
    : { ok: false, error: 'body: expected a JSON object' };
}

/** Builds the endpoint: one Bolt app per process, created once (module scope in Lambda). */
export function createSlackEventsEndpoint(
  deps: SlackAppDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  const receiver = new AwsLambdaReceiver({ signingSecret: deps.config.slack.signingSecret });
  createSlackApp(receiver, deps);
  const handler = receiver.toHandler();

  return async (request) => {
    const verdict = verifySlackRequest({
      signingSecret: deps.config.slack.signingSecret,
      timestampHeader: headerOf(request.headers, 'x-slack-request-timestamp'),
      signatureHeader: headerOf(request.headers, 'x-slack-signature'),
      rawBody: bodyBytesOf(request),
      nowMs: deps.now().getTime(),
    });
    if (!verdict.ok) {
      deps.logger.warn('slack request refused', { reason: verdict.reason });
      return { status: 401, body: '' };
    }
    const rules = { kind: 'rejected-slack', store: deps.store, keepChars: KEPT_BODY_CHARS };
    const oversized = await refuseOversizedBody(request, rules);
    if (oversized) return oversized;
    const kept = request.body.slice(0, KEPT_BODY_CHARS);
    const rawBody = bodyTextOf(request);
    if (rawBody === undefined) return (await refuseBody('body: not UTF-8', kept, rules)).response;
    const read = readSlackBody(rawBody, headerOf(request.headers, 'content-type'));
    if (!read.ok) return (await refuseBody(read.error, kept, rules)).response;

    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(request.headers))
      if (value !== undefined) headers[key.toLowerCase()] = value;
    headers['content-type'] = read.contentType;
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
    // Bolt answers 404 when no listener took the request (a type it cannot tell, an action nobody
    // handles): a signed request nothing used, kept like every other rejection.
    if (result.statusCode === 404)
      await deps.store.putDeadLetter({
        kind: rules.kind,
        error: 'no listener took this request',
        payload: kept,
      });
    return { status: result.statusCode, headers: result.headers, body: result.body ?? '' };
  };
}
