import { createHash } from 'node:crypto';
import nock from 'nock';
import { LambdaInvoker, regionOfFunction } from '../../../clients/aws-actions/lambda';
import { AutomationStarter } from '../../../clients/aws-actions/ssm';
import { QueueMessageSender, regionOfQueue } from '../../../clients/aws-actions/sqs';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const FUNCTION = 'arn:aws:lambda:eu-west-1:111122223333:function:isolate-instance';

describe('LambdaInvoker', () => {
  it('invokes the function synchronously in the region of its ARN with the payload as JSON', async () => {
    let body: unknown;
    nock('https://lambda.eu-west-1.amazonaws.com')
      .post(`/2015-03-31/functions/${encodeURIComponent(FUNCTION)}/invocations`, (b) => {
        body = b;
        return true;
      })
      .matchHeader('x-amz-invocation-type', 'RequestResponse')
      .reply(200, { isolated: 'i-0abc' }, { 'X-Amz-Executed-Version': '$LATEST' });

    await expect(
      new LambdaInvoker().invoke(FUNCTION, { action: 'isolate', instance: 'i-0abc' }),
    ).resolves.toEqual({
      statusCode: 200,
      payload: '{"isolated":"i-0abc"}',
      executedVersion: '$LATEST',
    });
    expect(body).toEqual({ action: 'isolate', instance: 'i-0abc' });
  });

  it("reports the function's own error message when it fails", async () => {
    nock('https://lambda.eu-west-1.amazonaws.com')
      .post(/invocations$/)
      .reply(
        200,
        { errorType: 'AccessDenied', errorMessage: 'ec2:ModifyInstanceAttribute denied' },
        {
          'X-Amz-Function-Error': 'Unhandled',
        },
      );
    await expect(new LambdaInvoker().invoke(FUNCTION, {})).rejects.toMatchObject({
      name: 'AwsActionError',
      code: 'function-error',
      message: `Lambda ${FUNCTION} failed: AccessDenied: ec2:ModifyInstanceAttribute denied`,
    });
  });

  it("keeps AWS's error name when the invocation is refused", async () => {
    nock('https://lambda.eu-west-1.amazonaws.com')
      .post(/invocations$/)
      .reply(
        404,
        { Type: 'User', message: 'Function not found' },
        { 'x-amzn-errortype': 'ResourceNotFoundException' },
      );
    await expect(new LambdaInvoker().invoke(FUNCTION, {})).rejects.toMatchObject({
      code: 'aws-error',
      awsError: 'ResourceNotFoundException',
    });
  });

  it('reads the region from a function ARN', () => {
    expect(regionOfFunction(FUNCTION)).toBe('eu-west-1');
    expect(regionOfFunction('isolate-instance')).toBeUndefined();
  });
});

describe('AutomationStarter', () => {
  it('starts the runbook in the given region and links its execution', async () => {
    let body: unknown;
    nock('https://ssm.eu-central-1.amazonaws.com')
      .post('/', (b) => {
        body = typeof b === 'string' ? JSON.parse(b) : b;
        return true;
      })
      .matchHeader('x-amz-target', 'AmazonSSM.StartAutomationExecution')
      .reply(200, { AutomationExecutionId: 'exec-123' });

    await expect(
      new AutomationStarter().start('Hivewire-DisableAccessKey', { Finding: ['{"id":"x"}'] }, 'eu-central-1'),
    ).resolves.toEqual({
      executionId: 'exec-123',
      region: 'eu-central-1',
      consoleUrl:
        'https://eu-central-1.console.aws.amazon.com/systems-manager/automation/execution/exec-123?region=eu-central-1',
    });
    expect(body).toEqual({
      DocumentName: 'Hivewire-DisableAccessKey',
      Parameters: { Finding: ['{"id":"x"}'] },
    });
  });

  it('refuses a document name SSM would not accept, without calling AWS', async () => {
    await expect(new AutomationStarter().start('bad name!', {})).rejects.toMatchObject({
      code: 'bad-target',
    });
  });
});

describe('QueueMessageSender', () => {
  it('sends the body as JSON to the queue in the region of its URL', async () => {
    const queueUrl = 'https://sqs.eu-west-1.amazonaws.com/111122223333/siem-triage';
    let body: { QueueUrl?: string; MessageBody?: string } = {};
    nock('https://sqs.eu-west-1.amazonaws.com')
      .post('/', (b) => {
        body = typeof b === 'string' ? JSON.parse(b) : b;
        return true;
      })
      // The SDK checks the MD5 of the body it sent against SQS's answer.
      .reply(200, () => ({
        MessageId: 'm-1',
        MD5OfMessageBody: createHash('md5')
          .update(body.MessageBody ?? '')
          .digest('hex'),
      }));

    await expect(
      new QueueMessageSender().send(queueUrl, { identifier: 'a1', response: 'yes' }),
    ).resolves.toBe('m-1');
    expect(body.QueueUrl).toBe(queueUrl);
    expect(JSON.parse(body.MessageBody ?? '')).toEqual({ identifier: 'a1', response: 'yes' });
    expect(regionOfQueue(queueUrl)).toBe('eu-west-1');
  });
});
