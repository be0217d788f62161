import crypto from 'node:crypto';
import { checkBasic, checkBearer, checkBearerOrBasic, checkSecret, secretsEqual } from '../../src/http/auth';

const SECRET = 'ingest-secret-0123456789';
const basic = (credentials: string) => `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

afterEach(() => jest.restoreAllMocks());

describe('checkBearer', () => {
  it('accepts the secret as a bearer token, whatever the case of the scheme', () => {
    expect(checkBearer(`Bearer ${SECRET}`, SECRET)).toBe(true);
    expect(checkBearer(`bearer ${SECRET}`, SECRET)).toBe(true);
    expect(checkBearer(`BEARER  ${SECRET}`, SECRET)).toBe(true);
  });

  it('refuses a wrong secret, a missing header and other schemes', () => {
    expect(checkBearer('Bearer ingest-secret-0123456788', SECRET)).toBe(false);
    expect(checkBearer(`Bearer ${SECRET}x`, SECRET)).toBe(false);
    expect(checkBearer(undefined, SECRET)).toBe(false);
    expect(checkBearer('', SECRET)).toBe(false);
    expect(checkBearer('Bearer', SECRET)).toBe(false);
    expect(checkBearer(SECRET, SECRET)).toBe(false);
    expect(checkBearer(basic(`user:${SECRET}`), SECRET)).toBe(false);
    expect(checkBearer(`Token ${SECRET}`, SECRET)).toBe(false);
  });

  it('refuses a token with something after it', () => {
    expect(checkBearer(`Bearer ${SECRET} extra`, SECRET)).toBe(false);
  });

  it('never accepts anything when the secret is empty', () => {
    expect(checkBearer('Bearer ', '')).toBe(false);
    expect(checkSecret('', '')).toBe(false);
    expect(checkBasic(basic(':'), '')).toBe(false);
  });

  it('refuses oversized headers without comparing them', () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');
    expect(checkBearer(`Bearer ${'a'.repeat(10_000)}`, SECRET)).toBe(false);
    expect(compare).not.toHaveBeenCalled();
  });
});

describe('checkBasic', () => {
  it('accepts the secret as the password with any user name, or none', () => {
    expect(checkBasic(basic(`hivewire:${SECRET}`), SECRET)).toBe(true);
    expect(checkBasic(basic(`sns:${SECRET}`), SECRET)).toBe(true);
    expect(checkBasic(basic(`:${SECRET}`), SECRET)).toBe(true);
  });

  it('accepts a secret configured as user:password when both match', () => {
    expect(checkBasic(basic('siem:s3cret-pass'), 'siem:s3cret-pass')).toBe(true);
    expect(checkBasic(basic('other:s3cret-pass'), 'siem:s3cret-pass')).toBe(false);
  });

  it('keeps colons in the password (only the first colon splits)', () => {
    expect(checkBasic(basic('user:pa:ss'), 'pa:ss')).toBe(true);
  });

  it('refuses a wrong password, the secret as the user name, no colon, and bad base64', () => {
    expect(checkBasic(basic('hivewire:wrong'), SECRET)).toBe(false);
    expect(checkBasic(basic(`${SECRET}:x`), SECRET)).toBe(false);
    expect(checkBasic(basic(SECRET), SECRET)).toBe(false);
    expect(checkBasic('Basic !!!not-base64!!!', SECRET)).toBe(false);
    expect(checkBasic(undefined, SECRET)).toBe(false);
    expect(checkBasic(`Bearer ${SECRET}`, SECRET)).toBe(false);
  });
});

describe('checkBearerOrBasic', () => {
  it('accepts either scheme with the secret and nothing else', () => {
    expect(checkBearerOrBasic(`Bearer ${SECRET}`, SECRET)).toBe(true);
    expect(checkBearerOrBasic(basic(`u:${SECRET}`), SECRET)).toBe(true);
    expect(checkBearerOrBasic('Bearer nope', SECRET)).toBe(false);
    expect(checkBearerOrBasic(basic('u:nope'), SECRET)).toBe(false);
    expect(checkBearerOrBasic(undefined, SECRET)).toBe(false);
    expect(checkBearerOrBasic(SECRET, SECRET)).toBe(false);
  });
});

describe('checkSecret', () => {
  it('accepts the secret sent raw as the whole header (TheHive "key" authentication)', () => {
    expect(checkSecret(SECRET, SECRET)).toBe(true);
    expect(checkSecret(`Bearer ${SECRET}`, SECRET)).toBe(false);
    expect(checkSecret(undefined, SECRET)).toBe(false);
  });
});

describe('secretsEqual', () => {
  it('compares fixed-length digests, so inputs of different lengths neither throw nor short-cut', () => {
    const compare = jest.spyOn(crypto, 'timingSafeEqual');

    expect(secretsEqual('x', SECRET)).toBe(false);
    expect(secretsEqual(`${SECRET}${'y'.repeat(500)}`, SECRET)).toBe(false);
    expect(secretsEqual(SECRET, SECRET)).toBe(true);

    expect(compare.mock.calls.map(([a, b]) => [(a as Buffer).length, (b as Buffer).length])).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
    ]);
  });

  it('compares non-ASCII secrets by their UTF-8 bytes', () => {
    expect(secretsEqual('clé-secrète', 'clé-secrète')).toBe(true);
    expect(secretsEqual('cle-secrete', 'clé-secrète')).toBe(false);
  });
});
