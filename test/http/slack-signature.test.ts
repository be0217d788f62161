import {
  signSlackRequest,
  verifySlackRequest,
  type SlackRequestToVerify,
} from '../../src/http/slack-signature';

/**
 * The worked example on Slack's page "Verifying requests from Slack"
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
const VECTOR = {
  signingSecret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: '1531420618',
  body:
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V' +
    '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=' +
    '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN' +
    '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const VECTOR_NOW_MS = 1531420618000;

function vectorRequest(overrides: Partial<SlackRequestToVerify> = {}): SlackRequestToVerify {
  return {
    signingSecret: VECTOR.signingSecret,
    timestampHeader: VECTOR.timestamp,
    signatureHeader: VECTOR.signature,
    rawBody: VECTOR.body,
    nowMs: VECTOR_NOW_MS,
    ...overrides,
  };
}

describe('verifySlackRequest', () => {
  it("accepts Slack's published test vector at its own time", () => {
    expect(VECTOR.body).toHaveLength(362);
    expect(verifySlackRequest(vectorRequest())).toEqual({ ok: true });
  });

  it('verifies over the bytes: the vector as bytes, and a body that is not UTF-8', () => {
    expect(verifySlackRequest(vectorRequest({ rawBody: Buffer.from(VECTOR.body) }))).toEqual({ ok: true });
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const headers = signSlackRequest({ signingSecret: 's', rawBody: bytes, nowMs: VECTOR_NOW_MS });
    const request = {
      signingSecret: 's',
      timestampHeader: headers['x-slack-request-timestamp'],
      signatureHeader: headers['x-slack-signature'],
      nowMs: VECTOR_NOW_MS,
    };
    expect(verifySlackRequest({ ...request, rawBody: bytes })).toEqual({ ok: true });
    // Decoding first would replace the bad bytes and break the signature.
    expect(verifySlackRequest({ ...request, rawBody: bytes.toString('utf8') })).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('accepts an upper-case hex signature', () => {
    expect(
      verifySlackRequest(
        vectorRequest({ signatureHeader: VECTOR.signature.toUpperCase().replace('V0', 'v0') }),
      ),
    ).toEqual({
      ok: true,
    });
  });

  it('accepts timestamps exactly five minutes away in either direction', () => {
    expect(verifySlackRequest(vectorRequest({ nowMs: VECTOR_NOW_MS + 300_000 }))).toEqual({ ok: true });
    expect(verifySlackRequest(vectorRequest({ nowMs: VECTOR_NOW_MS - 300_000 }))).toEqual({ ok: true });
  });

  it('refuses a timestamp more than five minutes in the past (a replay)', () => {
    expect(verifySlackRequest(vectorRequest({ nowMs: VECTOR_NOW_MS + 301_000 }))).toEqual({
      ok: false,
      reason: 'timestamp-out-of-window',
    });
  });

  it('refuses a timestamp more than five minutes in the future, which Bolt alone would accept', () => {
    expect(verifySlackRequest(vectorRequest({ nowMs: VECTOR_NOW_MS - 301_000 }))).toEqual({
      ok: false,
      reason: 'timestamp-out-of-window',
    });
  });

  it('refuses the test vector against the real clock: it is years old', () => {
    expect(verifySlackRequest(vectorRequest({ nowMs: Date.now() }))).toEqual({
      ok: false,
      reason: 'timestamp-out-of-window',
    });
  });

  it('refuses a tampered body, a wrong secret and a signature for another timestamp', () => {
    expect(verifySlackRequest(vectorRequest({ rawBody: VECTOR.body.replace('text=', 'text=x') }))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
    expect(verifySlackRequest(vectorRequest({ signingSecret: 'another-secret' }))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
    expect(verifySlackRequest(vectorRequest({ timestampHeader: '1531420619' }))).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
  });

  it('refuses missing and garbage headers', () => {
    expect(verifySlackRequest(vectorRequest({ timestampHeader: undefined }))).toEqual({
      ok: false,
      reason: 'missing-timestamp',
    });
    expect(verifySlackRequest(vectorRequest({ signatureHeader: undefined }))).toEqual({
      ok: false,
      reason: 'missing-signature',
    });
    for (const timestampHeader of [
      'abc',
      '1531420618.5',
      '-1531420618',
      ' 1531420618',
      '1e9',
      '9'.repeat(20),
    ])
      expect(verifySlackRequest(vectorRequest({ timestampHeader }))).toEqual({
        ok: false,
        reason: 'malformed-timestamp',
      });
    for (const signatureHeader of [
      'a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'v1=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      'v0=a2114d57',
      'v0=zz114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
      `${VECTOR.signature}00`,
    ])
      expect(verifySlackRequest(vectorRequest({ signatureHeader }))).toEqual({
        ok: false,
        reason: 'malformed-signature',
      });
  });

  it('signs the body as UTF-8 bytes', () => {
    const rawBody = JSON.stringify({ text: 'café ☕ — 東京' });
    const headers = signSlackRequest({ signingSecret: 's3cret', rawBody, nowMs: 1_700_000_000_000 });

    expect(
      verifySlackRequest({
        signingSecret: 's3cret',
        timestampHeader: headers['x-slack-request-timestamp'],
        signatureHeader: headers['x-slack-signature'],
        rawBody,
        nowMs: 1_700_000_000_000,
      }),
    ).toEqual({ ok: true });
  });
});

describe('signSlackRequest', () => {
  it("reproduces Slack's test vector", () => {
    expect(
      signSlackRequest({
        signingSecret: VECTOR.signingSecret,
        rawBody: VECTOR.body,
        nowMs: VECTOR_NOW_MS + 999,
      }),
    ).toEqual({ 'x-slack-request-timestamp': VECTOR.timestamp, 'x-slack-signature': VECTOR.signature });
  });
});
