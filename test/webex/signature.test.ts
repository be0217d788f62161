/** X-Spark-Signature: the hex HMAC-SHA1 of the raw body, as Webex's webhook guide computes it. */
import { createHmac } from 'node:crypto';
import { signWebexBody, verifyWebexSignature } from '../../src/http/webex-signature';

const SECRET = 'somesupersecretphrase';
const BODY = '{"id":"Y2lzY29zcGFyazovL3VzL1dFQkhPT0svMQ","resource":"attachmentActions","event":"created"}';

describe('verifyWebexSignature', () => {
  it('accepts the hex HMAC-SHA1 of the raw body, in either case', () => {
    const hex = createHmac('sha1', SECRET).update(BODY).digest('hex');
    expect(signWebexBody(SECRET, BODY)).toBe(hex);
    expect(verifyWebexSignature({ secret: SECRET, signatureHeader: hex, rawBody: BODY })).toEqual({
      ok: true,
    });
    expect(
      verifyWebexSignature({ secret: SECRET, signatureHeader: hex.toUpperCase(), rawBody: BODY }),
    ).toEqual({
      ok: true,
    });
  });

  it('verifies the bytes as received, not a re-serialisation', () => {
    const spaced = BODY.replace(/,/g, ', ');
    const header = signWebexBody(SECRET, BODY);
    expect(verifyWebexSignature({ secret: SECRET, signatureHeader: header, rawBody: spaced })).toEqual({
      ok: false,
      reason: 'signature-mismatch',
    });
    const bytes = Buffer.from([0xff, 0xfe, 0x00]);
    expect(
      verifyWebexSignature({ secret: SECRET, signatureHeader: signWebexBody(SECRET, bytes), rawBody: bytes }),
    ).toEqual({ ok: true });
  });

  it.each([
    [undefined, 'missing-signature'],
    ['', 'missing-signature'],
    ['sha1=abc', 'malformed-signature'],
    ['0'.repeat(64), 'malformed-signature'],
    ['0'.repeat(40), 'signature-mismatch'],
  ])('refuses the header %p: %s', (header, reason) => {
    expect(verifyWebexSignature({ secret: SECRET, signatureHeader: header, rawBody: BODY })).toEqual({
      ok: false,
      reason,
    });
  });

  it('refuses the right signature under another secret, and verifies nothing with an empty secret', () => {
    const header = signWebexBody('another secret', BODY);
    expect(verifyWebexSignature({ secret: SECRET, signatureHeader: header, rawBody: BODY }).ok).toBe(false);
    expect(
      verifyWebexSignature({ secret: '', signatureHeader: signWebexBody('', BODY), rawBody: BODY }),
    ).toEqual({
      ok: false,
      reason: 'missing-secret',
    });
  });
});
