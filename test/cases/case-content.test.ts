import {
  caseDescription,
  caseRequests,
  promotionFor,
  sourceRefFor,
  theHiveAlertFor,
  theHiveSeverity,
  THEHIVE_LIMITS,
} from '../../src/cases/case-content';
import type { Severity } from '../../src/domain/finding';
import { makeAlertRecord } from '../helpers/alerts';

const SETTINGS = { tlp: 2, pap: 2 };

function descriptionSection(description: string): string {
  return description.split('#### Description\n\n')[1]!.split('\n\n_Escalated')[0]!;
}

describe('caseDescription', () => {
  it('renders links, images and HTML from the finding as literal text', () => {
    const alert = makeAlertRecord({
      finding: {
        description:
          'See [click](https://evil.example/login) ![pixel](https://evil.example/p.png) <img src=x onerror=alert(1)>',
      },
    });
    expect(descriptionSection(caseDescription(alert, 'U0ALICE'))).toBe(
      'See \\[click\\](hxxps://evil[.]example/login) !\\[pixel\\](hxxps://evil[.]example/p.png) ' +
        '\\<img src=x onerror=alert(1)>',
    );
  });

  it('keeps table rows and headings from the finding inert across newlines', () => {
    const alert = makeAlertRecord({ finding: { description: 'first\n| a | b |\n# Heading\n* item' } });
    expect(descriptionSection(caseDescription(alert, 'U0ALICE'))).toBe(
      'first\n\\| a \\| b \\|\n\\# Heading\n\\* item',
    );
  });

  it('keeps a line of = or - from making the line above it a heading', () => {
    const alert = makeAlertRecord({ finding: { description: 'Forged heading\n===\nAnother\n---' } });
    expect(descriptionSection(caseDescription(alert, 'U0ALICE'))).toBe(
      'Forged heading\n\\===\nAnother\n\\---',
    );
  });

  it('keeps a multi-line title on its heading line', () => {
    const alert = makeAlertRecord({ finding: { title: 'Port probe\nforged heading\n===' } });
    // On the heading's own line, `===` is text: only a line of its own would underline.
    expect(caseDescription(alert, 'U0ALICE').split('\n')[0]).toBe('### Port probe forged heading ===');
  });

  it('leaves addresses, regions, times and ids as they read: no escape where Markdown does nothing', () => {
    const alert = makeAlertRecord({
      finding: {
        description:
          'API call from 199.241.229.197 in us-east-1 at 2026-11-24T08:00:00.000Z (pam_unix, 3 * 4 = 12)',
        region: 'us-east-1',
      },
    });
    const description = caseDescription(alert, 'U0ALICE');
    expect(descriptionSection(description)).toBe(
      'API call from 199.241.229.197 in us-east-1 at 2026-11-24T08:00:00.000Z (pam_unix, 3 * 4 = 12)',
    );
    expect(description.split('\n')).toContain('| Region | us-east-1 |');
  });

  it('defangs every URL and host name from the finding, in the title, the table and the description', () => {
    const alert = makeAlertRecord({
      finding: {
        title: 'Beacon to https://evil.example/login',
        sourceId: 'www.evil.com',
        description: [
          'https://3232235777/login',
          'HTTPS://Evil.Example:8443/a?b=c#d and ftp://files.evil.example/x',
          'hxxp://already[.]defanged and fhttps://evil.example (mid-word)',
          'bare evil.example, www.evil.com, invoice.zip, пример.рф, mail jdoe@example.com',
          'not hosts: 199.241.229.197, v1.2.3, BitcoinTool.B, InstanceCredentialExfiltration.OutsideAWS',
        ].join('\n'),
      },
    });
    const description = caseDescription(alert, 'U0ALICE');
    expect(description.split('\n')[0]).toBe('### Beacon to hxxps://evil[.]example/login');
    expect(description.split('\n')).toContain('| Finding id | www[.]evil[.]com |');
    expect(descriptionSection(description)).toBe(
      [
        'hxxps://3232235777/login',
        'HxxPS://Evil[.]Example:8443/a?b=c#d and fxp://files[.]evil[.]example/x',
        'hxxp://already\\[.\\]defanged and fhxxps://evil[.]example (mid-word)',
        'bare evil[.]example, www[.]evil[.]com, invoice[.]zip, пример[.]рф, mail jdoe@example[.]com',
        'not hosts: 199.241.229.197, v1.2.3, BitcoinTool.B, InstanceCredentialExfiltration.OutsideAWS',
      ].join('\n'),
    );
  });

  it('shows invisible and direction characters as code points, in the title, the table and the description', () => {
    const alert = makeAlertRecord({
      finding: {
        title: 'Download of invoice\u202Efdp.exe',
        customer: 'acme\u200B',
        description: 'User adm\u200Bin ran \u2066it\u2069\uFEFF',
      },
    });
    const description = caseDescription(alert, 'U0ALICE');
    expect(description.split('\n')[0]).toBe('### Download of invoice\\<U+202E>fdp.exe');
    expect(description.split('\n')).toContain('| Customer | acme\\<U+200B> |');
    expect(descriptionSection(description)).toBe('User adm\\<U+200B>in ran \\<U+2066>it\\<U+2069>\\<U+FEFF>');
    expect(description).not.toMatch(/[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/);
    expect(theHiveAlertFor(alert, SETTINGS, 'U0ALICE').title).toBe('Download of invoice<U+202E>fdp.exe');
  });

  it('keeps a hostile value inside its own table cell', () => {
    const alert = makeAlertRecord({ finding: { sourceId: 'id|forged | row\n| Injected | yes |' } });
    expect(caseDescription(alert, 'U0ALICE').split('\n')).toContain(
      '| Finding id | id\\|forged \\| row \\| Injected \\| yes \\| |',
    );
  });

  it('links only to http(s) console URLs and escapes the characters that would end the link', () => {
    const hostile = makeAlertRecord({
      finding: { consoleUrl: 'https://console.example/x) [phish](https://evil.example', source: 'guardduty' },
    });
    expect(caseDescription(hostile, 'U0ALICE')).toContain(
      'Links: [Open in the AWS console](https://console.example/x%29%20[phish]%28https://evil.example) · ',
    );
    const script = makeAlertRecord({ finding: { consoleUrl: 'javascript:alert(1)' } });
    expect(caseDescription(script, 'U0ALICE')).toContain('Links: Open in the AWS console · [Slack alert](');
  });
  it('names the Slack user who asked for the case, escaped', () => {
    expect(caseDescription(makeAlertRecord(), 'U0ALICE').split('\n').at(-1)).toBe(
      '_Escalated from Slack by Slack user U0ALICE with Hivewire (fingerprint gd-4f1c2a9e7b3d5c60)._',
    );
    expect(caseDescription(makeAlertRecord(), '[x](https://evil.example)')).toContain(
      'by Slack user \\[x\\](hxxps://evil[.]example) with Hivewire',
    );
  });
});

describe('theHiveAlertFor', () => {
  it(`cuts the title to ${THEHIVE_LIMITS.title} characters and each tag to ${THEHIVE_LIMITS.tag}`, () => {
    const alert = makeAlertRecord({
      finding: {
        title: 'T'.repeat(600),
        type: `Type/${'y'.repeat(200)}`,
        customer: 'c'.repeat(200),
        observables: [{ dataType: 'ip', data: '198.51.100.23', tags: ['t'.repeat(129)] }],
      },
    });
    const input = theHiveAlertFor(alert, SETTINGS, 'U0ALICE');
    expect(input.title).toBe(`${'T'.repeat(511)}…`);
    expect(input.tags).toEqual([
      `customer:${'c'.repeat(118)}…`,
      'source:guardduty',
      'aws-account:111122223333',
      'region:eu-west-1',
      `Type/${'y'.repeat(122)}…`,
    ]);
    expect(input.observables).toEqual([
      { dataType: 'ip', data: '198.51.100.23', tags: [`${'t'.repeat(127)}…`] },
    ]);
  });

  it('leaves out the account and region tags of a finding without them', () => {
    const alert = makeAlertRecord({
      finding: { source: 'siem', accountId: undefined, region: undefined, type: 'Account Manipulation' },
    });
    expect(theHiveAlertFor(alert, SETTINGS, 'U0ALICE').tags).toEqual([
      'customer:acme',
      'source:siem',
      'Account Manipulation',
    ]);
  });

  it('takes TLP and PAP from the settings', () => {
    expect(theHiveAlertFor(makeAlertRecord(), { tlp: 4, pap: 0 }, 'U0ALICE')).toMatchObject({
      tlp: 4,
      pap: 0,
    });
  });
});

describe('sourceRefFor', () => {
  it('is the fingerprint when it fits', () => {
    expect(sourceRefFor('gd-4f1c2a9e7b3d5c60')).toBe('gd-4f1c2a9e7b3d5c60');
  });

  it(`is cut to ${THEHIVE_LIMITS.sourceRef} characters`, () => {
    const ref = sourceRefFor('f'.repeat(300));
    expect(Array.from(ref)).toHaveLength(128);
    expect(ref).toBe(`${'f'.repeat(127)}…`);
  });
});

describe('theHiveSeverity', () => {
  it.each<[Severity, number]>([
    ['INFORMATIONAL', 1],
    ['LOW', 1],
    ['MEDIUM', 2],
    ['HIGH', 3],
    ['CRITICAL', 4],
  ])('maps %s to %d', (severity, expected) => {
    expect(theHiveSeverity(severity)).toBe(expected);
  });
});

describe('promotionFor', () => {
  it('names the case template only when one is configured', () => {
    expect(promotionFor({ ...SETTINGS, caseTemplate: 'AWS finding' })).toEqual({
      caseTemplate: 'AWS finding',
    });
    expect(promotionFor(SETTINGS)).toEqual({});
  });
});

describe('caseRequests', () => {
  it('is the alert with its observables inline, then its promotion', () => {
    const alert = makeAlertRecord({
      finding: {
        fingerprint: 'siem-7d0e2b',
        source: 'siem',
        product: 'USM Anywhere',
        sourceId: 'a1b2',
        title: 'Password reset attempts',
        description: 'Three resets',
        severity: 'MEDIUM',
        sourceSeverity: 'medium',
        type: 'Account Manipulation',
        accountId: undefined,
        accountName: undefined,
        region: undefined,
        resource: undefined,
        actor: undefined,
        consoleUrl: 'https://acme.alienvault.cloud/#/alarm/a1b2',
        observables: [{ dataType: 'mail', data: 'jdoe@example.com', ioc: false }],
        count: 3,
      },
      permalink: undefined,
    });

    expect(caseRequests(alert, { tlp: 2, pap: 2 }, 'U0BOB')).toEqual([
      {
        method: 'POST',
        path: '/api/v1/alert',
        body: {
          type: 'hivewire',
          source: 'siem',
          sourceRef: 'siem-7d0e2b',
          title: 'Password reset attempts',
          description: [
            '### Password reset attempts',
            '',
            '| Field | Value |',
            '| --- | --- |',
            '| Source | USM Anywhere (siem) |',
            '| Finding id | a1b2 |',
            '| Type | Account Manipulation |',
            '| Severity | MEDIUM (source value medium) |',
            '| Customer | acme |',
            '| First seen | 2026-11-24T08:00:00.000Z |',
            '| Last seen | 2026-11-25T10:00:00.000Z |',
            '| Count | 3 |',
            '',
            'Links: [Open in the SIEM](https://acme.alienvault.cloud/#/alarm/a1b2)',
            '',
            '#### Description',
            '',
            'Three resets',
            '',
            '_Escalated from Slack by Slack user U0BOB with Hivewire (fingerprint siem-7d0e2b)._',
          ].join('\n'),
          severity: 2,
          date: Date.parse('2026-11-24T08:00:00.000Z'),
          tags: ['customer:acme', 'source:siem', 'Account Manipulation'],
          tlp: 2,
          pap: 2,
          externalLink: 'https://acme.alienvault.cloud/#/alarm/a1b2',
          observables: [{ dataType: 'mail', data: 'jdoe@example.com', ioc: false }],
        },
      },
      { method: 'POST', path: '/api/v1/alert/{alertId}/case', body: {} },
    ]);
  });
});
