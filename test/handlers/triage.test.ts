/**
 * The triage function as Lambda runs it: `POST /triage` through API Gateway, or a direct invocation
 * with the request as payload; the store on a local DynamoDB, SSM and SQS mocked at the HTTP layer.
 * Each invocation, of either kind, is observed once (traced once, its metrics written once as EMF):
 * the AWS root's `observed` is the real one, counted on its way in.
 */
import nock from 'nock';
import type { Observed } from '../../src/aws/metrics';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import { emfWrittenBy } from '../helpers/emf';
import {
  apiGatewayEvent,
  functionEnvironment,
  lambdaContext,
  mockJobsQueue,
  mockSsm,
  SECRETS,
  STAGE,
  TABLE_NAME,
} from './lambda-events';

const INGEST_SECRET = SECRETS[`/hivewire/${STAGE}/ingest-secret`]!;
const QUESTION = {
  identifier: 'mozdef-alert-42',
  user: 'jdoe@example.com',
  alert: 'duo_bypass_code_generated',
  summary: 'A Duo bypass code was generated for jdoe',
  identityConfidence: 'high',
};

const savedEnv = process.env;
let opened: OpenedStore;
let queue: ReturnType<typeof mockJobsQueue>;
let handler: typeof import('../../src/handlers/triage').handler;
/** One entry per run of `observed`'s wrapper. */
const observations: unknown[] = [];

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['INGEST_SECRET_PARAM'], opened.endpoint, TABLE_NAME),
    // The suite's setup silences EMF (test/helpers/env.ts); here it is read.
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_SERVICE_NAME: 'hivewire',
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
  queue = mockJobsQueue();
  jest.doMock('../../src/aws/runtime', () => {
    const actual = jest.requireActual<typeof import('../../src/aws/runtime')>('../../src/aws/runtime');
    const observed: Observed = (wrapped) => {
      const run = actual.observed(wrapped);
      return (event, context) => {
        observations.push(event);
        return run(event, context);
      };
    };
    return { ...actual, observed };
  });
  ({ handler } = await import('../../src/handlers/triage'));
});

afterAll(async () => {
  process.env = savedEnv;
  jest.dontMock('../../src/aws/runtime');
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  queue.sent.length = 0;
  observations.length = 0;
});

const ASK = {
  kind: 'triage-ask',
  triageId: expect.any(String),
  request: {
    origin: 'siem',
    identifier: 'mozdef-alert-42',
    email: 'jdoe@example.com',
    alert: 'duo_bypass_code_generated',
    summary: 'A Duo bypass code was generated for jdoe',
    identityConfidence: 'high',
  },
  requestedAt: expect.any(String),
};

describe('triage handler', () => {
  it('queues the question asked over HTTP with the ingest secret and answers 202 with its id', async () => {
    expect(handler.length).toBe(2);
    const response = (await handler(
      apiGatewayEvent({
        method: 'POST',
        path: '/triage',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` },
        body: JSON.stringify(QUESTION),
      }),
      lambdaContext('triage'),
    )) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(202);
    expect(queue.sent).toEqual([ASK]);
    expect(JSON.parse(response.body)).toEqual({ triageId: (queue.sent[0] as { triageId: string }).triageId });
  });

  it('refuses an HTTP request without the secret', async () => {
    const response = (await handler(
      apiGatewayEvent({ method: 'POST', path: '/triage', body: JSON.stringify(QUESTION) }),
      lambdaContext('triage'),
    )) as { statusCode: number };
    expect(response.statusCode).toBe(401);
    expect(queue.sent).toEqual([]);
  });

  it('takes a direct invocation (IAM has authenticated the caller) and returns the id', async () => {
    const result = await handler(QUESTION, lambdaContext('triage', 'lambda-request-3'));
    expect(queue.sent).toEqual([ASK]);
    expect(result).toEqual({ triageId: (queue.sent[0] as { triageId: string }).triageId });
  });

  it('rejects a direct invocation missing a field, naming it; observed once, its metrics written once', async () => {
    const lines = await emfWrittenBy(() =>
      expect(handler({ ...QUESTION, user: undefined }, lambdaContext('triage'))).rejects.toThrow(/user/),
    );
    expect(queue.sent).toEqual([]);
    expect(observations).toHaveLength(1);
    // The refused request is kept as a dead letter: the invocation's one metric.
    expect(lines.map((line) => line.DeadLettersWritten)).toEqual([1]);
  });

  it('answers 400 to an HTTP request missing a field; observed once, its metrics written once', async () => {
    let status: number | undefined;
    const lines = await emfWrittenBy(async () => {
      const response = (await handler(
        apiGatewayEvent({
          method: 'POST',
          path: '/triage',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` },
          body: JSON.stringify({ ...QUESTION, user: undefined }),
        }),
        lambdaContext('triage'),
      )) as { statusCode: number };
      status = response.statusCode;
    });
    expect(status).toBe(400);
    expect(queue.sent).toEqual([]);
    expect(observations).toHaveLength(1);
    expect(lines.map((line) => line.DeadLettersWritten)).toEqual([1]);
  });
});
