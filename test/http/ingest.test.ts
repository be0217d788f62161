import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import nock from 'nock';
import { parseEvent } from '../../src/findings/parse';
import {
  handleIngestRequest,
  INGEST_MAX_BODY_BYTES,
  type AcceptedEvent,
  type IngestDeps,
} from '../../src/http/ingest';
import { SnsVerifier } from '../../src/http/sns';
import {
  CERT_HOST,
  CERT_PATH,
  notification,
  SUBSCRIBE_PATH,
  subscriptionConfirmation,
  sign,
  TEST_CERTIFICATE,
  TEST_NOW,
} from './signed-sns';

const SECRET = 'ingest-secret-0123456789';
const BEARER = { authorization: `Bearer ${SECRET}` };
const SNS_NOTIFICATION = { 'x-amz-sns-message-type': 'Notification' };
const SNS_CONFIRMATION = { 'x-amz-sns-message-type': 'SubscriptionConfirmation' };
const basic = (credentials: string) => `Basic ${Buffer.from(credentials).toString('base64')}`;

const GUARDDUTY_EVENT = readFileSync(
  join(__dirname, '..', '..', 'fixtures', 'derived', 'guardduty-event-impact-s3-maliciousipcaller.json'),
  'utf8',
);

/** Dependencies whose `accept` answers from a script and records every call. */
function fakeDeps(answer: Partial<AcceptedEvent> = { fingerprints: ['fp-1'] }) {
  const accepted: unknown[] = [];
  const kept: { raw: string; error: string }[] = [];
  const fetched: string[] = [];
  const deps: IngestDeps = {
    ingestSecret: SECRET,
    sns: new SnsVerifier({
      fetchCertificate: async (url) => {
        fetched.push(url);
        return TEST_CERTIFICATE;
      },
      now: () => TEST_NOW,
    }),
    accept: async (event) => {
      accepted.push(event);
      return { fingerprints: [], rejected: [], skipped: [], ...answer };
    },
    keepRejected: async (raw, error) => {
      kept.push({ raw, error });
    },
  };
  return { deps, accepted, kept, fetched };
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

describe('handleIngestRequest with the ingest secret', () => {
  it('accepts a Bearer request and answers 202 with the fingerprints', async () => {
    const { deps, accepted, kept } = fakeDeps({ fingerprints: ['fp-1', 'fp-2'] });

    expect(await handleIngestRequest({ headers: BEARER, body: '{"detail":{}}' }, deps)).toEqual({
      status: 202,
      body: { fingerprints: ['fp-1', 'fp-2'], skipped: [], rejected: [] },
    });
    expect(accepted).toEqual([{ detail: {} }]);
    expect(kept).toEqual([]);
  });

  it('accepts Basic with the secret as password, whatever the header name case', async () => {
    const { deps, accepted } = fakeDeps();

    const response = await handleIngestRequest(
      { headers: { Authorization: basic(`siem:${SECRET}`) }, body: '[1]' },
      deps,
    );
    expect(response.status).toBe(202);
    expect(accepted).toEqual([[1]]);
  });

  it('answers a bare 401 to a wrong secret or no credentials, before looking at the body', async () => {
    const { deps, accepted, kept } = fakeDeps();
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: basic('siem:wrong') },
      { authorization: SECRET },
      { 'x-api-key': SECRET },
    ])
      expect(await handleIngestRequest({ headers, body: 'not even json' }, deps)).toEqual({
        status: 401,
        body: { error: 'unauthorized' },
      });
    expect(accepted).toEqual([]);
    expect(kept).toEqual([]);
  });

  it('refuses an unauthenticated oversized body with 401, an authenticated one with 413', async () => {
    const { deps, accepted } = fakeDeps();
    const huge = `"${'x'.repeat(INGEST_MAX_BODY_BYTES)}"`;

    expect((await handleIngestRequest({ headers: {}, body: huge }, deps)).status).toBe(401);
    expect(await handleIngestRequest({ headers: BEARER, body: huge }, deps)).toEqual({
      status: 413,
      body: { error: 'body: larger than 1048576 bytes' },
    });
    expect(accepted).toEqual([]);
  });

  it('counts the size in bytes, not characters', async () => {
    const { deps } = fakeDeps();
    const justOver = `"${'é'.repeat(INGEST_MAX_BODY_BYTES / 2)}"`;
    expect((await handleIngestRequest({ headers: BEARER, body: justOver }, deps)).status).toBe(413);
  });

  it('answers 400 naming the problem for a body that is not JSON, and keeps it', async () => {
    const { deps, accepted, kept } = fakeDeps();

    const response = await handleIngestRequest({ headers: BEARER, body: '{"detail": ' }, deps);
    expect(response.status).toBe(400);
    const error = (response.body as { error: string }).error;
    expect(error.startsWith('body: not JSON (')).toBe(true);
    expect(kept).toEqual([{ raw: '{"detail": ', error }]);
    expect(accepted).toEqual([]);
  });

  it('answers 400 with every rejection when no finding was accepted, and keeps the body', async () => {
    const rejected = [
      { index: 0, error: 'detail.findings[0].Severity: Invalid input' },
      { index: 1, error: 'detail.findings[1].Id: Required' },
    ];
    const { deps, kept } = fakeDeps({ rejected });

    expect(await handleIngestRequest({ headers: BEARER, body: '{}' }, deps)).toEqual({
      status: 400,
      body: {
        error:
          '2 findings rejected: detail.findings[0].Severity: Invalid input; detail.findings[1].Id: Required',
        rejected,
      },
    });
    expect(kept).toEqual([
      {
        raw: '{}',
        error:
          '2 findings rejected: detail.findings[0].Severity: Invalid input; detail.findings[1].Id: Required',
      },
    ]);
  });

  it('names a single rejection as it is and shortens a long list', async () => {
    const one = fakeDeps({ rejected: [{ index: 0, error: 'severity: Required' }] });
    expect(await handleIngestRequest({ headers: BEARER, body: '{}' }, one.deps)).toEqual({
      status: 400,
      body: { error: 'severity: Required', rejected: [{ index: 0, error: 'severity: Required' }] },
    });

    const rejected = [0, 1, 2, 3].map((index) => ({ index, error: `[${index}].id: Required` }));
    const many = fakeDeps({ rejected });
    expect((await handleIngestRequest({ headers: BEARER, body: '[]' }, many.deps)).body).toEqual({
      error: '4 findings rejected: [0].id: Required; [1].id: Required; [2].id: Required; …',
      rejected,
    });
  });

  it('answers 202 when some findings were accepted and others rejected, keeping the rejected ones', async () => {
    const { deps, kept } = fakeDeps({
      fingerprints: ['fp-1'],
      rejected: [{ index: 1, error: '[1].severity: Required' }],
    });

    expect(await handleIngestRequest({ headers: BEARER, body: '[{},{}]' }, deps)).toEqual({
      status: 202,
      body: {
        fingerprints: ['fp-1'],
        skipped: [],
        rejected: [{ index: 1, error: '[1].severity: Required' }],
      },
    });
    expect(kept).toEqual([{ raw: '[{},{}]', error: '[1].severity: Required' }]);
  });

  it('answers 202 when every entry was skipped on purpose', async () => {
    const skipped = [{ index: 0, reason: 'EventBridge event "AWS API Call via CloudTrail": not a finding' }];
    const { deps, kept } = fakeDeps({ skipped });

    expect(await handleIngestRequest({ headers: BEARER, body: '{}' }, deps)).toEqual({
      status: 202,
      body: { fingerprints: [], skipped, rejected: [] },
    });
    expect(kept).toEqual([]);
  });
});

describe('handleIngestRequest with an Amazon SNS delivery', () => {
  it('unwraps a verified version 2 Notification and accepts the event in its Message', async () => {
    const { deps, accepted } = fakeDeps({ fingerprints: ['fp-9'] });
    const rawBody = JSON.stringify(notification({ 'detail-type': 'GuardDuty Finding', detail: { id: 'x' } }));

    expect(await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps)).toEqual({
      status: 202,
      body: { fingerprints: ['fp-9'], skipped: [], rejected: [] },
    });
    expect(accepted).toEqual([{ 'detail-type': 'GuardDuty Finding', detail: { id: 'x' } }]);
  });

  it('accepts a verified version 1 Notification', async () => {
    const { deps, accepted } = fakeDeps();
    const rawBody = JSON.stringify(notification({ a: 1 }, { SignatureVersion: '1', Subject: 'finding' }));

    expect((await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps)).status).toBe(202);
    expect(accepted).toEqual([{ a: 1 }]);
  });

  it('answers a bare 401 to a tampered Message', async () => {
    const { deps, accepted, kept } = fakeDeps();
    const message = notification({ severity: 8 });
    const rawBody = JSON.stringify({ ...message, Message: '{"severity":2}' });

    expect(await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps)).toEqual({
      status: 401,
      body: { error: 'unauthorized' },
    });
    expect(accepted).toEqual([]);
    expect(kept).toEqual([]);
  });

  it('answers 401 without fetching anything when the certificate URL is on a foreign host', async () => {
    const { deps, fetched, accepted } = fakeDeps();
    const rawBody = JSON.stringify(
      notification({ a: 1 }, { SigningCertURL: 'https://attacker.example/SimpleNotificationService-x.pem' }),
    );

    expect(await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps)).toEqual({
      status: 401,
      body: { error: 'unauthorized' },
    });
    expect(fetched).toEqual([]);
    expect(accepted).toEqual([]);
  });

  it('answers 401 to an SNS header on a body that is not a signed SNS message, even with the secret', async () => {
    const { deps, accepted } = fakeDeps();
    for (const rawBody of ['not json', '{"detail":{}}'])
      expect(
        await handleIngestRequest({ headers: { ...SNS_NOTIFICATION, ...BEARER }, body: rawBody }, deps),
      ).toEqual({ status: 401, body: { error: 'unauthorized' } });
    expect(accepted).toEqual([]);
  });

  it('answers 413 to an oversized SNS delivery before parsing it', async () => {
    const { deps, fetched } = fakeDeps();
    const rawBody = JSON.stringify(notification('x'.repeat(INGEST_MAX_BODY_BYTES)));

    expect((await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps)).status).toBe(413);
    expect(fetched).toEqual([]);
  });

  it('answers 503 when the signing certificate cannot be fetched, so SNS delivers again', async () => {
    const { deps, accepted } = fakeDeps();
    deps.sns = new SnsVerifier({
      fetchCertificate: async () => {
        throw new Error('connect ETIMEDOUT');
      },
      now: () => TEST_NOW,
    });

    expect(
      await handleIngestRequest({ headers: SNS_NOTIFICATION, body: JSON.stringify(notification({})) }, deps),
    ).toEqual({ status: 503, body: { error: 'signature cannot be checked now' } });
    expect(accepted).toEqual([]);
  });

  it('answers 400 and keeps the delivery when a verified Message is not JSON', async () => {
    const { deps, kept, accepted } = fakeDeps();
    const rawBody = JSON.stringify(notification('plain text alert'));

    const response = await handleIngestRequest({ headers: SNS_NOTIFICATION, body: rawBody }, deps);
    expect(response.status).toBe(400);
    const error = (response.body as { error: string }).error;
    expect(error.startsWith('Message: not JSON (')).toBe(true);
    expect(kept).toEqual([{ raw: rawBody, error }]);
    expect(accepted).toEqual([]);
  });

  it('confirms a verified SubscriptionConfirmation by calling its SubscribeURL once', async () => {
    const { deps, accepted } = fakeDeps();
    const confirm = nock(CERT_HOST).get(SUBSCRIBE_PATH).once().reply(200, '<ConfirmSubscriptionResponse/>');
    const rawBody = JSON.stringify(subscriptionConfirmation());

    expect(await handleIngestRequest({ headers: SNS_CONFIRMATION, body: rawBody }, deps)).toEqual({
      status: 200,
      body: { confirmed: 'arn:aws:sns:us-east-1:111122223333:hivewire-findings' },
    });
    confirm.done();
    expect(accepted).toEqual([]);
  });

  it('does not call the SubscribeURL of a confirmation whose signature fails', async () => {
    const { deps } = fakeDeps();
    const forged = { ...subscriptionConfirmation(), Token: 'forged' };

    expect(
      await handleIngestRequest({ headers: SNS_CONFIRMATION, body: JSON.stringify(forged) }, deps),
    ).toEqual({ status: 401, body: { error: 'unauthorized' } });
  });

  it('answers 502 when SNS refuses the confirmation', async () => {
    const { deps } = fakeDeps();
    nock(CERT_HOST).get(SUBSCRIBE_PATH).reply(403, '<ErrorResponse/>');

    expect(
      await handleIngestRequest(
        { headers: SNS_CONFIRMATION, body: JSON.stringify(subscriptionConfirmation()) },
        deps,
      ),
    ).toEqual({ status: 502, body: { error: 'subscription not confirmed', code: 'request-failed' } });
  });

  it('acknowledges an UnsubscribeConfirmation without confirming anything', async () => {
    const { deps, accepted } = fakeDeps();
    const unsubscribe = sign({ ...subscriptionConfirmation(), Type: 'UnsubscribeConfirmation' as const });

    expect(
      await handleIngestRequest(
        {
          headers: { 'x-amz-sns-message-type': 'UnsubscribeConfirmation' },
          body: JSON.stringify(unsubscribe),
        },
        deps,
      ),
    ).toEqual({ status: 200, body: { ignored: 'UnsubscribeConfirmation' } });
    expect(accepted).toEqual([]);
  });

  it('runs a real GuardDuty event through SNS, certificate fetched over HTTPS, into parseEvent', async () => {
    nock(CERT_HOST).get(CERT_PATH).once().reply(200, TEST_CERTIFICATE);
    const { deps } = fakeDeps();
    deps.sns = new SnsVerifier({ now: () => TEST_NOW });
    deps.accept = async (event) => {
      const parsed = parseEvent(event);
      return {
        fingerprints: parsed.findings.map((finding) => finding.fingerprint),
        skipped: parsed.skipped,
        rejected: parsed.rejected,
      };
    };
    const expected = parseEvent(JSON.parse(GUARDDUTY_EVENT)).findings.map((finding) => finding.fingerprint);

    const response = await handleIngestRequest(
      { headers: SNS_NOTIFICATION, body: JSON.stringify(notification(GUARDDUTY_EVENT)) },
      deps,
    );
    expect(expected).toEqual([expect.stringMatching(/\S/)]);
    expect(response).toEqual({ status: 202, body: { fingerprints: expected, skipped: [], rejected: [] } });
  });
});
