/**
 * Lookups in tests: the intel services are answered by nock, never the network, whatever keys the
 * machine's environment holds.
 */
import nock from 'nock';

/**
 * For a describe block whose worker runs lookups: no network but loopback (nock answers the services),
 * and no intel keys, so only RDAP answers whatever the machine's environment holds.
 */
export function rdapOnlyOffline(): void {
  beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect('127.0.0.1');
    for (const key of ['VIRUSTOTAL_API_KEY', 'ABUSEIPDB_API_KEY', 'URLHAUS_API_KEY']) delete process.env[key];
  });
  afterEach(() => {
    nock.cleanAll();
  });
  afterAll(() => {
    nock.enableNetConnect();
    nock.restore();
  });
}
