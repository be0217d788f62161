/**
 * AlienVault / AT&T USM Anywhere alarms.
 */
import { parseEvent } from '../../src/findings/parse';
import { loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const RESET = 'siem/usm-anywhere-alarm-password-reset-attempts.json';
const SCHEDULED = 'siem/usm-anywhere-alarm-windows-scheduled-job.json';

describe('USM Anywhere alarms', () => {
  it('reads the rule, its ATT&CK mapping, the event times and the alarm link', () => {
    const finding = onlyFinding(parseEvent(loadFixtureObject(RESET)));
    expect(finding).toMatchObject({
      source: 'siem',
      product: 'USM Anywhere',
      sourceId: 'some_uuid',
      description:
        'Delivery & Attack / Anomalous User Behavior / Multiple Account Password Reset Attempts\nMITRE ATT&CK T1110 Brute Force (Credential Access)',
      firstSeen: '2021-08-17T08:12:28.000Z',
      lastSeen: '2021-08-17T08:15:57.000Z',
      updatedAt: '2021-08-17T08:17:03.106Z',
      consoleUrl: 'https://some.alienvault.cloud/api/2.0/alarms/some_uuid',
      actor: { name: 'src.username' },
      resource: { kind: 'Host', id: 'some_destination_name', name: 'some_destination_name' },
    });
  });

  it('reads epoch-millisecond strings when the ISO variants are missing', () => {
    const alarm = loadFixtureObject(SCHEDULED);
    delete alarm.timestamp_occured_iso8601;
    delete alarm.timestamp_received_iso8601;
    expect(onlyFinding(parseEvent(alarm))).toMatchObject({
      firstSeen: '2020-06-08T18:05:19.000Z',
      lastSeen: '2020-06-08T18:05:19.000Z',
      updatedAt: '2020-06-08T18:06:17.405Z',
    });
  });

  it('names no actor for a machine account (HOST$)', () => {
    expect(onlyFinding(parseEvent(loadFixtureObject(SCHEDULED))).actor).toBeUndefined();
  });

  it('unwraps the alarm a notification rule sends under "message"', () => {
    const alarm = loadFixtureObject(SCHEDULED);
    const finding = onlyFinding(parseEvent({ timeStamp: 1591639577405, enriched: true, message: alarm }));
    expect(finding.fingerprint).toBe(onlyFinding(parseEvent(alarm)).fingerprint);
    const broken = { ...alarm, uuid: '' };
    expect(parseEvent({ timeStamp: 1, enriched: true, message: broken }).rejected).toEqual([
      { index: 0, error: 'message.uuid: expected the alarm uuid' },
    ]);
  });

  it('reports event addresses, hashes, URLs and DNS names, public addresses as indicators', () => {
    const alarm = loadFixtureObject(RESET) as Json;
    alarm.events = [
      {
        timeStamp: 1629188002363,
        message: {
          source_address: '45.33.32.156',
          destination_address: '10.20.0.5',
          destination_name: 'WIN-DC01',
          file_hash_sha256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855',
          request_url: 'http://update.badexample.net/a.ps1',
          dns_rrname: 'update.badexample.net',
          malware_family: 'Emotet',
        },
      },
    ];
    expect(onlyFinding(parseEvent(alarm)).observables).toStrictEqual([
      { dataType: 'other', data: 'src.username', tags: ['user-name', 'src'], ioc: false },
      { dataType: 'other', data: 'some.user', tags: ['user-name', 'dst'], ioc: false },
      { dataType: 'ip', data: '45.33.32.156', tags: ['src'], ioc: true },
      { dataType: 'ip', data: '10.20.0.5', tags: ['dst', 'private'], ioc: false },
      { dataType: 'hostname', data: 'win-dc01', tags: ['dst-host'], ioc: false },
      {
        dataType: 'hash',
        data: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        tags: ['file', 'sha256'],
        ioc: true,
      },
      { dataType: 'url', data: 'http://update.badexample.net/a.ps1', tags: ['request-url'], ioc: true },
      { dataType: 'domain', data: 'update.badexample.net', tags: ['dns-request'], ioc: true },
      { dataType: 'other', data: 'Emotet', tags: ['malware'], ioc: false },
    ]);
  });

  it('derives the severity from the numeric priority when the label is missing', () => {
    const alarm = loadFixtureObject(SCHEDULED);
    delete alarm.priority_label;
    alarm.priority = 80;
    expect(onlyFinding(parseEvent(alarm))).toMatchObject({ severity: 'HIGH', sourceSeverity: 'priority 80' });
  });

  it('rejects an alarm with neither priority label nor priority', () => {
    const alarm = loadFixtureObject(SCHEDULED);
    delete alarm.priority_label;
    delete alarm.priority;
    expect(parseEvent(alarm).rejected).toEqual([
      { index: 0, error: 'priority_label: required (low, medium, high), or a numeric priority' },
    ]);
  });

  it('rejects an alarm whose time cannot be read', () => {
    const alarm = loadFixtureObject(SCHEDULED);
    for (const key of [
      'timestamp_occured',
      'timestamp_occured_iso8601',
      'timestamp_received',
      'timestamp_received_iso8601',
    ]) {
      alarm[key] = 'yesterday';
    }
    expect(parseEvent(alarm).rejected).toEqual([{ index: 0, error: 'timestamp_occured: required' }]);
  });
});
