/**
 * The triage function as Lambda runs it: `POST /triage` through API Gateway, or a direct invocation
 * with the request as payload; the store on a local DynamoDB, SSM and SQS mocked at the HTTP layer.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
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

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = { ...savedEnv, ...functionEnvironment(['INGEST_SECRET_PARAM'], opened.endpoint, TABLE_NAME) };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
  queue = mockJobsQueue();
  ({ handler } = await import('../../src/handlers/triage'));
});

afterAll(async () => {
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

beforeEach(() => {
  queue.sent.length = 0;
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

  it('rejects a direct invocation missing a field, naming it', async () => {
    await expect(handler({ ...QUESTION, user: undefined }, lambdaContext('triage'))).rejects.toThrow(/user/);
    expect(queue.sent).toEqual([]);
  });
});
