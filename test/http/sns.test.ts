import nock from 'nock';
import {
  isSnsCertificateUrl,
  isSnsSubscribeUrl,
  SnsConfirmationError,
  SnsVerifier,
  snsStringToSign,
  type SnsMessage,
} from '../../src/http/sns';
import {
  CERT_HOST,
  CERT_PATH,
  CERT_URL,
  notification,
  sign,
  SUBSCRIBE_PATH,
  subscriptionConfirmation,
  TEST_CERTIFICATE,
  TEST_NOW,
  TOPIC_ARN,
} from './signed-sns';

/** A verifier whose certificate fetcher serves the test certificate and records each URL asked. */
function offlineVerifier(options: { topicArns?: string[]; now?: Date; pem?: string } = {}) {
  const fetched: string[] = [];
  const verifier = new SnsVerifier({
    fetchCertificate: async (url) => {
      fetched.push(url);
      return options.pem ?? TEST_CERTIFICATE;
    },
    topicArns: options.topicArns,
    now: () => options.now ?? TEST_NOW,
  });
  return { verifier, fetched };
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});
afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});

describe('snsStringToSign', () => {
  it('lists a Notification’s fields in byte order, each as name and value lines', () => {
    const message = notification('My Test Message', {
      Subject: 'My subject',
      MessageId: '4d4dc071-ddbf-465d-bba8-08f81c89da64',
      Timestamp: '2019-01-31T04:37:04.321Z',
      TopicArn: 'arn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P',
    });
    expect(snsStringToSign(message)).toBe(
      'Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\nSubject\nMy subject\n' +
        'Timestamp\n2019-01-31T04:37:04.321Z\nTopicArn\narn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P\n' +
        'Type\nNotification\n',
    );
  });

  it('leaves Subject out when the message has none (absent or null)', () => {
    const expected =
      'Message\n{}\nMessageId\n22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324\nTimestamp\n2026-11-25T10:00:00.000Z\n' +
      `TopicArn\n${TOPIC_ARN}\nType\nNotification\n`;
    expect(snsStringToSign(notification({}))).toBe(expected);
    expect(snsStringToSign(notification({}, { Subject: null }))).toBe(expected);
  });

  it('lists a confirmation’s fields, SubscribeURL and Token included, in byte order', () => {
    const message = subscriptionConfirmation({ Message: 'hello' });
    expect(snsStringToSign(message)).toBe(
      'Message\nhello\nMessageId\n165545c9-2a5c-472c-8df2-7ff2be2b3b1b\n' +
        `SubscribeURL\n${CERT_HOST}${SUBSCRIBE_PATH}\nTimestamp\n2026-11-25T10:00:00.000Z\n` +
        `Token\n2336412f37fb687f5d51e6e241d09c805a5a57b30d712f7\nTopicArn\n${TOPIC_ARN}\nType\nSubscriptionConfirmation\n`,
    );
  });
});

describe('isSnsCertificateUrl', () => {
  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
    'https://SNS.EU-WEST-1.AMAZONAWS.COM/SimpleNotificationService-abc.pem',
  ])('accepts %s', (url) => expect(isSnsCertificateUrl(url)).toBe(true));

  it.each([
    'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem',
    'https://sns.us-east-1.amazonaws.com.evil.example/SimpleNotificationService-test.pem',
    'https://evil.example/sns.us-east-1.amazonaws.com/x.pem',
    'https://s3.us-east-1.amazonaws.com/SimpleNotificationService-test.pem',
    'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-test.pem',
    'https://user:pw@sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem',
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.txt',
    'https://sns.us_east.amazonaws.com/x.pem',
    'not a url',
  ])('refuses %s', (url) => expect(isSnsCertificateUrl(url)).toBe(false));
});

describe('isSnsSubscribeUrl', () => {
  it('accepts a ConfirmSubscription link on an SNS host and nothing else', () => {
    expect(isSnsSubscribeUrl(`${CERT_HOST}${SUBSCRIBE_PATH}`)).toBe(true);
    expect(isSnsSubscribeUrl(`${CERT_HOST}/?Action=Unsubscribe&SubscriptionArn=x`)).toBe(false);
    expect(isSnsSubscribeUrl(`https://attacker.example${SUBSCRIBE_PATH}`)).toBe(false);
    expect(isSnsSubscribeUrl(`http://sns.us-east-1.amazonaws.com${SUBSCRIBE_PATH}`)).toBe(false);
  });
});

describe('SnsVerifier.verify', () => {
  it('accepts a signature version 1 (SHA1withRSA) Notification', async () => {
    const { verifier, fetched } = offlineVerifier();
    const message = notification({ hello: 'world' }, { SignatureVersion: '1', Subject: 'GuardDuty finding' });

    expect(await verifier.verify(message)).toEqual({ ok: true, message });
    expect(fetched).toEqual([CERT_URL]);
  });

  it('accepts a signature version 2 (SHA256withRSA) Notification and keeps extra keys out', async () => {
    const { verifier } = offlineVerifier();
    const message = notification({ hello: 'world' });
    const delivered = { ...message, MessageAttributes: { a: { Type: 'String', Value: 'b' } } };

    expect(await verifier.verify(delivered)).toEqual({ ok: true, message });
  });

  it('fetches a certificate once per URL and reuses it', async () => {
    const { verifier, fetched } = offlineVerifier();
    await verifier.verify(notification({ n: 1 }));
    await verifier.verify(notification({ n: 2 }));

    expect(fetched).toEqual([CERT_URL]);
  });

  it('refuses a tampered Message, Subject, Type-specific field or topic', async () => {
    const { verifier } = offlineVerifier();
    const original = notification({ severity: 8 }, { Subject: 'subject' });
    const confirmation = subscriptionConfirmation();

    expect(await verifier.verify({ ...original, Message: '{"severity":1}' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifier.verify({ ...original, Subject: 'other' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(await verifier.verify({ ...original, Subject: undefined })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(
      await verifier.verify({ ...original, TopicArn: 'arn:aws:sns:us-east-1:111122223333:another-topic' }),
    ).toEqual({ ok: false, reason: 'bad-signature' });
    expect(
      await verifier.verify({
        ...confirmation,
        SubscribeURL: `${CERT_HOST}/?Action=ConfirmSubscription&TopicArn=${TOPIC_ARN}&Token=other`,
      }),
    ).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a version 1 signature presented as version 2', async () => {
    const { verifier } = offlineVerifier();
    const message = notification({ a: 1 }, { SignatureVersion: '1' });

    expect(await verifier.verify({ ...message, SignatureVersion: '2' })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a certificate URL on a foreign host without fetching anything', async () => {
    const { verifier, fetched } = offlineVerifier();
    const message = notification(
      { a: 1 },
      { SigningCertURL: 'https://attacker.example/SimpleNotificationService.pem' },
    );

    expect(await verifier.verify(message)).toEqual({ ok: false, reason: 'untrusted-certificate-url' });
    expect(fetched).toEqual([]);
  });

  it('refuses a topic outside the allow-list before fetching anything', async () => {
    const { verifier, fetched } = offlineVerifier({
      topicArns: ['arn:aws:sns:us-east-1:111122223333:other'],
    });

    expect(await verifier.verify(notification({ a: 1 }))).toEqual({ ok: false, reason: 'topic-not-allowed' });
    expect(fetched).toEqual([]);
  });

  it('accepts a topic on the allow-list', async () => {
    const { verifier } = offlineVerifier({ topicArns: [TOPIC_ARN] });
    expect(await verifier.verify(notification({ a: 1 }))).toMatchObject({ ok: true });
  });

  it('refuses bodies that are not SNS messages', async () => {
    const { verifier, fetched } = offlineVerifier();
    const valid = notification({ a: 1 });
    const { Signature: _signature, ...unsigned } = valid;

    for (const body of [
      null,
      'text',
      [],
      {},
      unsigned,
      { ...valid, Type: 'Other' },
      { ...valid, SignatureVersion: '3' },
      { ...valid, SignatureVersion: 1 },
      { ...valid, Signature: 'not base64!' },
      { ...valid, TopicArn: 'arn:aws:s3:::bucket' },
      { ...subscriptionConfirmation(), Token: undefined },
    ])
      expect(await verifier.verify(body)).toEqual({ ok: false, reason: 'malformed-message' });
    expect(fetched).toEqual([]);
  });

  it('refuses a message signed with a certificate outside its validity period', async () => {
    const { verifier } = offlineVerifier({ now: new Date('2127-01-01T00:00:00.000Z') });
    expect(await verifier.verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'invalid-certificate',
    });
  });

  it('refuses a certificate that does not parse, and asks again next time', async () => {
    const { verifier, fetched } = offlineVerifier({ pem: 'not a certificate' });

    expect(await verifier.verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'invalid-certificate',
    });
    expect(await verifier.verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'invalid-certificate',
    });
    expect(fetched).toEqual([CERT_URL, CERT_URL]);
  });

  it('says the certificate is unavailable when the fetcher fails, without caching the failure', async () => {
    let attempt = 0;
    const verifier = new SnsVerifier({
      fetchCertificate: async () => {
        attempt += 1;
        if (attempt === 1) throw new Error('socket hang up');
        return TEST_CERTIFICATE;
      },
      now: () => TEST_NOW,
    });

    expect(await verifier.verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
    expect(await verifier.verify(notification({ a: 1 }))).toMatchObject({ ok: true });
  });
});

describe('SnsVerifier fetching certificates over HTTPS', () => {
  it('downloads the certificate from the SNS host once and verifies with it', async () => {
    const scope = nock(CERT_HOST).get(CERT_PATH).once().reply(200, TEST_CERTIFICATE);
    const verifier = new SnsVerifier({ now: () => TEST_NOW });

    expect(await verifier.verify(notification({ a: 1 }))).toMatchObject({ ok: true });
    expect(await verifier.verify(notification({ a: 2 }))).toMatchObject({ ok: true });
    scope.done();
  });

  it('treats a 404 as an invalid certificate and a 503 as unavailable', async () => {
    nock(CERT_HOST).get(CERT_PATH).reply(404, '<Error/>');
    expect(await new SnsVerifier({ now: () => TEST_NOW }).verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'invalid-certificate',
    });

    nock(CERT_HOST).get(CERT_PATH).reply(503, 'busy');
    expect(await new SnsVerifier({ now: () => TEST_NOW }).verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
  });

  it('refuses a certificate response larger than the cap', async () => {
    nock(CERT_HOST)
      .get(CERT_PATH)
      .reply(200, 'x'.repeat(70 * 1024));
    expect(await new SnsVerifier({ now: () => TEST_NOW }).verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'certificate-unavailable',
    });
  });

  it('does not follow a redirect away from the SNS host', async () => {
    nock(CERT_HOST).get(CERT_PATH).reply(302, '', { Location: 'https://attacker.example/cert.pem' });
    expect(await new SnsVerifier({ now: () => TEST_NOW }).verify(notification({ a: 1 }))).toEqual({
      ok: false,
      reason: 'invalid-certificate',
    });
  });
});

describe('SnsVerifier.confirmSubscription', () => {
  it('GETs the SubscribeURL once for a verified SubscriptionConfirmation', async () => {
    const { verifier } = offlineVerifier();
    const confirm = nock(CERT_HOST)
      .get(SUBSCRIBE_PATH)
      .once()
      .reply(200, '<ConfirmSubscriptionResponse/>', { 'Content-Type': 'text/xml' });
    const verdict = await verifier.verify(subscriptionConfirmation());
    if (!verdict.ok) throw new Error(`not verified: ${verdict.reason}`);

    await verifier.confirmSubscription(verdict.message);
    confirm.done();
  });

  it('refuses a message it has not verified, even with the right shape', async () => {
    const { verifier } = offlineVerifier();
    await expect(verifier.confirmSubscription(subscriptionConfirmation())).rejects.toMatchObject({
      name: 'SnsConfirmationError',
      code: 'not-verified',
    });
  });

  it('refuses to confirm an UnsubscribeConfirmation (it would undo the unsubscription)', async () => {
    const { verifier } = offlineVerifier();
    const unsubscribe = sign<Extract<SnsMessage, { Type: 'UnsubscribeConfirmation' }>>({
      ...subscriptionConfirmation(),
      Type: 'UnsubscribeConfirmation',
    });
    const verdict = await verifier.verify(unsubscribe);
    if (!verdict.ok) throw new Error(`not verified: ${verdict.reason}`);

    await expect(verifier.confirmSubscription(verdict.message)).rejects.toMatchObject({
      code: 'not-a-subscription',
    });
  });

  it('refuses a signed SubscribeURL that is not an SNS ConfirmSubscription link', async () => {
    const { verifier } = offlineVerifier();
    const verdict = await verifier.verify(
      subscriptionConfirmation({ SubscribeURL: 'https://internal.example/?Action=ConfirmSubscription' }),
    );
    if (!verdict.ok) throw new Error(`not verified: ${verdict.reason}`);

    await expect(verifier.confirmSubscription(verdict.message)).rejects.toEqual(
      new SnsConfirmationError('SubscribeURL is not an SNS ConfirmSubscription link', 'untrusted-url'),
    );
  });

  it('reports a failed confirmation with its HTTP status', async () => {
    const { verifier } = offlineVerifier();
    nock(CERT_HOST).get(SUBSCRIBE_PATH).reply(403, '<ErrorResponse/>');
    const verdict = await verifier.verify(subscriptionConfirmation());
    if (!verdict.ok) throw new Error(`not verified: ${verdict.reason}`);

    await expect(verifier.confirmSubscription(verdict.message)).rejects.toMatchObject({
      code: 'request-failed',
      message: 'ConfirmSubscription answered HTTP 403',
    });
  });
});
