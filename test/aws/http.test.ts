import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { requestFromApiGateway, responseForApiGateway, serveEndpoint } from '../../src/aws/http';
import type { Logger } from '../../src/observability/logger';
import { observer } from '../../src/aws/metrics';
import type { HttpRequest } from '../../src/http/request';

function apiEvent(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /thehive/webhook',
    rawPath: '/thehive/webhook',
    rawQueryString: '',
    headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' },
    requestContext: {
      accountId: '111122223333',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: {
        method: 'POST',
        path: '/thehive/webhook',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'test',
      },
      requestId: 'api-request-1',
      routeKey: 'POST /thehive/webhook',
      stage: '$default',
      time: '25/Nov/2026:05:00:00 +0000',
      timeEpoch: 1795582800000,
    },
    body: '{"objectType":"case"}',
    isBase64Encoded: false,
    ...overrides,
  };
}

const context = { awsRequestId: 'lambda-request-1', functionName: 'hivewire-test-thehiveWebhook' } as Context;

function recordingLogger() {
  const calls: { method: string; args: unknown[] }[] = [];
  const record =
    (method: string) =>
    (...args: unknown[]) =>
      calls.push({ method, args });
  const logger = {
    resetKeys: record('resetKeys'),
    addContext: record('addContext'),
    appendKeys: record('appendKeys'),
    error: record('error'),
  } as unknown as Logger;
  return { logger, calls };
}

describe('requestFromApiGateway', () => {
  it('passes method, raw path, headers and a text body through', () => {
    expect(requestFromApiGateway(apiEvent())).toEqual({
      method: 'POST',
      path: '/thehive/webhook',
      headers: { 'content-type': 'application/json', authorization: 'Bearer s3cret' },
      body: '{"objectType":"case"}',
      isBase64Encoded: false,
    });
  });

  it('decodes a base64 body as UTF-8, keeping non-ASCII characters intact', () => {
    const json = '{"text":"héllo ✓"}';
    const request = requestFromApiGateway(
      apiEvent({ body: Buffer.from(json, 'utf8').toString('base64'), isBase64Encoded: true }),
    );
    expect(request.body).toBe(json);
    expect(request.isBase64Encoded).toBe(false);
  });

  it('keeps a base64 body that is not UTF-8 as base64, so its exact bytes reach the endpoint', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    const request = requestFromApiGateway(
      apiEvent({ body: bytes.toString('base64'), isBase64Encoded: true }),
    );
    expect(request).toMatchObject({ body: bytes.toString('base64'), isBase64Encoded: true });
  });

  it('reads a missing body as empty', () => {
    expect(requestFromApiGateway(apiEvent({ body: undefined })).body).toBe('');
  });

  it('gives back the Cookie header payload 2.0 moved to `cookies`, and the query string', () => {
    const request = requestFromApiGateway(
      apiEvent({ cookies: ['slack-app-oauth-state=abc', 'other=1'], rawQueryString: 'code=1&state=abc' }),
    );
    expect(request.headers.cookie).toBe('slack-app-oauth-state=abc; other=1');
    expect(request.query).toBe('code=1&state=abc');
  });
});

describe('responseForApiGateway', () => {
  it('maps status, headers and body', () => {
    expect(
      responseForApiGateway({ status: 202, headers: { 'content-type': 'application/json' }, body: '{}' }),
    ).toEqual({ statusCode: 202, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(responseForApiGateway({ status: 401, body: '' })).toEqual({
      statusCode: 401,
      headers: {},
      body: '',
    });
  });

  it('sets a cookie through payload 2.0’s `cookies`', () => {
    expect(
      responseForApiGateway({
        status: 200,
        headers: { 'content-type': 'text/html', 'set-cookie': 'slack-app-oauth-state=abc; Secure; HttpOnly' },
        body: '<p>',
      }),
    ).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'text/html' },
      cookies: ['slack-app-oauth-state=abc; Secure; HttpOnly'],
      body: '<p>',
    });
  });
});

describe('serveEndpoint', () => {
  it('builds the endpoint once per container and answers each request with it', async () => {
    const { logger, calls } = recordingLogger();
    const seen: HttpRequest[] = [];
    let builds = 0;
    const deps = { config: 'first' };
    const handler = serveEndpoint(
      async () => deps,
      () => {
        builds += 1;
        return async (request) => {
          seen.push(request);
          return { status: 202, headers: { 'content-type': 'application/json' }, body: '{"queued":true}' };
        };
      },
      logger,
      observer({}),
    );
    expect(handler.length).toBe(2);
    const first = await handler(apiEvent(), context);
    await handler(apiEvent(), context);
    expect(first).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json' },
      body: '{"queued":true}',
    });
    expect(builds).toBe(1);
    expect(seen).toHaveLength(2);
    expect(seen[0]!.path).toBe('/thehive/webhook');
    expect(calls.filter((call) => call.method === 'addContext').map((call) => call.args[0])).toEqual([
      context,
      context,
    ]);
    expect(calls.find((call) => call.method === 'appendKeys')!.args[0]).toEqual({
      route: 'POST /thehive/webhook',
      apiRequestId: 'api-request-1',
    });
  });

  it('builds the endpoint again when its dependencies were renewed (a rotated secret)', async () => {
    const { logger } = recordingLogger();
    let deps = { signingSecret: 'before-rotation' };
    const handler = serveEndpoint(
      async () => deps,
      (current) => async () => ({ status: 200, body: current.signingSecret }),
      logger,
      observer({}),
    );
    expect((await handler(apiEvent(), context)).body).toBe('before-rotation');
    deps = { signingSecret: 'after-rotation' };
    expect((await handler(apiEvent(), context)).body).toBe('after-rotation');
  });

  it('answers a bare 500 and logs the error code when the endpoint cannot be built', async () => {
    const { logger, calls } = recordingLogger();
    const failure = Object.assign(new Error('SLACK_BOT_TOKEN: cannot read SSM parameter /x: AccessDenied'), {
      code: 'SECRET_UNAVAILABLE',
    });
    const handler = serveEndpoint(
      async () => {
        throw failure;
      },
      () => async () => ({ status: 200, body: '' }),
      logger,
      observer({}),
    );
    expect(await handler(apiEvent(), context)).toEqual({
      statusCode: 500,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"internal error"}',
    });
    expect(calls.find((call) => call.method === 'error')!.args).toEqual([
      'request failed',
      { error: 'SLACK_BOT_TOKEN: cannot read SSM parameter /x: AccessDenied', code: 'SECRET_UNAVAILABLE' },
    ]);
  });
});
