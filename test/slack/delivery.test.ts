/**
 * Slack delivery under a deadline (a Lambda record's, queue/budget.ts): the real WebClient with the
 * worker's options, Slack mocked at the HTTP layer.
 */
import { WebClient } from '@slack/web-api';
import nock from 'nock';
import { SlackDelivery, SlackDeliveryError, workerClientOptions } from '../../src/slack/delivery';

const MESSAGE = { text: 'Case #42 opened', blocks: [] };

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('SlackDelivery with a deadline', () => {
  it('gives up at the deadline with a retryable error', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').delay(500).reply(200, { ok: true, ts: '1.2' });
    const deadline = AbortSignal.timeout(50);
    const delivery = new SlackDelivery(
      new WebClient(
        'xoxb-test',
        workerClientOptions(undefined, () => deadline),
      ),
      0,
      { deadline: () => deadline },
    );

    const error = await delivery.reply('C0SECOPS', '1764064800.000100', MESSAGE).catch((e: unknown) => e);

    expect(error).toEqual(new SlackDeliveryError('chat.postMessage', 'deadline_exceeded', true));
  });

  it('starts no call once the deadline has passed', async () => {
    const scope = nock('https://slack.com').post('/api/chat.update').reply(200, { ok: true });
    const delivery = new SlackDelivery(new WebClient('xoxb-test', workerClientOptions()), 0, {
      deadline: () => AbortSignal.abort(),
    });

    await expect(delivery.update('C0SECOPS', '1764064800.000100', MESSAGE)).rejects.toMatchObject({
      code: 'deadline_exceeded',
      retryable: true,
    });
    expect(scope.isDone()).toBe(false);
  });

  it("cancels WebClient's request in flight and ends its retries there, so nothing reaches Slack later", async () => {
    // A second interceptor that a retry would use.
    const scope = nock('https://slack.com')
      .post('/api/chat.postMessage')
      .delay(500)
      .reply(200, { ok: true, ts: '1.2' })
      .post('/api/chat.postMessage')
      .reply(200, { ok: true, ts: '1.3' });
    const deadline = AbortSignal.timeout(50);
    const client = new WebClient(
      'xoxb-test',
      workerClientOptions(undefined, () => deadline),
    );

    // Without the deadline ending them, WebClient would retry and post the second time.
    await expect(client.chat.postMessage({ channel: 'C0SECOPS', text: 'x' })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(scope.pendingMocks()).toEqual(['POST https://slack.com:443/api/chat.postMessage']);
  });
});
