/**
 * The ingestHttp function as Lambda runs it (`POST /ingest` for SIEMs, SNS, API destinations): API
 * Gateway v2 in, the store on a local DynamoDB, SSM and SQS mocked at the HTTP layer.
 */
import nock from 'nock';
import { startEmbeddedStore, type OpenedStore } from '../../src/store/embedded';
import {
  apiGatewayEvent,
  fixture,
  functionEnvironment,
  lambdaContext,
  mockJobsQueue,
  mockSsm,
  SECRETS,
  STAGE,
  TABLE_NAME,
} from './lambda-events';

const INGEST_SECRET = SECRETS[`/hivewire/${STAGE}/ingest-secret`]!;
const MOZDEF_ALERT = fixture('siem/mozdef-alert-ssh-sensitive-host.json');
const SNS_DELIVERY = fixture('derived/sns-http-notification-guardduty-event.json');

const savedEnv = process.env;
let opened: OpenedStore;
let ssm: ReturnType<typeof mockSsm>;
let queue: ReturnType<typeof mockJobsQueue>;
let handler: typeof import('../../src/handlers/ingest-http').handler;

function post(headers: Record<string, string>, body: string, isBase64Encoded = false) {
  return apiGatewayEvent({ method: 'POST', path: '/ingest', headers, body, isBase64Encoded });
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['INGEST_SECRET_PARAM'], opened.endpoint, TABLE_NAME),
    INGEST_SNS_TOPIC_ARNS: '',
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  ssm = mockSsm();
  queue = mockJobsQueue();
  ({ handler } = await import('../../src/handlers/ingest-http'));
});

afterAll(async () => {
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('ingestHttp handler', () => {
  it('accepts a SIEM alert with the ingest secret: 202 with its fingerprint, an ingest job queued', async () => {
    expect(handler.length).toBe(2);
    const response = await handler(
      post(
        { 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` },
        Buffer.from(JSON.stringify(MOZDEF_ALERT)).toString('base64'),
        true,
      ),
      lambdaContext('ingestHttp'),
    );
    expect(response.statusCode).toBe(202);
    expect(JSON.parse(response.body!)).toEqual({
      fingerprints: ['mzd-18f4b620f64e29772deddecda62c0c55'],
      skipped: [],
      rejected: [],
    });
    expect(queue.sent).toEqual([
      {
        kind: 'ingest',
        finding: expect.objectContaining({
          fingerprint: 'mzd-18f4b620f64e29772deddecda62c0c55',
          source: 'siem',
        }),
        receivedAt: expect.any(String),
      },
    ]);
  });

  it('refuses a wrong secret with a bare 401 and reads the secret from SSM once in all', async () => {
    const response = await handler(
      post(
        { 'content-type': 'application/json', authorization: 'Bearer guess' },
        JSON.stringify(MOZDEF_ALERT),
      ),
      lambdaContext('ingestHttp', 'lambda-request-2'),
    );
    expect(response).toEqual({
      statusCode: 401,
      headers: { 'content-type': 'application/json' },
      body: '{"error":"unauthorized"}',
    });
    expect(queue.sent).toHaveLength(1);
    expect(ssm.reads).toEqual({ [`/hivewire/${STAGE}/ingest-secret`]: 1 });
  });

  it('refuses SNS deliveries when no topic is configured, without fetching any certificate', async () => {
    const response = await handler(
      post(
        { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification' },
        JSON.stringify(SNS_DELIVERY),
      ),
      lambdaContext('ingestHttp', 'lambda-request-3'),
    );
    expect(response.statusCode).toBe(401);
    expect(queue.sent).toHaveLength(1);
  });

  it('keeps a body that is not JSON as a dead letter and answers 400', async () => {
    const response = await handler(
      post({ 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` }, 'alert: yes'),
      lambdaContext('ingestHttp', 'lambda-request-4'),
    );
    expect(response.statusCode).toBe(400);
    const letters = await opened.store.listDeadLetters(10);
    expect(letters.map(({ kind, payload }) => ({ kind, payload }))).toEqual([
      { kind: 'rejected-ingest', payload: 'alert: yes' },
    ]);
  });

  it('keeps a body nested 5,000 levels deep or not UTF-8 as a dead letter and answers 400 naming why', async () => {
    const auth = { 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` };
    const deep = `{"detail":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const notUtf8 = Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]).toString('base64');
    const nested = await handler(post(auth, deep), lambdaContext('ingestHttp', 'lambda-request-5'));
    const binary = await handler(post(auth, notUtf8, true), lambdaContext('ingestHttp', 'lambda-request-6'));
    expect([nested, binary].map(({ statusCode, body }) => ({ statusCode, body }))).toEqual([
      { statusCode: 400, body: '{"error":"body: nested deeper than 512 levels"}' },
      { statusCode: 400, body: '{"error":"body: not UTF-8"}' },
    ]);
    const letters = await opened.store.listDeadLetters(2);
    // Both may carry the same millisecond, which leaves their order open.
    expect(letters.map(({ kind, error, payload }) => ({ kind, error, payload }))).toEqual(
      expect.arrayContaining([
        { kind: 'rejected-ingest', error: 'body: not UTF-8', payload: notUtf8 },
        { kind: 'rejected-ingest', error: 'body: nested deeper than 512 levels', payload: deep },
      ]),
    );
  });
});
