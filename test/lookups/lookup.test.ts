import { LOOKUP_TARGETS_MAX, lookupTargetsFromText, lookupTargetsOfAlert } from '../../src/lookups/targets';
import { makeAlertRecord } from '../helpers/alerts';

describe('lookupTargetsFromText', () => {
  it('finds defanged URLs, domains, public IPs and hashes as an analyst pastes them', () => {
    const text =
      'beacon hxxp://evil[.]example.com/a.exe from 8.8.8[.]8, dropper 44d88612fea8a8f36de82e1278abb02f, c2 bad-domain[.]com';
    expect(lookupTargetsFromText(text)).toEqual({
      targets: [
        { dataType: 'url', value: 'http://evil.example.com/a.exe' },
        { dataType: 'ip', value: '8.8.8.8' },
        { dataType: 'domain', value: 'bad-domain.com' },
        { dataType: 'hash', value: '44d88612fea8a8f36de82e1278abb02f' },
      ],
      skipped: [],
    });
  });

  it('skips private addresses, saying why', () => {
    expect(lookupTargetsFromText('10.0.0.5 and 192.168.1.1')).toEqual({
      targets: [],
      skipped: [
        { value: '10.0.0.5', reason: 'private address' },
        { value: '192.168.1.1', reason: 'private address' },
      ],
    });
  });

  it(`looks up at most ${LOOKUP_TARGETS_MAX} values at once`, () => {
    const ips = Array.from({ length: 12 }, (_, i) => `8.8.4.${i + 1}`).join(' ');
    const { targets, skipped } = lookupTargetsFromText(ips);
    expect(targets).toHaveLength(LOOKUP_TARGETS_MAX);
    expect(skipped).toEqual([
      { value: '8.8.4.11', reason: 'over 10 per lookup' },
      { value: '8.8.4.12', reason: 'over 10 per lookup' },
    ]);
  });
});

describe('lookupTargetsOfAlert', () => {
  it("takes the alert's indicators only, never its context", () => {
    const alert = makeAlertRecord({
      finding: {
        observables: [
          { dataType: 'ip', data: '198.51.100.23', ioc: true },
          { dataType: 'ip', data: '10.0.0.1', ioc: false },
          { dataType: 'fqdn', data: 'c2.evil.example', ioc: true },
          { dataType: 'other', data: 'jdoe', ioc: false },
          { dataType: 'hash', data: 'a'.repeat(64), ioc: true },
        ],
      },
    });
    expect(lookupTargetsOfAlert(alert)).toEqual([
      { dataType: 'ip', value: '198.51.100.23' },
      { dataType: 'domain', value: 'c2.evil.example' },
      { dataType: 'hash', value: 'a'.repeat(64) },
    ]);
  });
});
