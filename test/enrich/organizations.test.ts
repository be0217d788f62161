import nock from 'nock';
import { parseConfigFile } from '../../src/config/config-file';
import { AccountDirectory } from '../../src/enrich/directory';
import { OrganizationsAccounts } from '../../src/enrich/organizations';

const ENDPOINT = 'https://organizations.us-east-1.amazonaws.com';
const TARGET = 'AWSOrganizationsV20161128.DescribeAccount';

interface SentRequest {
  target: string | string[] | undefined;
  body: unknown;
}
let sent: SentRequest[];

function answer(status: number, body: unknown) {
  return function (this: nock.ReplyFnContext, _uri: string, requestBody: nock.Body): nock.ReplyFnResult {
    // The AWS JSON protocol's content type is not application/json, so nock hands over the raw text.
    sent.push({
      target: this.req.headers['x-amz-target'],
      body: typeof requestBody === 'string' ? JSON.parse(requestBody) : requestBody,
    });
    return [status, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.1' }];
  };
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

describe('OrganizationsAccounts', () => {
  it('asks DescribeAccount in us-east-1 and returns the account name', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(
        answer(200, {
          Account: {
            Id: '111122223333',
            Arn: 'arn:aws:organizations::999988887777:account/o-exampleorgid/111122223333',
            Email: 'payments@example.com',
            Name: 'payments-prod',
            JoinedMethod: 'CREATED',
            JoinedTimestamp: 1700000000,
            State: 'ACTIVE',
          },
        }),
      );

    expect(await new OrganizationsAccounts().describeAccount('111122223333')).toEqual({
      name: 'payments-prod',
    });
    expect(sent).toEqual([{ target: TARGET, body: { AccountId: '111122223333' } }]);
  });

  it('answers undefined for AccountNotFoundException', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(
        answer(400, {
          __type: 'AccountNotFoundException',
          Message: "We can't find an AWS account with the AccountId that you specified.",
        }),
      );

    expect(await new OrganizationsAccounts().describeAccount('123456789012')).toBeUndefined();
  });

  it('throws AccessDeniedException for the directory to handle', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(answer(400, { __type: 'AccessDeniedException', Message: 'not the management account' }));

    await expect(new OrganizationsAccounts().describeAccount('123456789012')).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
  });
});

describe('AccountDirectory on Organizations', () => {
  const config = parseConfigFile('accounts: { "444455556666": { customer: globex } }');

  it('names the account once and serves the second lookup from its cache', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(answer(200, { Account: { Id: '444455556666', Name: 'globex-prod' } }));
    const directory = new AccountDirectory({ config, organizations: new OrganizationsAccounts() });

    expect(await directory.lookup('444455556666')).toEqual({
      customer: 'globex',
      accountName: 'globex-prod',
    });
    expect(await directory.lookup('444455556666')).toEqual({
      customer: 'globex',
      accountName: 'globex-prod',
    });
    expect(sent).toEqual([{ target: TARGET, body: { AccountId: '444455556666' } }]);
  });

  it('shows the bare id when access is denied, without a second call while cached', async () => {
    nock(ENDPOINT)
      .post('/')
      .reply(answer(400, { __type: 'AccessDeniedException', Message: 'denied' }));
    const directory = new AccountDirectory({ config, organizations: new OrganizationsAccounts() });

    expect(await directory.lookup('444455556666')).toEqual({ customer: 'globex' });
    expect(await directory.lookup('444455556666')).toEqual({ customer: 'globex' });
    expect(sent).toEqual([{ target: TARGET, body: { AccountId: '444455556666' } }]);
  });
});
