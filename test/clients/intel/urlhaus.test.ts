import nock from 'nock';
import { UrlhausClient, urlhausAcceptsHash } from '../../../clients/intel/urlhaus';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('UrlhausClient', () => {
  it('posts the URL form-encoded with the Auth-Key header and reads the listing', async () => {
    nock('https://urlhaus-api.abuse.ch', { reqheaders: { 'Auth-Key': 'uh-key' } })
      .post('/v1/url/', 'url=http%3A%2F%2Fevil.example%2Fpayload.exe')
      .reply(200, {
        query_status: 'ok',
        id: '123',
        urlhaus_reference: 'https://urlhaus.abuse.ch/url/123/',
        url: 'http://evil.example/payload.exe',
        url_status: 'online',
        date_added: '2026-11-20 10:00:00 UTC',
        threat: 'malware_download',
        tags: ['exe', 'AgentTesla'],
      });

    await expect(
      new UrlhausClient('uh-key').lookup('url', 'http://evil.example/payload.exe'),
    ).resolves.toEqual({
      listed: true,
      threat: 'malware_download',
      status: 'online',
      urlCount: undefined,
      tags: ['exe', 'AgentTesla'],
      fileType: undefined,
      signature: undefined,
      firstSeen: '2026-11-20 10:00:00 UTC',
      link: 'https://urlhaus.abuse.ch/url/123/',
    });
  });

  it('reads a host whose URL count comes as a string', async () => {
    nock('https://urlhaus-api.abuse.ch')
      .post('/v1/host/', 'host=evil.example')
      .reply(200, { query_status: 'ok', url_count: '17', firstseen: '2026-01-01 00:00:00 UTC', tags: null });
    const report = await new UrlhausClient('k').lookup('host', 'evil.example');
    expect(report).toMatchObject({
      listed: true,
      urlCount: 17,
      tags: [],
      firstSeen: '2026-01-01 00:00:00 UTC',
    });
  });

  it('asks about an MD5 payload by md5_hash and a SHA-256 one by sha256_hash', async () => {
    const md5 = 'd41d8cd98f00b204e9800998ecf8427e';
    nock('https://urlhaus-api.abuse.ch')
      .post('/v1/payload/', `md5_hash=${md5}`)
      .reply(200, { query_status: 'no_results' });
    await expect(new UrlhausClient('k').lookup('hash', md5)).resolves.toEqual({ listed: false, tags: [] });
    const sha = 'b'.repeat(64);
    nock('https://urlhaus-api.abuse.ch')
      .post('/v1/payload/', `sha256_hash=${sha}`)
      .reply(200, { query_status: 'ok', file_type: 'exe', signature: 'Emotet', url_count: 3 });
    await expect(new UrlhausClient('k').lookup('hash', sha)).resolves.toMatchObject({
      listed: true,
      fileType: 'exe',
      signature: 'Emotet',
      urlCount: 3,
    });
  });

  it('reports a refused key as unauthorized', async () => {
    nock('https://urlhaus-api.abuse.ch').post('/v1/host/').reply(200, { query_status: 'unknown_auth_key' });
    await expect(new UrlhausClient('bad').lookup('host', 'evil.example')).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'URLhaus: refused the API key (unknown_auth_key)',
    });
  });

  it('only accepts MD5 and SHA-256 payload hashes', () => {
    expect(urlhausAcceptsHash('d41d8cd98f00b204e9800998ecf8427e')).toBe(true);
    expect(urlhausAcceptsHash('a'.repeat(64))).toBe(true);
    expect(urlhausAcceptsHash('a'.repeat(40))).toBe(false);
  });
});
