import nock from 'nock';
import { AbuseIpDbClient } from '../../../clients/intel/abuseipdb';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('AbuseIpDbClient', () => {
  it('checks an address over 90 days with the key in the Key header', async () => {
    nock('https://api.abuseipdb.com', { reqheaders: { Key: 'abuse-key', Accept: 'application/json' } })
      .get('/api/v2/check')
      .query({ ipAddress: '203.0.113.9', maxAgeInDays: '90' })
      .reply(200, {
        data: {
          ipAddress: '203.0.113.9',
          isPublic: true,
          ipVersion: 4,
          isWhitelisted: null,
          abuseConfidenceScore: 87,
          countryCode: 'NL',
          usageType: 'Data Center/Web Hosting/Transit',
          isp: 'Example Hosting',
          domain: 'hosting.example',
          hostnames: [],
          isTor: false,
          totalReports: 143,
          numDistinctUsers: 31,
          lastReportedAt: '2026-11-24T22:10:00+00:00',
        },
      });

    await expect(new AbuseIpDbClient('abuse-key').check('203.0.113.9')).resolves.toEqual({
      score: 87,
      totalReports: 143,
      distinctReporters: 31,
      country: 'NL',
      isp: 'Example Hosting',
      usageType: 'Data Center/Web Hosting/Transit',
      isTor: false,
      whitelisted: false,
      lastReportedAt: '2026-11-24T22:10:00+00:00',
      link: 'https://www.abuseipdb.com/check/203.0.113.9',
    });
  });

  it('turns an unexpected status into an error carrying it', async () => {
    nock('https://api.abuseipdb.com').get('/api/v2/check').query(true).reply(503, 'down');
    await expect(new AbuseIpDbClient('k').check('203.0.113.9')).rejects.toMatchObject({
      name: 'IntelError',
      code: 'http',
      status: 503,
      message: 'AbuseIPDB: answered HTTP 503',
    });
  });
});
