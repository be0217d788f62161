/** The thehiveWebhook function as Lambda runs it: API Gateway v2 in, SSM and SQS mocked at the HTTP layer. */
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

const WEBHOOK_SECRET = SECRETS[`/hivewire/${STAGE}/thehive-webhook-secret`]!;
const CASE_UPDATE = {
  _id: '~900',
  _createdAt: 1795582800000,
  _createdBy: 'analyst@example.com',
  action: 'update',
  objectType: 'Case',
  objectId: '~123',
  rootId: '~123',
  requestId: 'req-1',
  details: { status: 'InProgress' },
  object: {
    _id: '~123',
    number: 42,
    title: 'Impact:S3/MaliciousIPCaller',
    status: 'InProgress',
    stage: 'InProgress',
  },
};

const savedEnv = process.env;
let opened: OpenedStore;
let ssm: ReturnType<typeof mockSsm>;
let queue: ReturnType<typeof mockJobsQueue>;
let handler: typeof import('../../src/handlers/thehive-webhook').handler;

function delivery(authorization: string | undefined, body: string) {
  return apiGatewayEvent({
    method: 'POST',
    path: '/thehive/webhook',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
}

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['THEHIVE_WEBHOOK_SECRET_PARAM'], opened.endpoint, TABLE_NAME),
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  ssm = mockSsm();
  queue = mockJobsQueue();
  ({ handler } = await import('../../src/handlers/thehive-webhook'));
});

afterAll(async () => {
  process.env = savedEnv;
  await opened?.close();
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('thehiveWebhook handler', () => {
  it('queues a case change from an authenticated delivery and answers 202', async () => {
    expect(handler.length).toBe(2);
    const response = await handler(
      delivery(`Bearer ${WEBHOOK_SECRET}`, JSON.stringify(CASE_UPDATE)),
      lambdaContext('thehiveWebhook'),
    );
    expect(response).toEqual({
      statusCode: 202,
      headers: { 'content-type': 'application/json' },
      body: '{"queued":true}',
    });
    expect(queue.sent).toEqual([
      {
        kind: 'case-changed',
        change: {
          kind: 'case',
          action: 'update',
          theCase: CASE_UPDATE.object,
          actor: 'analyst@example.com',
          notificationId: '~900',
        },
        receivedAt: expect.any(String),
      },
    ]);
  });

  it('refuses a delivery without the secret before reading it, reading SSM only once in all', async () => {
    for (const authorization of [undefined, 'Bearer not-the-secret']) {
      const response = await handler(
        delivery(authorization, JSON.stringify(CASE_UPDATE)),
        lambdaContext('thehiveWebhook'),
      );
      expect(response.statusCode).toBe(401);
    }
    expect(queue.sent).toHaveLength(1);
    expect(ssm.reads).toEqual({ [`/hivewire/${STAGE}/thehive-webhook-secret`]: 1 });
  });
});
