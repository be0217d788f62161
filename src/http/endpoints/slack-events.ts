/**
 * `POST /slack/events`, the same in AWS and locally: authenticate (signature, and a timestamp at most
 * five minutes away in either direction — Bolt alone accepts future ones), read the body (base64
 * bodies as UTF-8), then hand the request and its body to the Bolt app through Hivewire's own
 * receiver (src/slack/receiver.ts).
 */
import { parse as parseForm } from 'node:querystring';
import { parseJsonText } from '../../validation/json';
import * as z from '../../validation/zod';
import {
  bodyBytesOf,
  bodyTextOf,
  headerOf,
  refuseBody,
  refuseOversizedBody,
  type HttpRequest,
  type HttpResponse,
} from '../request';
import { verifySlackRequest } from '../slack-signature';
import { createSlackApp } from '../../slack/app';
import { HttpRequestReceiver, type SlackBody } from '../../slack/receiver';
import type { SlackAppDeps } from '../../wiring/deps';

const FORM = 'application/x-www-form-urlencoded';
/** How much of a refused request is kept (Slack's payloads are a few KB). */
const KEPT_BODY_CHARS = 64 * 1024;

type ReadBody = { ok: true; body: SlackBody } | { ok: false; error: string };

/**
 * What Bolt needs to tell a request's kind without throwing: an object. Which kind it is (event,
 * action, command, view) and its fields are Bolt's and the listeners' business.
 */
const slackBody = z.looseObject({});

function asObject(value: unknown, field: string): ReadBody {
  const parsed = slackBody.safeParse(value);
  return parsed.success
    ? { ok: true, body: parsed.data }
    : { ok: false, error: `${field}: expected a JSON object` };
}

/**
 * Reads the body as Slack sends it: a form (interactions carry their JSON in its `payload` field,
 * commands are the form's fields) or JSON (the Events API). What Bolt could not use (a payload that is
 * not JSON, nested too deep, not an object) is refused with a 400. The media type is compared without
 * its parameters, so `application/x-www-form-urlencoded; charset=utf-8` is a form too.
 */
function readSlackBody(text: string, contentTypeHeader: string | undefined): ReadBody {
  const mediaType = (contentTypeHeader ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === FORM) {
    const form = parseForm(text);
    if (typeof form.payload !== 'string') return asObject({ ...form }, 'body');
    const parsed = parseJsonText(form.payload);
    return parsed.ok ? asObject(parsed.value, 'payload') : { ok: false, error: `payload: ${parsed.error}` };
  }
  const parsed = parseJsonText(text);
  return parsed.ok ? asObject(parsed.value, 'body') : { ok: false, error: `body: ${parsed.error}` };
}

/** Builds the endpoint: one Bolt app per process, created once (module scope in Lambda). */
export function createSlackEventsEndpoint(
  deps: SlackAppDeps,
): (request: HttpRequest) => Promise<HttpResponse> {
  const receiver = new HttpRequestReceiver(deps.logger);
  createSlackApp(receiver, deps);

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

    const response = await receiver.handle(request, read.body);
    // Bolt answers 404 when no listener took the request (a type it cannot tell, an action nobody
    // handles): a signed request nothing used, kept like every other rejection.
    if (response.status === 404)
      await deps.store.putDeadLetter({
        kind: rules.kind,
        error: 'no listener took this request',
        payload: kept,
      });
    return response;
  };
}
