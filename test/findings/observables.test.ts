/**
 * Observables: address classes, hostname validation, free-text extraction (also defanged), and the
 * set that validates, deduplicates and merges.
 */
import fc from 'fast-check';
import {
  ObservableSet,
  addressClass,
  defang,
  extractObservablesFromText,
  isHostname,
  isPlaceholder,
  refang,
} from '../../src/findings/observables';

describe('addressClass', () => {
  it.each([
    ['81.2.69.144', 'public'],
    ['8.8.8.8', 'public'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.169.254', 'link-local'],
    ['192.0.2.10', 'documentation'],
    ['198.51.100.0', 'documentation'],
    ['203.0.113.255', 'documentation'],
    ['203.0.114.1', 'public'],
    ['0.0.0.0', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['2600:1f18:abcd::1', 'public'],
    ['2001:db8::1', 'documentation'],
    ['3fff::1', 'documentation'],
    ['fd12:3456::1', 'private'],
    ['fe80::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::1', 'loopback'],
    ['::', 'reserved'],
    ['::ffff:10.1.2.3', 'private'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::192.168.0.1', 'private'],
    ['100::1', 'reserved'],
  ])('classifies %s as %s', (address, expected) => {
    expect(addressClass(address)).toBe(expected);
  });

  it.each(['999.1.1.1', '1.2.3', 'GeneratedFindingIP', '', '01.2.3.4'])(
    'does not take %j for an address',
    (text) => {
      expect(addressClass(text)).toBeUndefined();
    },
  );
});

describe('isHostname', () => {
  it.each([
    'example.com',
    'a.host.website.com',
    'EVIL.example.ORG.',
    'xn--80ak6aa92e.com',
    'example.xn--p1ai',
  ])('accepts %s', (name) => expect(isHostname(name)).toBe(true));
  it.each([
    'GeneratedFindingDomainName',
    'server.internal',
    'host.local',
    'a..b.com',
    '-bad.example.com',
    'bad-.example.com',
    'under_score.example.com',
    `${'a'.repeat(64)}.com`,
    '1.2.3.4',
  ])('rejects %s', (name) => expect(isHostname(name)).toBe(false));
});

describe('isPlaceholder', () => {
  it('recognises GuardDuty sample placeholders', () => {
    expect(
      ['GeneratedFindingUserName', 'Replace with valid SubnetID', 'CanonicalId of Owner', 'jdoe'].map(
        isPlaceholder,
      ),
    ).toEqual([true, true, true, false]);
  });
});

describe('defang', () => {
  it('defangs schemes anywhere, every dot of a URL host, and names with a top-level domain', () => {
    expect(
      defang('https://3232235777/login https://1.2.3.4/x www.evil.com jdoe@example.com fhttps://a.io'),
    ).toBe(
      'hxxps://3232235777/login hxxps://1[.]2[.]3[.]4/x www[.]evil[.]com jdoe@example[.]com fhxxps://a[.]io',
    );
  });

  it('defangs any two-letter top-level domain, as linkifiers keep retired country codes (linkify-it links `0.An`)', () => {
    expect(defang('0.An x.yu a.b.tp')).toBe('0[.]An x[.]yu a[.]b[.]tp');
  });

  it('never writes `[.]` where a parenthesis follows, which Markdown would read as a link', () => {
    expect(defang('[x](https://evil.example).()')).toBe('[x](hxxps://evil[.]example).()');
  });

  it('leaves text without hosts as it is', () => {
    const text = '199.241.229.197 v1.2.3 us-east-1 BitcoinTool.B!DNS report.pdf 3.14 e.g. i.e.';
    expect(defang(text)).toBe(text);
  });

  it('is undone by refang for any web URL (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => {
        const defanged = defang(url);
        expect(defanged).not.toMatch(/^(https?|ftp):\/\//);
        expect(refang(defanged)).toBe(url);
      }),
      { seed: 11, numRuns: 300 },
    );
  });
});

describe('refang', () => {
  it('restores defanged URLs, domains, addresses and e-mails', () => {
    expect(refang('hxxp://evil[.]com hXXps[:]//a(.)b(dot)org 1.2.3[.]4 fxp://x[.]net bob[@]corp[.]com')).toBe(
      'http://evil.com https://a.b.org 1.2.3.4 ftp://x.net bob@corp.com',
    );
  });

  it('returns text without a defang marker unchanged', () => {
    const text = 'nothing to see at 10.0.0.1';
    expect(refang(text)).toBe(text);
  });
});

describe('extractObservablesFromText', () => {
  it('finds defanged indicators as an analyst pastes them', () => {
    expect(extractObservablesFromText('beacon to hxxp://evil[.]com/x?a=1. from 1.2.3[.]4')).toStrictEqual([
      { dataType: 'url', data: 'http://evil.com/x?a=1', tags: ['from-text'], ioc: false },
      { dataType: 'ip', data: '1.2.3.4', tags: ['from-text'], ioc: false },
    ]);
  });

  it('finds e-mails, IPv4 and IPv6 addresses, domains, FQDNs and hashes of each length', () => {
    const text = [
      'Mail from Bob <bob@corp.example.org>, seen on 2001:db8::7 and fe80::1 and 203.0.113.7.',
      'Hosts: evil.com, a.cdn.evil.net; files 44D88612FEA8A8F36DE82E1278ABB02F',
      '3395856ce81f2b7382dee72602f798b642f14140 275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
    ].join(' ');
    expect(extractObservablesFromText(text)).toStrictEqual([
      { dataType: 'mail', data: 'bob@corp.example.org', tags: ['from-text'], ioc: false },
      { dataType: 'ip', data: '203.0.113.7', tags: ['from-text', 'documentation'], ioc: false },
      { dataType: 'ip', data: '2001:db8::7', tags: ['from-text', 'documentation'], ioc: false },
      { dataType: 'ip', data: 'fe80::1', tags: ['from-text', 'link-local'], ioc: false },
      { dataType: 'domain', data: 'evil.com', tags: ['from-text'], ioc: false },
      { dataType: 'fqdn', data: 'a.cdn.evil.net', tags: ['from-text'], ioc: false },
      { dataType: 'hash', data: '44d88612fea8a8f36de82e1278abb02f', tags: ['from-text', 'md5'], ioc: false },
      {
        dataType: 'hash',
        data: '3395856ce81f2b7382dee72602f798b642f14140',
        tags: ['from-text', 'sha1'],
        ioc: false,
      },
      {
        dataType: 'hash',
        data: '275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f',
        tags: ['from-text', 'sha256'],
        ioc: false,
      },
    ]);
  });

  it('ignores what only looks like an indicator', () => {
    const text =
      'AWS::S3::Bucket/arn:aws:s3:::my-bucket/ at 10:37:06, ran duo_logpull.py and setup.py, read notes.md, i-99999999. ' +
      'GeneratedFindingDomainName, version 1.24.0, a 33-hex 0123456789abcdef0123456789abcdef0 and e.g. etc.';
    expect(extractObservablesFromText(text)).toStrictEqual([]);
  });

  it('does not report the address inside an IPv4-mapped IPv6 address twice', () => {
    expect(extractObservablesFromText('from ::ffff:8.8.8.8').map((observable) => observable.data)).toEqual([
      '::ffff:8.8.8.8',
    ]);
  });

  it('reads URLs with IP hosts and keeps their address too', () => {
    expect(extractObservablesFromText('GET http://45.33.32.156:8080/x')).toStrictEqual([
      { dataType: 'url', data: 'http://45.33.32.156:8080/x', tags: ['from-text'], ioc: false },
      { dataType: 'ip', data: '45.33.32.156', tags: ['from-text'], ioc: false },
    ]);
  });
});

describe('ObservableSet', () => {
  it('merges duplicates: tags united, an indicator stays an indicator', () => {
    const set = new ObservableSet();
    set.ip('45.33.32.156', ['remote-ip'], 'context');
    set.ip('45.33.32.156', ['remote-ip', 'port-probe'], 'attacker');
    set.text('seen again: 45.33.32.156 and 45.33.32.157');
    expect(set.toArray()).toStrictEqual([
      { dataType: 'ip', data: '45.33.32.156', tags: ['remote-ip', 'port-probe'], ioc: true },
      { dataType: 'ip', data: '45.33.32.157', tags: ['from-text'], ioc: false },
    ]);
  });

  it('never makes a private or reserved address an indicator, and tags why', () => {
    const set = new ObservableSet();
    set.ip('10.1.2.3', ['remote-ip'], 'attacker');
    set.ip('198.51.100.9', ['remote-ip'], 'attacker');
    expect(set.toArray().map(({ tags, ioc }) => [tags, ioc])).toEqual([
      [['remote-ip', 'private'], false],
      [['remote-ip', 'documentation'], false],
    ]);
  });

  it('drops remote-host context that is missing or a placeholder, keeping real ASN, organisation and country', () => {
    const set = new ObservableSet();
    set.remoteHost(
      { ipV4: '45.33.32.156', asn: '-1', asnOrg: 'GeneratedFindingASNOrg', country: 'Japan' },
      ['x'],
      'attacker',
    );
    set.remoteHost({ ipV6: '2600:3c01::1', asn: '63949', asnOrg: 'Akamai' }, ['x'], 'attacker');
    expect(set.toArray().map((observable) => observable.tags)).toEqual([
      ['x', 'country:Japan'],
      ['x', 'asn:63949', 'as-org:Akamai'],
    ]);
  });

  it('validates typed values: access keys, buckets, ports, hashes, mails, URLs', () => {
    const set = new ObservableSet();
    set.accessKey('GeneratedFindingAccessKeyId');
    set.accessKey('AKIA123');
    set.accessKey('ASIAI44QH8DHBEXAMPLE');
    set.bucket('bucketName');
    set.bucket('arn:aws:s3:::logs.example-bucket/key/in/bucket');
    set.port(70000, 'local');
    set.port(443, 'remote', 'Unknown');
    set.hash('abc123', [], true);
    set.hash('z'.repeat(32), [], true);
    set.mail('root@localhost', []);
    set.url('javascript:alert(1)', [], true);
    set.url('https://intranet.corp/', [], true);
    set.userAgent('curl/8.5.0\u0000', []);
    set.other('   ', []);
    expect(set.toArray()).toStrictEqual([
      { dataType: 'other', data: 'ASIAI44QH8DHBEXAMPLE', tags: ['access-key'], ioc: false },
      { dataType: 'other', data: 'logs.example-bucket', tags: ['s3-bucket'], ioc: false },
      { dataType: 'other', data: '443', tags: ['port:remote'], ioc: false },
    ]);
  });

  it('accepts hostnames inside a network but not asset UUIDs or addresses', () => {
    const set = new ObservableSet();
    set.hostname('HW-HOST-13', ['src-host']);
    set.hostname('00000000-cd1e-4780-baf8-4527d5e49ad8', ['src-host']);
    set.hostname('10.1.2.3', ['src-host']);
    set.hostname('some_destination_name', ['src-host']);
    expect(set.toArray()).toStrictEqual([
      { dataType: 'hostname', data: 'hw-host-13', tags: ['src-host'], ioc: false },
    ]);
  });

  it("cuts tags to TheHive's 128 characters", () => {
    const set = new ObservableSet();
    set.other('value', [`as-org:${'x'.repeat(200)}`]);
    expect(set.toArray()[0]?.tags?.[0]).toHaveLength(128);
  });
});
