import nock from 'nock';
import {
  NOTE_MAX_LENGTH,
  regionOfProductArn,
  SecurityHubClient,
  SecurityHubUpdateError,
  securityHubNote,
} from '../../../clients/securityhub/client';

const GUARDDUTY_EU = {
  id: 'arn:aws:guardduty:eu-west-1:111122223333:detector/12abc34d567e8fa901bc2d34e56789f0/finding/90b82273685661b9318f078d0851fe9a',
  productArn: 'arn:aws:securityhub:eu-west-1::product/aws/guardduty',
};
const INSPECTOR_US = {
  id: 'arn:aws:inspector2:us-east-1:111122223333:finding/0a1b2c3d4e5f',
  productArn: 'arn:aws:securityhub:us-east-1::product/aws/inspector',
};

interface SentRequest {
  host: string;
  method: string;
  path: string;
  contentType?: string;
  body: unknown;
}
let sent: SentRequest[];

function answer(host: string, status: number, body: unknown) {
  return function (this: nock.ReplyFnContext, uri: string, requestBody: nock.Body): nock.ReplyFnResult {
    sent.push({
      host,
      method: this.req.method ?? '',
      path: uri,
      contentType: this.req.headers['content-type'],
      body: requestBody,
    });
    return [status, JSON.stringify(body), { 'Content-Type': 'application/json' }];
  };
}

function processed(ref: { id: string; productArn: string }) {
  return { ProcessedFindings: [{ Id: ref.id, ProductArn: ref.productArn }], UnprocessedFindings: [] };
}

function client(): SecurityHubClient {
  return new SecurityHubClient({ defaultRegion: 'us-east-1', sdk: { maxAttempts: 1 } });
}

beforeAll(() => nock.disableNetConnect());
beforeEach(() => {
  sent = [];
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

test('markNotified sends BatchUpdateFindings to the finding’s own region with a note signed hivewire', async () => {
  const host = 'https://securityhub.eu-west-1.amazonaws.com';
  nock(host)
    .patch('/findings/batchupdate')
    .reply(answer(host, 200, processed(GUARDDUTY_EU)));

  await client().markNotified(GUARDDUTY_EU, 'TheHive case #42: https://thehive.example/cases/~8192/details');

  expect(sent).toEqual([
    {
      host,
      method: 'PATCH',
      path: '/findings/batchupdate',
      contentType: 'application/json',
      body: {
        FindingIdentifiers: [{ Id: GUARDDUTY_EU.id, ProductArn: GUARDDUTY_EU.productArn }],
        Workflow: { Status: 'NOTIFIED' },
        Note: {
          Text: 'TheHive case #42: https://thehive.example/cases/~8192/details',
          UpdatedBy: 'hivewire',
        },
      },
    },
  ]);
});

test('setWorkflow sends the given status; findings of two regions go to two endpoints', async () => {
  const eu = 'https://securityhub.eu-west-1.amazonaws.com';
  const us = 'https://securityhub.us-east-1.amazonaws.com';
  nock(eu)
    .patch('/findings/batchupdate')
    .reply(answer(eu, 200, processed(GUARDDUTY_EU)));
  nock(us)
    .patch('/findings/batchupdate')
    .reply(answer(us, 200, processed(INSPECTOR_US)));
  const securityHub = client();

  await securityHub.setWorkflow(GUARDDUTY_EU, 'SUPPRESSED', 'TheHive case #42 closed as FalsePositive');
  await securityHub.setWorkflow(INSPECTOR_US, 'RESOLVED', 'TheHive case #43 closed as TruePositive');

  expect(sent.map(({ host, body }) => ({ host, body }))).toEqual([
    {
      host: eu,
      body: {
        FindingIdentifiers: [{ Id: GUARDDUTY_EU.id, ProductArn: GUARDDUTY_EU.productArn }],
        Workflow: { Status: 'SUPPRESSED' },
        Note: { Text: 'TheHive case #42 closed as FalsePositive', UpdatedBy: 'hivewire' },
      },
    },
    {
      host: us,
      body: {
        FindingIdentifiers: [{ Id: INSPECTOR_US.id, ProductArn: INSPECTOR_US.productArn }],
        Workflow: { Status: 'RESOLVED' },
        Note: { Text: 'TheHive case #43 closed as TruePositive', UpdatedBy: 'hivewire' },
      },
    },
  ]);
});

test('a finding whose ProductArn names no region is updated in the default region', async () => {
  const host = 'https://securityhub.ap-southeast-2.amazonaws.com';
  const ref = { id: 'custom-1', productArn: 'not-an-arn' };
  nock(host)
    .patch('/findings/batchupdate')
    .reply(answer(host, 200, processed(ref)));

  await new SecurityHubClient({ defaultRegion: 'ap-southeast-2', sdk: { maxAttempts: 1 } }).setWorkflow(
    ref,
    'NEW',
    'reopened',
  );

  expect(sent.map((request) => request.host)).toEqual([host]);
});

test('a 200 with UnprocessedFindings is an error carrying ErrorCode and ErrorMessage', async () => {
  const host = 'https://securityhub.eu-west-1.amazonaws.com';
  nock(host)
    .patch('/findings/batchupdate')
    .reply(
      answer(host, 200, {
        ProcessedFindings: [],
        UnprocessedFindings: [
          {
            FindingIdentifier: { Id: GUARDDUTY_EU.id, ProductArn: GUARDDUTY_EU.productArn },
            ErrorCode: 'FindingNotFound',
            ErrorMessage: 'Finding Not Found',
          },
        ],
      }),
    );

  const error = await client()
    .markNotified(GUARDDUTY_EU, 'TheHive case #42')
    .catch((e: unknown) => e);

  expect(error).toBeInstanceOf(SecurityHubUpdateError);
  expect(error).toMatchObject({
    name: 'SecurityHubUpdateError',
    message: `Security Hub did not update finding ${GUARDDUTY_EU.id}: FindingNotFound (Finding Not Found)`,
    findingId: GUARDDUTY_EU.id,
    productArn: GUARDDUTY_EU.productArn,
    errorCode: 'FindingNotFound',
    errorMessage: 'Finding Not Found',
  });
});

test('a long note is cut to 512 characters in the request', async () => {
  const host = 'https://securityhub.eu-west-1.amazonaws.com';
  nock(host)
    .patch('/findings/batchupdate')
    .reply(answer(host, 200, processed(GUARDDUTY_EU)));

  await client().markNotified(GUARDDUTY_EU, `TheHive case #42 closed as TruePositive: ${'x'.repeat(1000)}`);

  const text = (sent[0]?.body as { Note: { Text: string } }).Note.Text;
  expect(text).toBe(`TheHive case #42 closed as TruePositive: ${'x'.repeat(470)}…`);
  expect(text).toHaveLength(512);
});

describe('securityHubNote', () => {
  test('keeps a note within the limit as it is, trimmed', () => {
    expect(securityHubNote('  TheHive case #42  ')).toBe('TheHive case #42');
    expect(securityHubNote('a'.repeat(512))).toBe('a'.repeat(512));
  });

  test('cuts a longer note to 511 characters and an ellipsis', () => {
    expect(securityHubNote('a'.repeat(513))).toBe(`${'a'.repeat(511)}…`);
  });

  test('never splits a character made of two UTF-16 units', () => {
    // 510 units, then a 2-unit emoji that does not fit before the ellipsis.
    const note = securityHubNote(`${'a'.repeat(510)}🔥🔥`);
    expect(note).toBe(`${'a'.repeat(510)}…`);
    expect(Buffer.from(note, 'utf8').toString('utf8')).toBe(note);
    expect(note.length).toBeLessThanOrEqual(NOTE_MAX_LENGTH);
  });

  test('a blank note becomes a visible one', () => {
    expect(securityHubNote(' \n\t ')).toBe('Updated by Hivewire');
  });
});

describe('regionOfProductArn', () => {
  test('reads the region of AWS and partner product ARNs, in any partition', () => {
    expect(regionOfProductArn('arn:aws:securityhub:eu-west-1::product/aws/guardduty')).toBe('eu-west-1');
    expect(
      regionOfProductArn('arn:aws:securityhub:us-east-2:111122223333:product/111122223333/default'),
    ).toBe('us-east-2');
    expect(regionOfProductArn('arn:aws-us-gov:securityhub:us-gov-west-1::product/aws/inspector')).toBe(
      'us-gov-west-1',
    );
  });

  test('is undefined for anything else', () => {
    expect(regionOfProductArn('arn:aws:guardduty:eu-west-1:111122223333:detector/x')).toBeUndefined();
    expect(regionOfProductArn('')).toBeUndefined();
  });
});
