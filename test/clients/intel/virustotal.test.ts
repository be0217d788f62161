import nock from 'nock';
import { VirusTotalClient, virusTotalUrlId } from '../../../clients/intel/virustotal';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const stats = { malicious: 7, suspicious: 1, harmless: 60, undetected: 22, timeout: 0 };

describe('VirusTotalClient', () => {
  it('sends the key in x-apikey and reads the last analysis of an IP address', async () => {
    nock('https://www.virustotal.com', { reqheaders: { 'x-apikey': 'vt-key' } })
      .get('/api/v3/ip_addresses/203.0.113.9')
      .reply(200, {
        data: {
          id: '203.0.113.9',
          type: 'ip_address',
          attributes: { last_analysis_stats: stats, reputation: -12 },
        },
      });

    await expect(new VirusTotalClient('vt-key').report('ip', '203.0.113.9')).resolves.toEqual({
      found: true,
      malicious: 7,
      suspicious: 1,
      harmless: 60,
      undetected: 22,
      reputation: -12,
      fileName: undefined,
      fileType: undefined,
      link: 'https://www.virustotal.com/gui/ip-address/203.0.113.9',
    });
  });

  it('addresses a URL by its unpadded base64url id', async () => {
    const url = 'http://evil.example/a?b=1';
    expect(virusTotalUrlId(url)).toBe('aHR0cDovL2V2aWwuZXhhbXBsZS9hP2I9MQ');
    nock('https://www.virustotal.com')
      .get('/api/v3/urls/aHR0cDovL2V2aWwuZXhhbXBsZS9hP2I9MQ')
      .reply(200, { data: { id: 'x', attributes: { last_analysis_stats: stats } } });
    const report = await new VirusTotalClient('k').report('url', url);
    expect(report.link).toBe('https://www.virustotal.com/gui/url/aHR0cDovL2V2aWwuZXhhbXBsZS9hP2I9MQ');
    expect(report.malicious).toBe(7);
  });

  it('reports an object VirusTotal never saw as not found', async () => {
    const hash = 'a'.repeat(64);
    nock('https://www.virustotal.com')
      .get(`/api/v3/files/${hash}`)
      .reply(404, { error: { code: 'NotFoundError', message: 'not found' } });
    await expect(new VirusTotalClient('k').report('hash', hash)).resolves.toEqual({
      found: false,
      malicious: 0,
      suspicious: 0,
      harmless: 0,
      undetected: 0,
      link: `https://www.virustotal.com/gui/file/${hash}`,
    });
  });

  it('says so when the quota is spent', async () => {
    nock('https://www.virustotal.com').get('/api/v3/domains/evil.example').reply(429, {});
    await expect(new VirusTotalClient('k').report('domain', 'evil.example')).rejects.toMatchObject({
      code: 'rate-limited',
      status: 429,
      message: 'VirusTotal: rate limit reached (HTTP 429)',
    });
  });

  it('says so when the key is refused', async () => {
    nock('https://www.virustotal.com').get('/api/v3/domains/evil.example').reply(401, {});
    await expect(new VirusTotalClient('bad').report('domain', 'evil.example')).rejects.toMatchObject({
      code: 'unauthorized',
      message: 'VirusTotal: refused the API key (HTTP 401)',
    });
  });
});
