import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import nock from 'nock';
import {
  isDuplicateAlert,
  parseRetryAfter,
  TheHiveClient,
  TheHiveError,
  TheHiveResponseError,
  type InputCreateAlert,
  type OutputComment,
  type TheHiveClientOptions,
  type TheHiveLogger,
} from '../../../clients/thehive/client';
import { theHiveAlert, theHiveCase, theHiveComment, theHiveObservable } from './fixtures';

const BASE = 'https://thehive.test';
const API_KEY = 'th-key-5f0c9a1e7b';

interface SentRequest {
  method: string;
  path: string;
  headers: Record<string, string | undefined>;
  body: unknown;
}

/** The headers Hivewire sets (transport headers such as content-length are axios's business). */
function ourHeaders(headers: Record<string, string>): Record<string, string | undefined> {
  const names = ['authorization', 'accept', 'content-type', 'user-agent', 'x-organisation'];
  return Object.fromEntries(
    names.filter((name) => headers[name] !== undefined).map((name) => [name, headers[name]]),
  );
}

let sent: SentRequest[];
let slept: number[];
let logs: { level: string; message: string; attributes: Record<string, unknown> }[];

const logger: TheHiveLogger = {
  debug: (message, attributes) => logs.push({ level: 'debug', message, attributes }),
  warn: (message, attributes) => logs.push({ level: 'warn', message, attributes }),
};

function client(options: Partial<TheHiveClientOptions> = {}): TheHiveClient {
  return new TheHiveClient({
    baseUrl: BASE,
    apiKey: API_KEY,
    logger,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
}

/** A nock reply that records the request, then answers `status` with `body`. */
function answer(status: number, body?: unknown, headers?: Record<string, string>) {
  return function (this: nock.ReplyFnContext, uri: string, requestBody: nock.Body): nock.ReplyFnResult {
    sent.push({
      method: this.req.method ?? '',
      path: uri,
      headers: ourHeaders(this.req.headers),
      body: requestBody === '' ? undefined : requestBody,
    });
    return [status, body === undefined ? '' : JSON.stringify(body), headers ?? {}];
  };
}

const JSON_HEADERS = {
  authorization: `Bearer ${API_KEY}`,
  accept: 'application/json',
  'content-type': 'application/json',
  'user-agent': 'hivewire/0.1.0',
};
const GET_HEADERS = {
  authorization: `Bearer ${API_KEY}`,
  accept: 'application/json',
  'user-agent': 'hivewire/0.1.0',
};

const alertInput: InputCreateAlert = {
  type: 'hivewire',
  source: 'guardduty',
  sourceRef: 'fp-1',
  title: 'EC2 instance is querying a domain name associated with a known command and control server',
  description: '### Finding',
  severity: 3,
  date: 1764049000000,
  tags: ['customer:acme'],
  tlp: 2,
  pap: 2,
  observables: [
    { dataType: 'ip', data: '198.51.100.7', ioc: true },
    { dataType: 'domain', data: 'c2.example', tags: ['dns'] },
  ],
};

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  sent = [];
  slept = [];
  logs = [];
});
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('endpoints', () => {
  test('alerts.create posts the alert with its observables inline and returns TheHive’s alert', async () => {
    nock(BASE).post('/api/v1/alert').reply(answer(201, theHiveAlert()));

    await expect(client().alerts.create(alertInput)).resolves.toEqual(theHiveAlert());
    expect(sent).toEqual([
      { method: 'POST', path: '/api/v1/alert', headers: JSON_HEADERS, body: alertInput },
    ]);
  });

  test('alerts.get reads the alert by id', async () => {
    nock(BASE)
      .get('/api/v1/alert/~4096')
      .reply(answer(200, theHiveAlert({ caseId: '~8192', stage: 'Imported' })));

    await expect(client().alerts.get('~4096')).resolves.toEqual(
      theHiveAlert({ caseId: '~8192', stage: 'Imported' }),
    );
    expect(sent).toEqual([
      { method: 'GET', path: '/api/v1/alert/~4096', headers: GET_HEADERS, body: undefined },
    ]);
  });

  test('alerts.findBySourceRef asks the query API for getAlert "type;source;sourceRef"', async () => {
    nock(BASE)
      .post('/api/v1/query')
      .reply(answer(200, [theHiveAlert({ caseId: '~8192' })]));

    await expect(client().alerts.findBySourceRef('hivewire', 'guardduty', 'fp-1')).resolves.toEqual(
      theHiveAlert({ caseId: '~8192' }),
    );
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/query',
        headers: JSON_HEADERS,
        body: { query: [{ _name: 'getAlert', idOrName: 'hivewire;guardduty;fp-1' }] },
      },
    ]);
  });

  test('alerts.findBySourceRef is undefined when TheHive answers an empty list or 404', async () => {
    nock(BASE)
      .post('/api/v1/query')
      .reply(answer(200, []))
      .post('/api/v1/query')
      .reply(answer(404, { type: 'NotFoundError', message: 'Alert hivewire;guardduty;fp-2 not found' }));

    await expect(client().alerts.findBySourceRef('hivewire', 'guardduty', 'fp-2')).resolves.toBeUndefined();
    await expect(client().alerts.findBySourceRef('hivewire', 'guardduty', 'fp-2')).resolves.toBeUndefined();
    expect(sent.map((request) => request.path)).toEqual(['/api/v1/query', '/api/v1/query']);
  });

  test('alerts.promote posts the case template and returns the case', async () => {
    nock(BASE).post('/api/v1/alert/~4096/case').reply(answer(201, theHiveCase()));

    await expect(client().alerts.promote('~4096', { caseTemplate: 'AWS finding' })).resolves.toEqual(
      theHiveCase(),
    );
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/alert/~4096/case',
        headers: JSON_HEADERS,
        body: { caseTemplate: 'AWS finding' },
      },
    ]);
  });

  test('alerts.promote without options sends an empty object', async () => {
    nock(BASE).post('/api/v1/alert/~4096/case').reply(answer(201, theHiveCase()));

    await client().alerts.promote('~4096');
    expect(sent[0]?.body).toEqual({});
  });

  test('cases.get reads a case by number', async () => {
    nock(BASE)
      .get('/api/v1/case/42')
      .reply(answer(200, theHiveCase({ status: 'TruePositive', stage: 'Closed', summary: 'Contained' })));

    await expect(client().cases.get(42)).resolves.toEqual(
      theHiveCase({ status: 'TruePositive', stage: 'Closed', summary: 'Contained' }),
    );
    expect(sent).toEqual([{ method: 'GET', path: '/api/v1/case/42', headers: GET_HEADERS, body: undefined }]);
  });

  test('cases.update patches only the given fields and resolves on 204', async () => {
    nock(BASE).patch('/api/v1/case/~8192').reply(answer(204));

    await expect(
      client().cases.update('~8192', { status: 'InProgress', assignee: null, addTags: ['slack'] }),
    ).resolves.toBeUndefined();
    expect(sent).toEqual([
      {
        method: 'PATCH',
        path: '/api/v1/case/~8192',
        headers: JSON_HEADERS,
        body: { status: 'InProgress', assignee: null, addTags: ['slack'] },
      },
    ]);
  });

  test('cases.listChangedSince filters on _updatedAt and _id, sorts oldest first, and reads every page', async () => {
    const firstPage = Array.from({ length: 100 }, (_, index) =>
      theHiveCase({ _id: `~${index}`, number: index, _updatedAt: 1764050100000 + index }),
    );
    const lastPage = [theHiveCase({ _id: '~100', number: 100, _updatedAt: 1764050200000 })];
    nock(BASE)
      .post('/api/v1/query')
      .reply(answer(200, firstPage))
      .post('/api/v1/query')
      .reply(answer(200, lastPage));

    const cases = await client().cases.listChangedSince(1764050000000, ['~8192', '~100']);

    expect(cases.map((theCase) => theCase._id)).toEqual(
      [...firstPage, ...lastPage].map((theCase) => theCase._id),
    );
    const query = (from: number) => ({
      query: [
        { _name: 'listCase' },
        {
          _name: 'filter',
          _and: [
            { _gt: { _field: '_updatedAt', _value: 1764050000000 } },
            { _in: { _field: '_id', _values: ['~8192', '~100'] } },
          ],
        },
        { _name: 'sort', _fields: [{ _updatedAt: 'asc' }] },
        { _name: 'page', from, to: from + 100 },
      ],
    });
    expect(sent).toEqual([
      { method: 'POST', path: '/api/v1/query', headers: JSON_HEADERS, body: query(0) },
      { method: 'POST', path: '/api/v1/query', headers: JSON_HEADERS, body: query(100) },
    ]);
  });

  test('cases.listChangedSince without ids filters on _updatedAt only', async () => {
    nock(BASE).post('/api/v1/query').reply(answer(200, []));

    await expect(client().cases.listChangedSince(5)).resolves.toEqual([]);
    expect(sent[0]?.body).toEqual({
      query: [
        { _name: 'listCase' },
        { _name: 'filter', _gt: { _field: '_updatedAt', _value: 5 } },
        { _name: 'sort', _fields: [{ _updatedAt: 'asc' }] },
        { _name: 'page', from: 0, to: 100 },
      ],
    });
  });

  test('cases.listChangedSince with no ids to follow asks nothing', async () => {
    await expect(client().cases.listChangedSince(5, [])).resolves.toEqual([]);
    expect(sent).toEqual([]);
  });

  test('observables.createInCase posts the observable and returns the array TheHive answers', async () => {
    const created = [theHiveObservable(), theHiveObservable({ _id: '~12289', data: '203.0.113.9' })];
    nock(BASE).post('/api/v1/case/~8192/observable').reply(answer(201, created));

    await expect(
      client().observables.createInCase('~8192', {
        dataType: 'ip',
        data: ['198.51.100.7', '203.0.113.9'],
        ioc: true,
      }),
    ).resolves.toEqual(created);
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/case/~8192/observable',
        headers: JSON_HEADERS,
        body: { dataType: 'ip', data: ['198.51.100.7', '203.0.113.9'], ioc: true },
      },
    ]);
  });

  test('comments.createInCase posts the message', async () => {
    nock(BASE).post('/api/v1/case/~8192/comment').reply(answer(201, theHiveComment()));

    await expect(client().comments.createInCase('~8192', 'Escalated from Slack')).resolves.toEqual(
      theHiveComment(),
    );
    expect(sent).toEqual([
      {
        method: 'POST',
        path: '/api/v1/case/~8192/comment',
        headers: JSON_HEADERS,
        body: { message: 'Escalated from Slack' },
      },
    ]);
  });

  test('comments.update and comments.delete send PATCH and DELETE to the comment, and take the 204', async () => {
    nock(BASE)
      .patch('/api/v1/comment/~4096')
      .reply(answer(204))
      .delete('/api/v1/comment/~4096')
      .reply(answer(204));

    await expect(client().comments.update('~4096', 'edited text')).resolves.toBeUndefined();
    await expect(client().comments.delete('~4096')).resolves.toBeUndefined();
    expect(sent.map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: 'PATCH', path: '/api/v1/comment/~4096', body: { message: 'edited text' } },
      { method: 'DELETE', path: '/api/v1/comment/~4096', body: undefined },
    ]);
  });

  test('comments.listInCase reads every page of a case’s comments, oldest first', async () => {
    const page = Array.from({ length: 100 }, () => theHiveComment());
    nock(BASE)
      .post('/api/v1/query')
      .reply(answer(200, page))
      .post('/api/v1/query')
      .reply(answer(200, [theHiveComment()]));

    expect(await client().comments.listInCase('~8192')).toHaveLength(101);
    expect(sent.map((request) => request.body)).toEqual([
      {
        query: [
          { _name: 'getCase', idOrName: '~8192' },
          { _name: 'comments' },
          { _name: 'sort', _fields: [{ createdAt: 'asc' }] },
          { _name: 'page', from: 0, to: 100 },
        ],
      },
      {
        query: [
          { _name: 'getCase', idOrName: '~8192' },
          { _name: 'comments' },
          { _name: 'sort', _fields: [{ createdAt: 'asc' }] },
          { _name: 'page', from: 100, to: 200 },
        ],
      },
    ]);
  });

  test('query.run validates the answer as the entities the pipeline ends on', async () => {
    nock(BASE)
      .post('/api/v1/query')
      .reply(answer(200, [theHiveComment()]))
      .post('/api/v1/query')
      .reply(answer(200, [theHiveCase()]));
    const pipeline = [{ _name: 'getCase', idOrName: '42' }, { _name: 'comments' }] as const;

    // The answer's type follows the pipeline: comments of a case.
    const comments: OutputComment[] = await client().query.run([...pipeline], {
      excludeFields: ['extraData'],
    });
    expect(comments).toEqual([theHiveComment()]);
    // A case where comments were expected: the answer does not match, and the error says where.
    await expect(client().query.run([...pipeline])).rejects.toMatchObject({
      name: 'TheHiveResponseError',
      field: '[0].createdBy',
    });
    expect(sent.map((request) => request.body)).toEqual([
      { query: pipeline, excludeFields: ['extraData'] },
      { query: pipeline },
    ]);
  });

  test('publicStatus reads the version', async () => {
    nock(BASE)
      .get('/api/v1/status/public')
      .reply(answer(200, { version: '5.5.4-1', sso: false }));

    await expect(client().publicStatus()).resolves.toEqual({ version: '5.5.4-1', sso: false });
  });

  test('caseUrl is <base>/cases/<_id>/details, with a path prefix kept and a trailing slash dropped', () => {
    expect(client().caseUrl('~8192')).toBe('https://thehive.test/cases/~8192/details');
    expect(client({ baseUrl: 'http://localhost:3000/sandbox/thehive/' }).caseUrl('~1')).toBe(
      'http://localhost:3000/sandbox/thehive/cases/~1/details',
    );
  });

  test('a base URL with a path prefix keeps it in requests', async () => {
    nock('http://localhost:3000').get('/sandbox/thehive/api/v1/case/~1').reply(answer(200, theHiveCase()));

    await client({ baseUrl: 'http://localhost:3000/sandbox/thehive/' }).cases.get('~1');
    expect(sent.map((request) => request.path)).toEqual(['/sandbox/thehive/api/v1/case/~1']);
  });

  test('X-Organisation is sent only when an organisation is configured', async () => {
    nock(BASE).get('/api/v1/case/42').times(2).reply(answer(200, theHiveCase()));

    await client({ organisation: 'acme-soc' }).cases.get(42);
    await client().cases.get(42);
    expect(sent.map((request) => request.headers['x-organisation'])).toEqual(['acme-soc', undefined]);
  });
});

describe('retries', () => {
  test('a 500 then a 200: two requests, one result, one jittered wait', async () => {
    nock(BASE)
      .post('/api/v1/alert')
      .reply(answer(500, { type: 'InternalError', message: 'Database unavailable' }))
      .post('/api/v1/alert')
      .reply(answer(201, theHiveAlert()));

    await expect(client().alerts.create(alertInput)).resolves.toEqual(theHiveAlert());
    expect(sent.map((request) => request.body)).toEqual([alertInput, alertInput]);
    // full jitter: random 0.5 × the first ceiling (500 ms)
    expect(slept).toEqual([250]);
  });

  test('the backoff ceiling doubles per retry and the last failure is thrown', async () => {
    nock(BASE)
      .get('/api/v1/case/42')
      .times(5)
      .reply(answer(503, { type: 'InternalError', message: 'Service unavailable' }));

    const error = await client()
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({
      status: 503,
      message: 'Service unavailable',
      retryable: true,
      attempts: 5,
    });
    expect(slept).toEqual([250, 500, 1000, 2000]);
  });

  test('429 with Retry-After: 2 waits 2 s, then succeeds', async () => {
    nock(BASE)
      .post('/api/v1/case/~8192/comment')
      .reply(answer(429, { type: 'TooManyRequests', message: 'Slow down' }, { 'Retry-After': '2' }))
      .post('/api/v1/case/~8192/comment')
      .reply(answer(201, theHiveComment()));

    await expect(client().comments.createInCase('~8192', 'hello')).resolves.toEqual(theHiveComment());
    expect(slept).toEqual([2000]);
    expect(sent).toHaveLength(2);
  });

  test('a Retry-After longer than the longest allowed wait ends the retries at once, as retryable', async () => {
    nock(BASE)
      .get('/api/v1/case/42')
      .reply(answer(503, { type: 'InternalError', message: 'Maintenance' }, { 'Retry-After': '120' }));

    await expect(client({ maxDelayMs: 60_000 }).cases.get(42)).rejects.toMatchObject({
      status: 503,
      retryable: true,
      attempts: 1,
    });
    expect(slept).toEqual([]);
  });

  test('401: one request only, TheHiveError with the status and TheHive’s message', async () => {
    nock(BASE)
      .post('/api/v1/alert')
      .reply(answer(401, { type: 'AuthenticationError', message: 'Authentication failure' }));

    const error = await client()
      .alerts.create(alertInput)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({
      name: 'TheHiveError',
      status: 401,
      type: 'AuthenticationError',
      message: 'Authentication failure',
      method: 'POST',
      path: '/api/v1/alert',
      retryable: false,
      attempts: 1,
    });
    expect(sent).toHaveLength(1);
    expect(slept).toEqual([]);
  });

  test('a 400 is not retried', async () => {
    nock(BASE)
      .patch('/api/v1/case/~8192')
      .reply(answer(400, { type: 'BadRequest', message: 'Invalid status Unknown' }));

    await expect(client().cases.update('~8192', { status: 'Unknown' })).rejects.toMatchObject({
      status: 400,
      type: 'BadRequest',
      retryable: false,
    });
    expect(sent).toHaveLength(1);
  });

  test('a timeout is retried, then fails with a message naming the request and the deadline', async () => {
    nock(BASE).get('/api/v1/case/42').times(2).delay(2_000).reply(answer(200, theHiveCase()));

    const error = await client({ timeoutMs: 40, retries: 1 })
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({
      message: 'GET /api/v1/case/42 timed out after 40 ms (2 attempts)',
      status: undefined,
      code: 'ETIMEDOUT',
      retryable: true,
      attempts: 2,
    });
    expect(slept).toEqual([250]);
  });

  test('no request starts once the deadline of the work has passed', async () => {
    const error = await client({ deadline: () => AbortSignal.abort() })
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({
      message: "GET /api/v1/case/42 gave no answer before the job's deadline (0 attempts)",
      retryable: true,
      attempts: 0,
    });
    expect(sent).toEqual([]);
  });

  test('the deadline of the work cancels the attempt in flight and starts no retry', async () => {
    // One interceptor: a second attempt would fail as an unmatched request, not as the deadline.
    nock(BASE).get('/api/v1/case/42').delay(500).reply(answer(200, theHiveCase()));
    const deadline = AbortSignal.timeout(50);

    const error = await client({ timeoutMs: 10_000, retries: 4, deadline: () => deadline })
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({
      message: "GET /api/v1/case/42 gave no answer before the job's deadline (1 attempt)",
      status: undefined,
      code: 'ETIMEDOUT',
      retryable: true,
      attempts: 1,
    });
    expect(slept).toEqual([]);
  });

  test('a retry wait is cut short by the deadline, and no attempt starts after it: the last failure is thrown', async () => {
    nock(BASE)
      .get('/api/v1/case/42')
      .reply(answer(503, { type: 'X', message: 'busy' }));
    const controller = new AbortController();

    const error = await client({
      retries: 4,
      deadline: () => controller.signal,
      // The deadline passes during the first wait.
      sleep: async (ms, signal) => {
        slept.push(ms);
        controller.abort();
        signal?.throwIfAborted();
      },
    })
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toMatchObject({ message: 'busy', status: 503, retryable: true, attempts: 1 });
    expect(slept).toEqual([250]);
    expect(sent).toHaveLength(1);
  });

  test('an error page without TheHive’s error body still names the request', async () => {
    nock(BASE).get('/api/v1/case/42').reply(502, '<html>Bad Gateway</html>');

    await expect(client({ retries: 0 }).cases.get(42)).rejects.toMatchObject({
      message: 'GET /api/v1/case/42 answered HTTP 502 without a TheHive error body',
      status: 502,
      type: undefined,
      retryable: true,
    });
  });

  test('a redirect is not followed (it would carry the API key elsewhere)', async () => {
    nock(BASE).get('/api/v1/case/42').reply(302, '', { Location: 'https://elsewhere.test/' });

    await expect(client().cases.get(42)).rejects.toMatchObject({ status: 302, retryable: false });
  });
});

describe('validation', () => {
  test('a malformed 201 is an error naming the field, not retried', async () => {
    nock(BASE)
      .post('/api/v1/alert')
      .reply(answer(201, { ...theHiveAlert(), stage: 'Triaged' }));

    const error = await client()
      .alerts.create(alertInput)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveResponseError);
    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({ field: 'stage', status: 201, retryable: false, attempts: 1 });
    expect((error as Error).message).toMatch(
      /^POST \/api\/v1\/alert answered 201 with an unexpected body: stage: /,
    );
    expect(sent).toHaveLength(1);
  });

  test('a missing required field is named', async () => {
    const { number: _number, ...withoutNumber } = theHiveCase();
    nock(BASE).get('/api/v1/case/~8192').reply(answer(200, withoutNumber));

    await expect(client().cases.get('~8192')).rejects.toMatchObject({ field: 'number' });
  });

  test('a TLP outside 0..4 is rejected', async () => {
    nock(BASE)
      .post('/api/v1/case/~8192/observable')
      .reply(answer(201, [theHiveObservable(), { ...theHiveObservable(), tlp: 5 }]));

    await expect(
      client().observables.createInCase('~8192', { dataType: 'ip', data: '1.2.3.4' }),
    ).rejects.toMatchObject({
      field: '[1].tlp',
    });
  });

  test('a non-JSON 200 is an error naming the body', async () => {
    nock(BASE).get('/api/v1/case/42').reply(200, '<html>login</html>');

    await expect(client().cases.get(42)).rejects.toMatchObject({ field: '(body)', status: 200 });
  });

  test('fields TheHive adds beyond the document are kept', async () => {
    nock(BASE)
      .get('/api/v1/case/42')
      .reply(answer(200, { ...theHiveCase(), timeToDetect: 1000 }));

    await expect(client().cases.get(42)).resolves.toMatchObject({ timeToDetect: 1000 });
  });
});

describe('secrets', () => {
  test('the API key appears in no log line and no error, whatever fails', async () => {
    nock(BASE)
      .get('/api/v1/case/1')
      .reply(answer(500, { type: 'InternalError', message: 'boom' }))
      .get('/api/v1/case/1')
      .reply(answer(503, { type: 'InternalError', message: 'unavailable' }))
      .get('/api/v1/case/1')
      .reply(answer(401, { type: 'AuthenticationError', message: `Unknown API key ${API_KEY}` }));
    nock(BASE).get('/api/v1/case/2').delay(2_000).reply(answer(200, theHiveCase()));
    nock(BASE)
      .get('/api/v1/case/3')
      .reply(answer(200, { bad: API_KEY }));

    const errors = await Promise.all([
      client()
        .cases.get(1)
        .catch((e: unknown) => e),
      client({ timeoutMs: 30, retries: 0 })
        .cases.get(2)
        .catch((e: unknown) => e),
      client()
        .cases.get(3)
        .catch((e: unknown) => e),
    ]);

    expect(errors.map((error) => (error as TheHiveError).status)).toEqual([401, undefined, 200]);
    expect((errors[0] as Error).message).toBe('Unknown API key [redacted]');
    expect(logs.filter((line) => line.level === 'warn')).toHaveLength(2);
    for (const error of errors) {
      expect(inspect(error, { depth: 10, showHidden: true })).not.toContain(API_KEY);
      expect(JSON.stringify(error)).not.toContain(API_KEY);
    }
    expect(JSON.stringify(logs)).not.toContain(API_KEY);
  });
});

describe('isDuplicateAlert', () => {
  const duplicate = (init: Partial<ConstructorParameters<typeof TheHiveError>[0]>) =>
    new TheHiveError({
      message: 'Alert hivewire:guardduty:fp-1 already exist in organisation acme',
      method: 'POST',
      path: '/api/v1/alert',
      retryable: false,
      attempts: 1,
      ...init,
    });

  test('recognises TheHive’s 400 CreateError for an existing type/source/sourceRef', () => {
    expect(isDuplicateAlert(duplicate({ status: 400, type: 'CreateError' }))).toBe(true);
    expect(isDuplicateAlert(duplicate({ status: 400, type: 'BadRequest' }))).toBe(true);
  });

  test('rejects anything else', () => {
    expect(isDuplicateAlert(duplicate({ status: 500, type: 'CreateError' }))).toBe(false);
    expect(
      isDuplicateAlert(duplicate({ status: 400, type: 'AttributeCheckingError', message: 'title: invalid' })),
    ).toBe(false);
    expect(isDuplicateAlert(new Error('already exist'))).toBe(false);
  });

  test('recognises the rejection answered by TheHive', async () => {
    nock(BASE)
      .post('/api/v1/alert')
      .reply(
        answer(400, {
          type: 'CreateError',
          message: 'Alert hivewire:guardduty:fp-1 already exist in organisation acme',
        }),
      );

    const error = await client()
      .alerts.create(alertInput)
      .catch((e: unknown) => e);
    expect(isDuplicateAlert(error)).toBe(true);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-25T10:00:00Z');

  test('reads delay-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  test('reads an HTTP date, a past one as no wait', () => {
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 25 Nov 2026 09:59:00 GMT', now)).toBe(0);
  });

  test('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('over a real socket', () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    nock.enableNetConnect('127.0.0.1');
    let resets = 0;
    server = http.createServer((request, response) => {
      // The first request for case 4242 is cut off mid-flight: a real ECONNRESET ("socket hang up").
      if (request.url === '/api/v1/case/4242' && resets++ === 0) {
        request.socket.destroy();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(theHiveCase({ title: `${request.method} ${request.url}` })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    nock.disableNetConnect();
    await new Promise((resolve) => server.close(resolve));
  });

  test('a network error is retried', async () => {
    await expect(client({ baseUrl: url }).cases.get(4242)).resolves.toMatchObject({
      title: 'GET /api/v1/case/4242',
    });
    expect(slept).toEqual([250]);
    expect(logs.filter((line) => line.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'TheHive request failed: retrying',
        attributes: {
          method: 'GET',
          path: '/api/v1/case/4242',
          attempt: 1,
          status: undefined,
          type: undefined,
          code: 'ECONNRESET',
          delayMs: 250,
        },
      },
    ]);
  });

  test('a refused connection on every attempt ends in a retryable TheHiveError with the error code', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));

    const error = await client({ baseUrl: `http://127.0.0.1:${port}`, retries: 1 })
      .cases.get(42)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TheHiveError);
    expect(error).toMatchObject({
      message: `GET /api/v1/case/42 failed: connect ECONNREFUSED 127.0.0.1:${port} (2 attempts)`,
      status: undefined,
      code: 'ECONNREFUSED',
      retryable: true,
      attempts: 2,
    });
    expect(slept).toEqual([250]);
  });

  test('requests go through the given http agent', async () => {
    const connections: Socket[] = [];
    class CountingAgent extends http.Agent {
      override createConnection(...args: Parameters<http.Agent['createConnection']>) {
        const socket = super.createConnection(...args) as Socket;
        connections.push(socket);
        return socket;
      }
    }
    const agent = new CountingAgent({ keepAlive: false });

    const theCase = await client({ baseUrl: url, httpAgent: agent }).cases.get(42);

    expect(theCase.title).toBe('GET /api/v1/case/42');
    expect(connections).toHaveLength(1);
    agent.destroy();
  });
});
