/**
 * The Webex client at the HTTP layer (nock): bot-token auth, a 429 retried after its Retry-After and
 * only so often, a lost answer to POST /messages never retried (it would post twice), an answer not
 * shaped as Webex documents it refused with the field named, and the token in no error.
 */
import nock from 'nock';
import '../helpers/restore-nock';
import { WebexClient, WebexError } from '../../clients/webex/client';

const API = 'https://webexapis.com';
const TOKEN = 'bot-token-NEVER-SHOWN';
const MESSAGE = {
  id: 'Y2lzY29zcGFyazovL3VzL01FU1NBR0UvMQ',
  roomId: 'Y2lzY29zcGFyazovL3VzL1JPT00vMQ',
  roomType: 'group',
  personId: 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS8x',
  markdown: 'x',
  created: '2026-12-04T10:00:00.000Z',
};

function client(sleeps: number[] = []) {
  return new WebexClient({
    token: TOKEN,
    retries: 2,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

async function failure(promise: Promise<unknown>): Promise<WebexError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(WebexError);
  expect(String((error as Error).message)).not.toContain(TOKEN);
  return error as WebexError;
}

describe('WebexClient', () => {
  it('sends the bot token and waits what a 429 asks before trying again', async () => {
    const sleeps: number[] = [];
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/v1/messages/abc')
      .reply(429, { message: 'Too Many Requests', trackingId: 'T1' }, { 'Retry-After': '7' })
      .get('/v1/messages/abc')
      .reply(200, MESSAGE);
    expect(await client(sleeps).getMessage('abc')).toEqual(MESSAGE);
    expect(sleeps).toEqual([7000]);
    scope.done();
  });

  it('gives up after its retries, with Webex message and tracking id', async () => {
    nock(API)
      .get('/v1/people/me')
      .times(3)
      .reply(
        503,
        { message: 'Service Unavailable', errors: [{ description: 'down' }], trackingId: 'T2' },
        { 'Retry-After': '1' },
      );
    const error = await failure(client().me());
    expect(error).toMatchObject({ status: 503, trackingId: 'T2', attempts: 3 });
    expect(error.message).toBe('Webex answered 503: Service Unavailable');
  });

  it('does not wait longer than it may: a Retry-After over 30 s ends the retries', async () => {
    const sleeps: number[] = [];
    nock(API).get('/v1/people/me').reply(429, { message: 'slow down' }, { 'Retry-After': '3600' });
    expect((await failure(client(sleeps).me())).status).toBe(429);
    expect(sleeps).toEqual([]);
  });

  it('never retries POST /messages after a 502 (Webex may have posted it), but does retry a read', async () => {
    nock(API).post('/v1/messages').reply(502, { message: 'Bad Gateway' });
    expect((await failure(client().createMessage({ roomId: 'r', markdown: 'x' }))).attempts).toBe(1);
    const scope = nock(API)
      .get('/v1/rooms/r')
      .reply(502, { message: 'Bad Gateway' })
      .get('/v1/rooms/r')
      .reply(200, { id: 'r', type: 'group' });
    expect(await client().getRoom('r')).toEqual({ id: 'r', type: 'group' });
    scope.done();
  });

  it('refuses an answer not shaped as Webex documents it, naming the field', async () => {
    nock(API)
      .get('/v1/attachment/actions/a1')
      .reply(200, { id: 'a1', type: 'submit', messageId: 'm', personId: 'p', roomId: 'r', created: 'now' });
    const error = await failure(client().getAttachmentAction('a1'));
    expect(error.message).toMatch(/unexpected body: inputs: /);
  });

  it('reads a card submission, people by email, and webhooks from their lists', async () => {
    nock(API)
      .get('/v1/attachment/actions/a1')
      .reply(200, {
        id: 'a1',
        type: 'submit',
        messageId: 'm',
        inputs: { action: 'hivewire.ignore', fingerprint: 'f' },
        personId: 'p',
        roomId: 'r',
        created: 'now',
      })
      .get('/v1/people')
      .query({ email: 'alice@example.com' })
      .reply(200, { items: [{ id: 'p', emails: ['alice@example.com'], displayName: 'Alice' }] })
      .get('/v1/webhooks')
      .query({ max: '100' })
      .reply(200, { items: [] });
    expect((await client().getAttachmentAction('a1')).inputs).toEqual({
      action: 'hivewire.ignore',
      fingerprint: 'f',
    });
    expect((await client().findPeopleByEmail('alice@example.com'))[0]?.displayName).toBe('Alice');
    expect(await client().listWebhooks()).toEqual([]);
  });
});
