import nock from 'nock';
import { IntelError } from '../../../clients/intel/http';
import { RdapClient } from '../../../clients/intel/rdap';

afterAll(() => {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
});
beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

const vcard = (name: string) => [
  'vcard',
  [
    ['version', {}, 'text', '4.0'],
    ['fn', {}, 'text', name],
  ],
];

describe('RdapClient', () => {
  it('follows the rdap.org redirect and reads the network, its range, CIDR, owner and registration', async () => {
    nock('https://rdap.org')
      .get('/ip/198.51.100.23')
      .reply(302, '', { Location: 'https://rdap.registry.test/rdap/ip/198.51.100.23' });
    nock('https://rdap.registry.test')
      .get('/rdap/ip/198.51.100.23')
      .reply(
        200,
        {
          objectClassName: 'ip network',
          handle: 'NET-198-51-100-0-1',
          name: 'EXAMPLE-NET',
          startAddress: '198.51.100.0',
          endAddress: '198.51.100.255',
          country: 'US',
          cidr0_cidrs: [{ v4prefix: '198.51.100.0', length: 24 }],
          entities: [
            { roles: ['abuse'], vcardArray: vcard('Abuse Desk') },
            { roles: ['registrant'], vcardArray: vcard('Example Hosting LLC') },
          ],
          events: [
            { eventAction: 'registration', eventDate: '2011-03-01T00:00:00Z' },
            { eventAction: 'last changed', eventDate: '2024-02-02T10:00:00Z' },
          ],
        },
        { 'Content-Type': 'application/rdap+json' },
      );

    await expect(new RdapClient().ip('198.51.100.23')).resolves.toEqual({
      handle: 'NET-198-51-100-0-1',
      name: 'EXAMPLE-NET',
      range: '198.51.100.0 - 198.51.100.255',
      cidr: '198.51.100.0/24',
      country: 'US',
      owner: 'Example Hosting LLC',
      registered: '2011-03-01T00:00:00Z',
      lastChanged: '2024-02-02T10:00:00Z',
    });
  });

  it('reads a domain registrar nested one level deep, its dates and status', async () => {
    nock('https://rdap.org')
      .get('/domain/evil.example')
      .reply(200, {
        ldhName: 'EVIL.EXAMPLE',
        status: ['client transfer prohibited'],
        entities: [
          { roles: ['technical'], entities: [{ roles: ['registrar'], vcardArray: vcard('Registrar Inc.') }] },
        ],
        events: [
          { eventAction: 'registration', eventDate: '2026-11-20T08:00:00Z' },
          { eventAction: 'expiration', eventDate: '2027-11-20T08:00:00Z' },
        ],
      });

    await expect(new RdapClient().domain('evil.example')).resolves.toEqual({
      name: 'evil.example',
      registrar: 'Registrar Inc.',
      registrant: undefined,
      registered: '2026-11-20T08:00:00Z',
      expires: '2027-11-20T08:00:00Z',
      status: ['client transfer prohibited'],
    });
  });

  it('answers undefined when no registry knows the domain', async () => {
    nock('https://rdap.org').get('/domain/nowhere.example').reply(404, { errorCode: 404 });
    await expect(new RdapClient().domain('nowhere.example')).resolves.toBeUndefined();
  });

  it('turns a slow registry into a timeout error', async () => {
    nock('https://rdap.org').get('/ip/192.0.2.1').delay(300).reply(200, {});
    await expect(new RdapClient({ timeoutMs: 50 }).ip('192.0.2.1')).rejects.toMatchObject({
      name: 'IntelError',
      service: 'RDAP',
      code: 'timeout',
    });
  });

  it('names the field when the answer is not RDAP', async () => {
    nock('https://rdap.org').get('/ip/192.0.2.2').reply(200, { name: 42 });
    const error = await new RdapClient().ip('192.0.2.2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IntelError);
    expect((error as IntelError).message).toBe(
      'RDAP: unexpected answer (name: Invalid input: expected string, received number)',
    );
  });
});
