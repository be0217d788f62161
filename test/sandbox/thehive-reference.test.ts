/**
 * The TheHive stand-in answers as TheHive's published OpenAPI document (5.6.2, StrangeBee) says TheHive
 * does: every answer the product reads (alerts, cases, observables, comments, query results, errors) is
 * validated against the document's own response schema for that operation and status, so the product
 * cannot come to rely on a shape the real TheHive never sends.
 *
 * The document is reference material kept outside the repository (its README: read, do not copy). It is
 * looked for in `THEHIVE_OPENAPI_REFERENCE`, else as `shared/reference/thehive-openapi-v5.6.2.yaml` in
 * a folder above the repository; without it these tests are skipped, and their name says why.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
// ajv 6 is in node_modules through ESLint; draft-07 reads the document's schemas (none uses 2020-12 keywords).
import Ajv from 'ajv';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { parse as parseYaml } from 'yaml';
import { createLogger } from '../../src/observability/logger';
import { createTheHiveApi } from '../../src/sandbox/thehive-api';
import { SandboxTheHive } from '../../src/sandbox/thehive-instance';
import { WebhookNotifier } from '../../src/sandbox/thehive-webhook';
import { serveHandler, startRecorder, type LocalServer, type Recorder } from './local-server';

const REFERENCE_FILE = 'thehive-openapi-v5.6.2.yaml';

function findReference(): string | undefined {
  const given = process.env.THEHIVE_OPENAPI_REFERENCE;
  if (given) return given;
  for (let dir = resolve(__dirname, '../..'); ; dir = dirname(dir)) {
    const candidate = join(dir, 'shared', 'reference', REFERENCE_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

const referencePath = findReference();
const describeWithReference = referencePath ? describe : describe.skip;
const title = referencePath
  ? `TheHive stand-in answers match ${REFERENCE_FILE}`
  : `TheHive stand-in answers match ${REFERENCE_FILE} (skipped: set THEHIVE_OPENAPI_REFERENCE to the document)`;

type Method = 'get' | 'post' | 'patch' | 'delete';

/** A JSON pointer segment (`/` and `~` escaped). */
const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

let ajv: Ajv.Ajv;
let document: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };

/** The document's schema of `status`'s JSON answer to `method path` (path as the document writes it). */
function answerSchema(method: Method, path: string, status: number): string {
  const responses = document.paths[path]?.[method]?.responses;
  if (!responses || !(String(status) in responses))
    throw new Error(`the reference has no ${status} answer for ${method.toUpperCase()} ${path}`);
  return `thehive#/paths/${pointer(path)}/${method}/responses/${status}/content/${pointer('application/json')}/schema`;
}

/** Query results are untyped in the document (a known defect): each result is held to its entity's schema. */
const entitySchema = (name: string) => `thehive#/components/schemas/${name}`;

function problems(schemaRef: string, value: unknown): string[] {
  const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
  if (validate(value)) return [];
  return (validate.errors ?? []).map((error) => `${error.dataPath || '(root)'} ${error.message}`);
}

/** Asserts the answer's status, and its body against the document's schema for that operation and status. */
function expectAsDocumented(response: AxiosResponse, method: Method, path: string, status: number): void {
  expect(response.status).toBe(status);
  expect(problems(answerSchema(method, path, status), response.data)).toEqual([]);
}

/** Asserts a 204 the document gives for the operation, with no body (as the document's 204 has none). */
function expectNoContentAsDocumented(response: AxiosResponse, method: Method, path: string): void {
  const answer = document.paths[path]?.[method]?.responses['204'] as { content?: unknown } | undefined;
  expect(answer).toBeDefined();
  expect(answer?.content).toBeUndefined();
  expect(response.status).toBe(204);
  expect(response.data).toBe('');
}

/**
 * Fields the stand-in sends that the document does not declare for the entity: the product could come
 * to read them, and the real TheHive would not send them.
 */
function undeclared(entity: string, value: unknown): string[] {
  const schemas = (
    document as unknown as { components: { schemas: Record<string, { properties?: object }> } }
  ).components.schemas;
  const declared = Object.keys(schemas[entity]?.properties ?? {});
  return Object.keys(value as object).filter((key) => !declared.includes(key));
}

function expectEach(items: unknown, entity: string): void {
  expect(Array.isArray(items) && items.length > 0).toBe(true);
  for (const item of items as unknown[]) {
    expect(problems(entitySchema(entity), item)).toEqual([]);
    expect(undeclared(entity, item)).toEqual([]);
  }
}

const ALERT = {
  type: 'hivewire',
  source: 'guardduty',
  sourceRef: 'gd-4f1c2a9e7b3d5c60',
  title: 'API ListBuckets was invoked from a Tor exit node',
  description: '### Finding\n…',
  severity: 3,
  tags: ['customer:acme'],
  tlp: 2,
  pap: 2,
  observables: [
    { dataType: 'ip', data: '198.51.100.7', ioc: true, tags: ['remote-ip'] },
    { dataType: 'other', data: 'i-0abc', message: 'the instance' },
  ],
};

describeWithReference(title, () => {
  let receiver: Recorder;
  let notifier: WebhookNotifier;
  let server: LocalServer;
  let api: AxiosInstance;

  beforeAll(() => {
    document = parseYaml(readFileSync(referencePath!, 'utf8'));
    ajv = new Ajv({ unknownFormats: 'ignore', validateSchema: false, allErrors: true, logger: false });
    ajv.addSchema(document as object, 'thehive');
  });

  beforeEach(async () => {
    receiver = await startRecorder();
    notifier = new WebhookNotifier({
      url: `${receiver.url}/thehive/webhook`,
      secret: 's',
      logger: createLogger(),
    });
    const theHive = new SandboxTheHive({ users: ['bob@example.com'], notifier, now: () => 1764064800000 });
    server = await serveHandler(createTheHiveApi({ theHive, apiKey: 'sandbox' }));
    api = axios.create({
      baseURL: `${server.url}/sandbox/thehive`,
      headers: { authorization: 'Bearer sandbox' },
      validateStatus: () => true,
    });
  });

  afterEach(async () => {
    await notifier.idle();
    await server.close();
    await receiver.close();
  });

  it('alerts: created (observables inline), read, found by source reference, promoted to a case', async () => {
    const created = await api.post('/api/v1/alert', ALERT);
    expectAsDocumented(created, 'post', '/api/v1/alert', 201);
    expect(undeclared('OutputAlert', created.data)).toEqual([]);
    expectAsDocumented(
      await api.get(`/api/v1/alert/${created.data._id}`),
      'get',
      '/api/v1/alert/{alertId}',
      200,
    );

    const found = await api.post('/api/v1/query', {
      query: [{ _name: 'getAlert', idOrName: `${ALERT.type};${ALERT.source};${ALERT.sourceRef}` }],
    });
    expectAsDocumented(found, 'post', '/api/v1/query', 200);
    expectEach(found.data, 'OutputAlert');

    const promoted = await api.post(`/api/v1/alert/${created.data._id}/case`, {});
    expectAsDocumented(promoted, 'post', '/api/v1/alert/{alertId}/case', 201);
    expect(undeclared('OutputCase', promoted.data)).toEqual([]);
  });

  it('cases: read, updated, listed by query with their observables and comments', async () => {
    const created = await api.post('/api/v1/alert', ALERT);
    const { data: theCase } = await api.post(`/api/v1/alert/${created.data._id}/case`, {});

    expectAsDocumented(await api.get(`/api/v1/case/${theCase._id}`), 'get', '/api/v1/case/{idOrName}', 200);
    const patched = await api.patch(`/api/v1/case/${theCase._id}`, {
      status: 'InProgress',
      assignee: 'bob@example.com',
    });
    expect(patched.status).toBe(204);
    expectAsDocumented(
      await api.get(`/api/v1/case/${theCase.number}`),
      'get',
      '/api/v1/case/{idOrName}',
      200,
    );

    const observables = await api.post(`/api/v1/case/${theCase._id}/observable`, {
      dataType: 'domain',
      data: ['evil.example', 'worse.example'],
      ioc: true,
    });
    expectAsDocumented(observables, 'post', '/api/v1/case/{caseId}/observable', 201);
    expectEach(observables.data, 'OutputObservable');
    const comment = await api.post(`/api/v1/case/${theCase._id}/comment`, { message: 'bob in Slack: on it' });
    expectAsDocumented(comment, 'post', '/api/v1/case/{caseId}/comment', 201);
    expect(undeclared('OutputComment', comment.data)).toEqual([]);

    const listed = await api.post('/api/v1/query', {
      query: [
        { _name: 'listCase' },
        { _name: 'filter', _gt: { _field: '_updatedAt', _value: 0 } },
        { _name: 'sort', _fields: [{ _updatedAt: 'asc' }] },
        { _name: 'page', from: 0, to: 100 },
      ],
    });
    expectAsDocumented(listed, 'post', '/api/v1/query', 200);
    expectEach(listed.data, 'OutputCase');
    for (const [selection, entity] of [
      ['observables', 'OutputObservable'],
      ['comments', 'OutputComment'],
    ] as const) {
      const related = await api.post('/api/v1/query', {
        query: [{ _name: 'getCase', idOrName: theCase._id }, { _name: selection }],
      });
      expectAsDocumented(related, 'post', '/api/v1/query', 200);
      expectEach(related.data, entity);
    }
  });

  it('comments: created, edited (marked edited), deleted, as the document says; each change is a Comment audit event', async () => {
    const created = await api.post('/api/v1/alert', ALERT);
    const { data: theCase } = await api.post(`/api/v1/alert/${created.data._id}/case`, {});
    const comment = await api.post(`/api/v1/case/${theCase.number}/comment`, { message: 'first' });
    expectAsDocumented(comment, 'post', '/api/v1/case/{caseId}/comment', 201);
    expect(comment.data).toMatchObject({
      message: 'first',
      isEdited: false,
      createdBy: 'hivewire@thehive.local',
    });

    const edited = await api.patch(`/api/v1/comment/${comment.data._id}`, { message: 'second' });
    expectNoContentAsDocumented(edited, 'patch', '/api/v1/comment/{commentId}');
    const listed = await api.post('/api/v1/query', {
      query: [{ _name: 'getCase', idOrName: theCase._id }, { _name: 'comments' }],
    });
    expectEach(listed.data, 'OutputComment');
    expect(listed.data[0]).toMatchObject({
      message: 'second',
      isEdited: true,
      updatedBy: 'hivewire@thehive.local',
    });
    expectAsDocumented(
      await api.patch(`/api/v1/comment/${comment.data._id}`, { message: '' }),
      'patch',
      '/api/v1/comment/{commentId}',
      400,
    );

    const deleted = await api.delete(`/api/v1/comment/${comment.data._id}`);
    expectNoContentAsDocumented(deleted, 'delete', '/api/v1/comment/{commentId}');
    expectAsDocumented(
      await api.delete(`/api/v1/comment/${comment.data._id}`),
      'delete',
      '/api/v1/comment/{commentId}',
      404,
    );
    expectAsDocumented(
      await api.patch('/api/v1/comment/~1', { message: 'x' }),
      'patch',
      '/api/v1/comment/{commentId}',
      404,
    );

    await notifier.idle();
    const commentEvents = receiver.requests
      .map((request) => JSON.parse(request.body) as Record<string, unknown>)
      .filter((event) => event.objectType === 'Comment');
    expect(commentEvents.map((event) => [event.action, event.objectId, event.rootId])).toEqual([
      ['create', comment.data._id, theCase._id],
      ['update', comment.data._id, theCase._id],
      ['delete', comment.data._id, theCase._id],
    ]);
    expect(commentEvents[0]!.object).toEqual(comment.data);
  });

  it('errors: a wrong key, an unknown case, a second alert with the same source reference, an alert not found', async () => {
    const unauthorised = await axios.post(`${server.url}/sandbox/thehive/api/v1/alert`, ALERT, {
      headers: { authorization: 'Bearer wrong' },
      validateStatus: () => true,
    });
    expectAsDocumented(unauthorised, 'post', '/api/v1/alert', 401);
    expectAsDocumented(await api.get('/api/v1/case/~999999'), 'get', '/api/v1/case/{idOrName}', 404);
    await api.post('/api/v1/alert', ALERT);
    expectAsDocumented(await api.post('/api/v1/alert', ALERT), 'post', '/api/v1/alert', 400);
    const missing = await api.post('/api/v1/query', {
      query: [{ _name: 'getAlert', idOrName: 'hivewire;guardduty;none' }],
    });
    expectAsDocumented(missing, 'post', '/api/v1/query', 404);
  });

  it('the public status', async () => {
    expectAsDocumented(await api.get('/api/v1/status/public'), 'get', '/api/v1/status/public', 200);
  });
});
