/**
 * The SQS adapter: what SendMessage puts on the wire (asserted at the HTTP layer with nock), and how a
 * batch from the jobs queue is run — one failing or unreadable record never redoes the batch.
 */
import { createHash } from 'node:crypto';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import nock from 'nock';
import type { Job } from '../../src/queue/jobs';
import { SqsQueue } from '../../src/queue/sqs';
import { parseSqsJob, runSqsBatch } from '../../src/queue/sqs-batch';
import { InvalidJobError } from '../../src/queue/wire';
import type { DeadLetter } from '../../src/store/store';

const QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/hivewire-test-jobs';
const createCase: Job = {
  kind: 'create-case',
  fingerprint: 'gd-4f1c2a9e7b3d5c60',
  userId: 'U0ALICE',
  requestedAt: '2026-11-25T10:00:00.000Z',
};

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

function sqsClient(): SQSClient {
  return new SQSClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}

/** An SQS batch as the event source mapping delivers it. */
function sqsEvent(records: { messageId: string; body: string; receiveCount?: number }[]): SQSEvent {
  return {
    Records: records.map(({ messageId, body, receiveCount }) => ({
      messageId,
      receiptHandle: `receipt-${messageId}`,
      body,
      attributes: {
        ApproximateReceiveCount: String(receiveCount ?? 1),
        SentTimestamp: '1795582800000',
        SenderId: 'AIDAEXAMPLE',
        ApproximateFirstReceiveTimestamp: '1795582800001',
      },
      messageAttributes: {},
      md5OfBody: md5(body),
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:111122223333:hivewire-test-jobs',
      awsRegion: 'eu-west-1',
    })),
  };
}

describe('SqsQueue', () => {
  beforeEach(() => {
    nock.disableNetConnect();
  });

  afterEach(() => {
    nock.cleanAll();
  });

  it('sends the job as a JSON body with its kind as a message attribute (JSON protocol SendMessage)', async () => {
    let request: { headers: Record<string, unknown>; body: unknown } | undefined;
    const scope = nock('https://sqs.eu-west-1.amazonaws.com')
      .post('/')
      .reply(function (_uri, body) {
        // nock hands over a body it does not know as JSON (application/x-amz-json-1.0) as text.
        const sent = JSON.parse(body as string) as { MessageBody: string };
        request = { headers: this.req.headers, body: sent };
        return [
          200,
          { MessageId: 'message-1', MD5OfMessageBody: md5(sent.MessageBody) },
          { 'content-type': 'application/x-amz-json-1.0' },
        ];
      });
    await new SqsQueue({ client: sqsClient(), queueUrl: QUEUE_URL }).enqueue(createCase);
    expect(scope.isDone()).toBe(true);
    expect(request?.headers['x-amz-target']).toBe('AmazonSQS.SendMessage');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.body).toEqual({
      QueueUrl: QUEUE_URL,
      MessageBody: JSON.stringify(createCase),
      MessageAttributes: { kind: { DataType: 'String', StringValue: 'create-case' } },
    });
  });

  it('holds a job back with DelaySeconds until it is due, at most the 15 minutes SQS allows', async () => {
    const delays: unknown[] = [];
    nock('https://sqs.eu-west-1.amazonaws.com')
      .persist()
      .post('/')
      .reply((_uri, body) => {
        const sent = JSON.parse(body as string) as { MessageBody: string; DelaySeconds?: number };
        delays.push(sent.DelaySeconds);
        return [
          200,
          { MessageId: 'message-1', MD5OfMessageBody: md5(sent.MessageBody) },
          { 'content-type': 'application/x-amz-json-1.0' },
        ];
      });
    const queue = new SqsQueue({ client: sqsClient(), queueUrl: QUEUE_URL });
    const job: Job = { kind: 'refresh-digest', fingerprint: 'dg-1', dueAt: '2026-11-25T10:00:10.000Z' };
    await queue.enqueueAt(job, new Date(Date.now() + 9_500));
    await queue.enqueueAt(job, new Date(Date.now() + 2 * 3600_000));
    await queue.enqueueAt(job, new Date(Date.now() - 1_000));
    expect(delays).toEqual([10, 900, undefined]);
  });

  it('refuses an invalid job with InvalidJobError and sends nothing', async () => {
    const scope = nock('https://sqs.eu-west-1.amazonaws.com').post('/').reply(500);
    const invalid = { ...createCase, userId: '' } as Job;
    await expect(new SqsQueue({ client: sqsClient(), queueUrl: QUEUE_URL }).enqueue(invalid)).rejects.toEqual(
      new InvalidJobError('userId: Too small: expected string to have >=1 characters'),
    );
    expect(scope.isDone()).toBe(false);
  });

  it('rejects with the SQS error when SQS refuses the message', async () => {
    nock('https://sqs.eu-west-1.amazonaws.com')
      .post('/')
      .reply(
        400,
        { __type: 'com.amazonaws.sqs#QueueDoesNotExist', message: 'The specified queue does not exist.' },
        { 'content-type': 'application/x-amz-json-1.0' },
      );
    await expect(
      new SqsQueue({ client: sqsClient(), queueUrl: QUEUE_URL }).enqueue(createCase),
    ).rejects.toMatchObject({ name: 'QueueDoesNotExist', message: 'The specified queue does not exist.' });
  });
});

describe('parseSqsJob', () => {
  it('reads each record: the job and its receive count, or why the body is not a job', () => {
    const event = sqsEvent([
      { messageId: 'm-1', body: JSON.stringify(createCase), receiveCount: 3 },
      { messageId: 'm-2', body: 'not json' },
      { messageId: 'm-3', body: JSON.stringify({ kind: 'explode' }) },
    ]);
    expect(event.Records.map(parseSqsJob)).toEqual([
      { messageId: 'm-1', ok: true, job: createCase, attempt: 3 },
      { messageId: 'm-2', ok: false, error: 'body: not JSON', payload: 'not json' },
      {
        messageId: 'm-3',
        ok: false,
        error: expect.stringMatching(/^kind: /),
        payload: { kind: 'explode' },
      },
    ]);
  });
});

describe('runSqsBatch', () => {
  function deps(putDeadLetter: (letter: Omit<DeadLetter, 'id' | 'at'>) => Promise<DeadLetter>) {
    return {
      logger: { warn: jest.fn(), error: jest.fn() },
      store: { putDeadLetter: jest.fn(putDeadLetter) },
    };
  }
  const kept = async (letter: Omit<DeadLetter, 'id' | 'at'>): Promise<DeadLetter> => ({
    ...letter,
    id: 'dl-1',
    at: '2026-11-25T10:00:00.000Z',
  });

  it('reports only the records whose job failed, and keeps unreadable ones as dead letters without retrying them', async () => {
    const reconcile: Job = { kind: 'reconcile', requestedAt: '2026-11-25T10:00:00.000Z' };
    const runs: [string, number][] = [];
    const batchDeps = deps(kept);
    const response = await runSqsBatch(
      sqsEvent([
        { messageId: 'ok', body: JSON.stringify(createCase), receiveCount: 2 },
        { messageId: 'fails', body: JSON.stringify(reconcile) },
        { messageId: 'garbage', body: '{"kind":' },
        { messageId: 'invalid', body: JSON.stringify({ ...createCase, fingerprint: 7 }) },
      ]),
      async (job, attempt) => {
        runs.push([job.kind, attempt]);
        if (job.kind === 'reconcile') throw new Error('TheHive answered 503');
      },
      batchDeps,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'fails' }] });
    expect(runs).toEqual([
      ['create-case', 2],
      ['reconcile', 1],
    ]);
    expect(batchDeps.store.putDeadLetter.mock.calls).toEqual([
      [{ kind: 'rejected-job', error: 'body: not JSON', payload: '{"kind":' }],
      [
        {
          kind: 'rejected-job',
          error: 'fingerprint: Invalid input: expected string, received number',
          payload: { ...createCase, fingerprint: 7 },
        },
      ],
    ]);
    expect(batchDeps.logger.warn).toHaveBeenCalledWith('job failed: SQS will deliver it again', {
      messageId: 'fails',
      job: 'reconcile',
      attempt: 1,
      error: 'TheHive answered 503',
    });
  });

  it('has SQS deliver an unreadable record again when even its dead letter cannot be kept', async () => {
    const batchDeps = deps(async () => {
      throw new Error('ProvisionedThroughputExceededException');
    });
    const response = await runSqsBatch(
      sqsEvent([{ messageId: 'garbage', body: 'nope' }]),
      async () => undefined,
      batchDeps,
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: 'garbage' }] });
    expect(batchDeps.logger.error).toHaveBeenCalledWith('rejected job message could not be kept', {
      messageId: 'garbage',
      error: 'ProvisionedThroughputExceededException',
    });
  });

  it('runs the records one after another, those closest to the dead-letter queue first', async () => {
    const runs: number[] = [];
    let running = 0;
    const response = await runSqsBatch(
      sqsEvent([
        { messageId: 'first-try', body: JSON.stringify(createCase), receiveCount: 1 },
        { messageId: 'last-try', body: JSON.stringify(createCase), receiveCount: 5 },
        { messageId: 'third-try', body: JSON.stringify(createCase), receiveCount: 3 },
      ]),
      async (_job, attempt) => {
        running += 1;
        expect(running).toBe(1);
        await new Promise((resolve) => setImmediate(resolve));
        runs.push(attempt);
        running -= 1;
      },
      deps(kept),
    );
    expect(response).toEqual({ batchItemFailures: [] });
    expect(runs).toEqual([5, 3, 1]);
  });

  it('answers no failures for an empty batch', async () => {
    expect(await runSqsBatch(sqsEvent([]), async () => undefined, deps(kept))).toEqual({
      batchItemFailures: [],
    });
  });
});
