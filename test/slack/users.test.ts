/**
 * The Slack user directory's names: what Slack says of a user is remembered for the TTL (a thread's
 * conversation repeats the same few people), "no such user" included; a Slack failure says nothing about
 * the user, so it is not remembered and the next message asks again (the real WebClient; Slack mocked at
 * the HTTP layer).
 */
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { workerClientOptions } from '../../src/slack/delivery';
import { SlackUserDirectory } from '../../src/slack/users';

function directory(): SlackUserDirectory {
  return new SlackUserDirectory(
    new WebClient('xoxb-test', { ...workerClientOptions(), retryConfig: { retries: 0 } }),
  );
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('SlackUserDirectory.displayName', () => {
  it('remembers a name, and that Slack knows no such user', async () => {
    nock('https://slack.com')
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'U0ALICE', name: 'alice', profile: { display_name: 'Alice' } } })
      .post('/api/users.info')
      .reply(200, { ok: false, error: 'user_not_found' });
    const users = directory();

    await expect(users.displayName('U0ALICE')).resolves.toBe('Alice');
    await expect(users.displayName('U0GONE')).resolves.toBeUndefined();
    await expect(users.displayName('U0ALICE')).resolves.toBe('Alice');
    await expect(users.displayName('U0GONE')).resolves.toBeUndefined();
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('does not remember a Slack failure: the next message asks again and gets the name', async () => {
    nock('https://slack.com')
      .post('/api/users.info')
      .reply(500, 'Internal Server Error')
      .post('/api/users.info')
      .reply(200, { ok: true, user: { id: 'U0ALICE', name: 'alice', real_name: 'Alice Liddell' } });
    const users = directory();

    await expect(users.displayName('U0ALICE')).resolves.toBeUndefined();
    await expect(users.displayName('U0ALICE')).resolves.toBe('Alice Liddell');
    expect(nock.pendingMocks()).toEqual([]);
  });
});
