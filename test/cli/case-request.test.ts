/**
 * `hivewire case-request <file|->`: the TheHive requests "Create Case" would send, offline.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';

const ROOT = join(__dirname, '..', '..');
const FIXTURE = 'fixtures/siem/mozdef-alert-ssh-sensitive-host.json';

const EXPECTED = {
  requests: [
    {
      method: 'POST',
      path: '/api/v1/alert',
      body: {
        type: 'hivewire',
        source: 'siem',
        sourceRef: 'mzd-18f4b620f64e29772deddecda62c0c55',
        title: 'Session opened on sensitive host by (1): tester [test@website.com]',
        description: [
          '### Session opened on sensitive host by (1): tester \\[test@website[.]com\\]',
          '',
          '| Field | Value |',
          '| --- | --- |',
          '| Source | MozDef (siem) |',
          '| Finding id | jY29OGBBCfj908U9z3kd |',
          '| Type | AlertGenericLoader:ssh_open_crit |',
          '| Severity | MEDIUM (source value WARNING) |',
          '| Customer | internal |',
          '| Resource | Host a[.]host[.]website[.]com |',
          '| First seen | 2019-11-04T23:03:17.000Z |',
          '| Last seen | 2019-11-04T23:03:17.000Z |',
          '| Count | 1 |',
          '| User | tester \\<test@website[.]com> |',
          '',
          'Links: [Open in the SIEM](https://website.com/)',
          '',
          '#### Description',
          '',
          'Session opened on sensitive host by (1): tester \\[test@website[.]com\\]',
          'pam_unix(sshd:session): session opened for user tester by (uid=0)',
          '',
          '_Escalated from Slack by Slack user {requestedBy} with Hivewire (fingerprint mzd-18f4b620f64e29772deddecda62c0c55)._',
        ].join('\n'),
        severity: 2,
        date: Date.parse('2019-11-04T23:03:17.000Z'),
        tags: ['customer:internal', 'source:siem', 'AlertGenericLoader:ssh_open_crit'],
        tlp: 2,
        pap: 2,
        externalLink: 'https://website.com',
        observables: [
          { dataType: 'ip', data: '1.2.3.4', tags: ['src'], ioc: true },
          { dataType: 'other', data: 'tester', tags: ['user-name'], ioc: false },
          { dataType: 'hostname', data: 'a.host.website.com', tags: ['host'], ioc: false },
          { dataType: 'mail', data: 'test@website.com', tags: ['from-text'], ioc: false },
        ],
      },
    },
    { method: 'POST', path: '/api/v1/alert/{alertId}/case', body: {} },
  ],
  skipped: [],
  rejected: [],
};

/** Runs `main` in-process, capturing what it writes. */
async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(args, {});
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

function tempFile(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'hivewire-case-request-')), 'event.json');
  writeFileSync(path, content);
  return path;
}

describe('hivewire case-request', () => {
  it('prints the alert and its promotion for a finding, exactly', async () => {
    const { code, stdout, stderr } = await run(['case-request', join(ROOT, FIXTURE)]);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual(EXPECTED);
  });

  it('reads the event from stdin when given -', () => {
    const result = spawnSync(process.execPath, ['bin/hivewire.js', 'case-request', '-'], {
      cwd: ROOT,
      input: readFileSync(join(ROOT, FIXTURE)),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      encoding: 'utf8',
    });

    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(EXPECTED);
  });

  it('shows invisible characters and defangs URLs and host names in what it prints', async () => {
    const alert = JSON.parse(readFileSync(join(ROOT, FIXTURE), 'utf8')) as {
      _source: Record<string, unknown>;
    };
    alert._source.summary =
      'Beacon from invoice\u202Efdp.exe to https://3232235777/login via cdn.evil.example';
    const { code, stdout } = await run(['case-request', tempFile(JSON.stringify(alert))]);

    expect(code).toBe(0);
    const body = (JSON.parse(stdout) as { requests: { body: { title: string; description: string } }[] })
      .requests[0]!.body;
    expect(body.title).toBe(
      'Beacon from invoice<U+202E>fdp.exe to https://3232235777/login via cdn.evil.example',
    );
    expect(body.description.split('\n')[0]).toBe(
      '### Beacon from invoice\\<U+202E>fdp.exe to hxxps://3232235777/login via cdn[.]evil[.]example',
    );
    expect(body.description).not.toMatch(/https?:\/\/(?!website\.com)|\u202E/);
  });

  it('exits 2 on input that is not JSON', async () => {
    const path = tempFile('nope');
    const { code, stdout, stderr } = await run(['case-request', path]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(`^hivewire case-request: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not JSON \\(`),
    );
  });

  it('exits 2 on input nested deeper than 512 levels, naming the limit', async () => {
    const path = tempFile(`{"detail":${'['.repeat(5000)}${']'.repeat(5000)}}`);
    const { code, stdout, stderr } = await run(['case-request', path]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`hivewire case-request: ${path}: nested deeper than 512 levels\n`);
  });

  it('exits 1 with no requests when every finding is rejected, the rejections in the JSON', async () => {
    const { code, stdout, stderr } = await run(['case-request', tempFile('{"foo":1}')]);

    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      requests: [],
      skipped: [],
      rejected: [{ index: 0, error: expect.stringMatching(/^input: unrecognised input: /) }],
    });
  });

  it('exits 1 with no requests when the event holds no finding, the skip in the JSON', async () => {
    const cloudTrail = join(ROOT, 'fixtures/aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json');
    const { code, stdout, stderr } = await run(['case-request', cloudTrail]);

    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      requests: [],
      skipped: [{ index: 0, reason: 'detail-type "AWS API Call via CloudTrail" is not a finding event' }],
      rejected: [],
    });
  });
});
