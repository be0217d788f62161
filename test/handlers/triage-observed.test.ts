/**
 * The triage function observes each invocation once, whichever kind it is (`POST /triage` through API
 * Gateway, or a direct invocation): traced once, its metrics written once as EMF when it ends. The AWS
 * root's `observed` is the real one, counted on its way in.
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
/** A question without its `user`: refused, and kept as a dead letter (one DeadLettersWritten to write). */
const INCOMPLETE = {
  identifier: 'mozdef-alert-42',
  alert: 'duo_bypass_code_generated',
  summary: 'A Duo bypass code was generated for jdoe',
  identityConfidence: 'high',
};

const savedEnv = process.env;
let opened: OpenedStore;
let handler: typeof import('../../src/handlers/triage').handler;
/** One entry per run of `observed`'s wrapper. */
const observations: unknown[] = [];

beforeAll(async () => {
  opened = await startEmbeddedStore({ inMemory: true, tableName: TABLE_NAME });
  process.env = {
    ...savedEnv,
    ...functionEnvironment(['INGEST_SECRET_PARAM'], opened.endpoint, TABLE_NAME),
    // The suite's setup silences EMF (test/helpers/env.ts); here it is what is read.
    POWERTOOLS_METRICS_DISABLED: 'false',
    POWERTOOLS_SERVICE_NAME: 'hivewire',
  };
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith('127.0.0.1'));
  mockSsm();
  mockJobsQueue();
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
  observations.length = 0;
});

describe('triage handler', () => {
  it('observes an HTTP invocation once and writes its metrics once', async () => {
    let status: number | undefined;
    const lines = await emfWrittenBy(async () => {
      const response = (await handler(
        apiGatewayEvent({
          method: 'POST',
          path: '/triage',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_SECRET}` },
          body: JSON.stringify(INCOMPLETE),
        }),
        lambdaContext('triage'),
      )) as { statusCode: number };
      status = response.statusCode;
    });

    expect(status).toBe(400);
    expect(observations).toHaveLength(1);
    expect(lines.map((line) => line.DeadLettersWritten)).toEqual([1]);
  });

  it('observes a direct invocation once and writes its metrics once', async () => {
    const lines = await emfWrittenBy(() =>
      expect(handler(INCOMPLETE, lambdaContext('triage', 'lambda-request-2'))).rejects.toThrow(/user/),
    );

    expect(observations).toHaveLength(1);
    expect(lines.map((line) => line.DeadLettersWritten)).toEqual([1]);
  });
});
