/**
 * MozDef alerts, as the Elasticsearch hit MozDef's actions receive and as the bare alert.
 */
import { createHash } from 'node:crypto';
import { parseEvent } from '../../src/findings/parse';
import { loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const SSH = 'siem/mozdef-alert-ssh-sensitive-host.json';

describe('MozDef alerts carrying a GuardDuty finding', () => {
  it('keeps the remote IPs of the normalised finding nested in an event (details.finding…remoteIpDetails)', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('derived/mozdef-alert-guardduty-port-probe.json')),
    );
    const ips = finding.observables.filter((observable) => observable.dataType === 'ip');
    expect(ips).toEqual([
      {
        dataType: 'ip',
        data: '211.44.226.158',
        tags: ['remote-ip', 'port-probe', 'asn:9318', 'as-org:SK Broadband Co Ltd', 'country:South Korea'],
        ioc: true,
      },
      // Named nowhere but in the nested finding: the summary names only the first prober.
      {
        dataType: 'ip',
        data: '112.175.127.179',
        tags: ['remote-ip', 'port-probe', 'asn:4766', 'as-org:Korea Telecom', 'country:South Korea'],
        ioc: true,
      },
    ]);
  });

  it('reads the GuardDuty shape at any depth, and a victim as a victim (resourceRole ACTOR)', () => {
    const alert: Json = loadFixtureObject('derived/mozdef-alert-guardduty-port-probe.json');
    const service = alert.events[0].documentsource.details.finding;
    const deeper = {
      ...alert,
      summary: 'Outbound probe',
      events: [
        {
          documentsource: {
            details: { guardduty: { original: { service: { ...service, resourceRole: 'ACTOR' } } } },
          },
        },
      ],
    };
    const ips = onlyFinding(parseEvent(deeper)).observables.filter(
      (observable) => observable.dataType === 'ip',
    );
    expect(ips.map(({ data, ioc }) => ({ data, ioc }))).toEqual([
      { data: '211.44.226.158', ioc: false },
      { data: '112.175.127.179', ioc: false },
    ]);
  });
});

describe('MozDef alerts', () => {
  it('reads the alert of an Elasticsearch hit, identified by the document id', () => {
    const finding = onlyFinding(parseEvent(loadFixtureObject(SSH)));
    expect(finding).toMatchObject({
      source: 'siem',
      product: 'MozDef',
      sourceId: 'jY29OGBBCfj908U9z3kd',
      fingerprint: `mzd-${createHash('sha256').update('mozdef/jY29OGBBCfj908U9z3kd').digest('hex').slice(0, 32)}`,
      description:
        'Session opened on sensitive host by (1): tester [test@website.com]\npam_unix(sshd:session): session opened for user tester by (uid=0)',
      firstSeen: '2019-11-04T23:03:17.000Z',
      lastSeen: '2019-11-04T23:03:17.000Z',
      updatedAt: '2019-11-04T23:04:36.351Z',
      consoleUrl: 'https://website.com',
      resource: { kind: 'Host', id: 'a.host.website.com', name: 'a.host.website.com' },
      actor: { name: 'tester', email: 'test@website.com' },
    });
  });

  it('names no actor when the summary does not name the user of the events', () => {
    expect(
      onlyFinding(parseEvent(loadFixtureObject('siem/mozdef-alert-duo-bypass-generated.json'))).actor,
    ).toBeUndefined();
  });

  it('reads the bare alert and identifies it by its time, rule and summary', () => {
    const alert = (loadFixtureObject(SSH) as Json)._source;
    const finding = onlyFinding(parseEvent(alert));
    expect(finding.sourceId).toBe('AlertGenericLoader:ssh_open_crit@2019-11-04T23:04:36.351Z');
    expect(finding.fingerprint).toBe(
      `mzd-${createHash('sha256')
        .update(
          'mozdef/2019-11-04T23:04:36.351Z/AlertGenericLoader:ssh_open_crit/Session opened on sensitive host by (1): tester [test@website.com]',
        )
        .digest('hex')
        .slice(0, 32)}`,
    );
    expect(onlyFinding(parseEvent(alert)).fingerprint).toBe(finding.fingerprint);
  });

  it('reports source addresses from the alert details, private ones as context', () => {
    const hit = loadFixtureObject(SSH) as Json;
    hit._source.details = { sourceipaddress: '192.168.4.20', destinationipaddress: '52.94.236.248' };
    hit._source.events = [];
    hit._source.summary = 'Scan detected';
    expect(onlyFinding(parseEvent(hit)).observables).toStrictEqual([
      { dataType: 'ip', data: '192.168.4.20', tags: ['src', 'private'], ioc: false },
      { dataType: 'ip', data: '52.94.236.248', tags: ['dst'], ioc: true },
    ]);
  });

  it('keeps an absolute alert URL as it is', () => {
    const hit = loadFixtureObject(SSH) as Json;
    hit._source.url = 'https://mana.example.org/wiki/ssh-sensitive-hosts';
    expect(onlyFinding(parseEvent(hit)).consoleUrl).toBe('https://mana.example.org/wiki/ssh-sensitive-hosts');
  });

  it.each([
    [
      'an unknown severity',
      { severity: 'SEVERE' },
      '_source.severity: expected INFO, NOTICE, WARNING, ERROR or CRITICAL',
    ],
    ['a missing severity', { severity: undefined }, '_source.severity: required'],
    ['a missing time', { utctimestamp: undefined }, '_source.utctimestamp: required'],
  ])('rejects an alert with %s', (_case, change, error) => {
    const hit = loadFixtureObject(SSH) as Json;
    hit._source = { ...hit._source, ...change };
    expect(parseEvent(hit).rejected).toEqual([{ index: 0, error }]);
  });

  it('rejects a hit without a document id', () => {
    const hit = loadFixtureObject(SSH) as Json;
    delete hit._id;
    expect(parseEvent(hit).rejected).toEqual([{ index: 0, error: '_id: required' }]);
  });
});
