/**
 * Security Hub findings in ASFF: batches, every product's naming and severity, our own echoes,
 * and rejections that name the field.
 */
import { HIVEWIRE_NOTE_AUTHOR } from '../../src/findings/asff';
import { parseEvent } from '../../src/findings/parse';
import { loadFixtureObject, onlyFinding } from './load-fixture';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixtures are edited freely in tests

const PROWLER_EVENT = 'aws/securityhub-custom-action-prowler.json';

function prowlerFinding(): Json {
  return (loadFixtureObject(PROWLER_EVENT) as Json).detail.findings[0];
}

function imported(findings: unknown[]): Json {
  return {
    version: '0',
    'detail-type': 'Security Hub Findings - Imported',
    source: 'aws.securityhub',
    account: '123456789012',
    region: 'us-east-1',
    detail: { findings },
  };
}

describe('Hivewire echoes', () => {
  it('writes its Security Hub notes as "hivewire"', () => {
    expect(HIVEWIRE_NOTE_AUTHOR).toBe('hivewire');
  });

  it('skips the finding Security Hub re-emits after our own update', () => {
    const result = parseEvent(
      loadFixtureObject('derived/securityhub-imported-guardduty-sshbruteforce-hivewire-echo.json'),
    );
    expect(result).toEqual({
      findings: [],
      skipped: [
        { index: 0, reason: 'Security Hub echo of Hivewire\'s own update (Note.UpdatedBy "hivewire")' },
      ],
      rejected: [],
    });
  });

  it('lets through a provider update that came after our note', () => {
    const finding = onlyFinding(
      parseEvent(
        loadFixtureObject('derived/securityhub-imported-guardduty-sshbruteforce-after-hivewire-note.json'),
      ),
    );
    expect([finding.count, finding.workflowStatus, finding.updatedAt]).toEqual([
      75,
      'NOTIFIED',
      '2020-09-30T18:14:00.206Z',
    ]);
  });

  it('does not skip findings noted by someone else', () => {
    const finding = prowlerFinding();
    finding.Note = { Text: 'triaged', UpdatedBy: 'alice', UpdatedAt: '2030-01-01T00:00:00Z' };
    expect(parseEvent(finding).findings).toHaveLength(1);
  });
});

describe('ASFF batches', () => {
  it('normalises every finding of a Custom Action event and numbers rejections by position', () => {
    const good = prowlerFinding();
    const second = { ...prowlerFinding(), Id: 'prowler-second' };
    const broken = { ...prowlerFinding(), Severity: undefined };
    const event = loadFixtureObject(PROWLER_EVENT) as Json;
    event.detail.findings = [good, broken, second];
    const result = parseEvent(event);
    expect(result.findings.map((finding) => finding.sourceId)).toEqual([good.Id, 'prowler-second']);
    expect(result.rejected).toEqual([{ index: 1, error: 'detail.findings[1].Severity: required' }]);
  });

  it('reads a bare ASFF array (index = position in the array)', () => {
    const result = parseEvent([
      prowlerFinding(),
      loadFixtureObject('aws/asff-accessanalyzer-s3-crossaccount.json'),
    ]);
    expect(result.findings.map((finding) => finding.product)).toEqual(['Prowler', 'IAM Access Analyzer']);
  });

  it('reads the GetFindings answer shape ({"Findings": [...]})', () => {
    const result = parseEvent({ Findings: [prowlerFinding()] });
    expect(onlyFinding(result).product).toBe('Prowler');
  });
});

describe('ASFF fields', () => {
  it('derives the label from Normalized when Label is missing, keeping the source value', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('aws/asff-guardduty-recon-iamuser-maliciousipcaller.json')),
    );
    expect([finding.severity, finding.sourceSeverity]).toEqual(['MEDIUM', 'Normalized 50']);
  });

  it.each([
    [{ Label: 'critical' }, 'CRITICAL', 'critical'],
    [{ Normalized: 0 }, 'INFORMATIONAL', 'Normalized 0'],
    [{ Normalized: 39 }, 'LOW', 'Normalized 39'],
    [{ Normalized: '90' }, 'CRITICAL', 'Normalized 90'],
    [{ Product: 75 }, 'HIGH', 'Product 75'],
    [{ Label: 'HIGH', Original: '8.1' }, 'HIGH', '8.1'],
  ])('reads Severity %j as %s', (severity, expected, text) => {
    const finding = prowlerFinding();
    finding.Severity = severity;
    expect(onlyFinding(parseEvent(finding))).toMatchObject({ severity: expected, sourceSeverity: text });
  });

  it("reads a GuardDuty Product score on GuardDuty's own scale", () => {
    const finding = loadFixtureObject('aws/asff-guardduty-sshbruteforce.json');
    finding.Severity = { Product: 8 };
    expect(onlyFinding(parseEvent(finding)).severity).toBe('HIGH');
  });

  it('falls back to FindingProviderFields.Severity', () => {
    const finding = prowlerFinding();
    delete finding.Severity;
    finding.FindingProviderFields = { Severity: { Label: 'LOW' } };
    expect(onlyFinding(parseEvent(finding)).severity).toBe('LOW');
  });

  it('names the product: AWS services by ARN, partners by ProviderName, else the company', () => {
    expect(onlyFinding(parseEvent(prowlerFinding())).product).toBe('Prowler');
    const unnamed = prowlerFinding();
    delete unnamed.ProductFields.ProviderName;
    expect(onlyFinding(parseEvent(unnamed)).product).toBe('Personal');
  });

  it('links the Security Hub console filtered on the finding id when the finding has no SourceUrl', () => {
    const finding = onlyFinding(parseEvent(loadFixtureObject('aws/securityhub-imported-afsbp-ec2-7.json')));
    expect(finding.consoleUrl).toBe(
      'https://us-east-1.console.aws.amazon.com/securityhub/home?region=us-east-1#/findings?search=Id%3D%255Coperator%255C%253AEQUALS%255C%253Aarn%253Aaws%253Asecurityhub%253Aus-east-1%253A111111111111%253Asubscription%252Faws-foundational-security-best-practices%252Fv%252F1.0.0%252FEC2.7%252Ffinding%252F0003b335-cf3f-4f93-a025-6b1a7baced06',
    );
    expect(finding.securityHub).toStrictEqual({
      id: 'arn:aws:securityhub:us-east-1:111111111111:subscription/aws-foundational-security-best-practices/v/1.0.0/EC2.7/finding/0003b335-cf3f-4f93-a025-6b1a7baced06',
      productArn: 'arn:aws:securityhub:us-east-1::product/aws/securityhub',
    });
  });

  it('keeps the SourceUrl the provider gave', () => {
    const finding = onlyFinding(
      parseEvent(loadFixtureObject('aws/asff-accessanalyzer-s3-crossaccount.json')),
    );
    expect(finding.consoleUrl).toBe(
      'https://console.aws.amazon.com/access-analyzer/home?region=us-west-2#/findings/details/dad90d5d-63b4-6575-b0fa-ef9c556ge798',
    );
  });

  it("takes the region of the Security Hub product ARN over the envelope's", () => {
    expect(onlyFinding(parseEvent(loadFixtureObject(PROWLER_EVENT))).region).toBe('eu-west-1');
  });

  it('reads the workflow status from the deprecated WorkflowState when Workflow is missing', () => {
    const finding = prowlerFinding();
    delete finding.Workflow;
    finding.WorkflowState = 'RESOLVED';
    expect(onlyFinding(parseEvent(finding)).workflowStatus).toBe('RESOLVED');
  });

  it('names the IAM user of an access-key finding as actor', () => {
    const finding = loadFixtureObject('aws/asff-guardduty-recon-iamuser-maliciousipcaller.json');
    (finding.Resources as Json[])[0]!.Details.AwsIamAccessKey.UserName = 'jdoe';
    expect(onlyFinding(parseEvent(finding)).actor).toStrictEqual({ name: 'jdoe' });
  });

  it('sorts third-party threat findings by the resource they touch', () => {
    const finding = prowlerFinding();
    finding.Types = ['TTPs/Credential Access/Brute Force'];
    finding.Resources = [{ Type: 'AwsIamUser', Id: 'arn:aws:iam::123456789012:user/jdoe' }];
    expect(onlyFinding(parseEvent(finding)).kind).toBe('iam');
  });
});

describe('ASFF observables', () => {
  it('reports the remote side of an inbound Network block as the indicator', () => {
    const finding = prowlerFinding();
    finding.Types = ['TTPs/Initial Access'];
    finding.Network = {
      Direction: 'IN',
      SourceIpV4: '185.220.101.4',
      SourcePort: 51514,
      DestinationIpV4: '10.1.2.3',
      DestinationPort: 443,
      SourceDomain: 'tor-exit.example.org',
    };
    finding.Title = 'Inbound connection from a Tor exit node';
    finding.Description = 'Inbound connection from a Tor exit node';
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'ip', data: '185.220.101.4', tags: ['remote-ip'], ioc: true },
      { dataType: 'domain', data: 'tor-exit.example.org', tags: ['remote-ip'], ioc: true },
      { dataType: 'ip', data: '10.1.2.3', tags: ['local-ip', 'private'], ioc: false },
      { dataType: 'other', data: '51514', tags: ['port:remote'], ioc: false },
      { dataType: 'other', data: '443', tags: ['port:local'], ioc: false },
    ]);
  });

  it('reports the destination of an outbound Network block as the indicator', () => {
    const finding = prowlerFinding();
    finding.Types = ['TTPs/Command and Control'];
    finding.Network = { Direction: 'OUT', SourceIpV4: '10.1.2.3', DestinationIpV6: '2a01:4f8:c0c:1234::2' };
    finding.Title = 'Outbound beacon';
    finding.Description = 'Outbound beacon';
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'ip', data: '10.1.2.3', tags: ['local-ip', 'private'], ioc: false },
      { dataType: 'ip', data: '2a01:4f8:c0c:1234::2', tags: ['remote-ip'], ioc: true },
    ]);
  });

  it('reports the CVEs and packages of an Inspector finding, and no text', () => {
    const finding = prowlerFinding();
    finding.ProductArn = 'arn:aws:securityhub:eu-west-1::product/aws/inspector';
    finding.Title = 'CVE-2023-44487 - golang.org/x/net';
    finding.Vulnerabilities = [
      { Id: 'CVE-2023-44487', VulnerablePackages: [{ Name: 'golang.org/x/net', Version: 'v0.1.0' }] },
      { Id: 'GHSA-qppj-fm5r-hxr3', VulnerablePackages: [] },
    ];
    const normalised = onlyFinding(parseEvent(finding));
    expect([normalised.product, normalised.kind]).toEqual(['Inspector', 'compliance']);
    expect(normalised.observables).toStrictEqual([
      { dataType: 'other', data: 'CVE-2023-44487', tags: ['cve'], ioc: false },
      {
        dataType: 'other',
        data: 'golang.org/x/net',
        tags: ['package'],
        ioc: false,
        message: 'installed v0.1.0',
      },
      { dataType: 'other', data: 'GHSA-qppj-fm5r-hxr3', tags: ['vulnerability'], ioc: false },
    ]);
  });

  it('reports malware and process names and paths', () => {
    const finding = prowlerFinding();
    finding.Types = ['TTPs/Execution'];
    finding.Malware = [{ Name: 'Mirai', Path: '/tmp/.m/mirai.arm7' }];
    finding.Process = { Name: 'mirai.arm7', Path: '/tmp/.m/mirai.arm7' };
    finding.Title = 'Malware detected';
    finding.Description = 'Malware detected';
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      { dataType: 'other', data: 'Mirai', tags: ['malware'], ioc: false },
      { dataType: 'filename', data: '/tmp/.m/mirai.arm7', tags: ['malware', 'process-path'], ioc: false },
      { dataType: 'other', data: 'mirai.arm7', tags: ['process'], ioc: false },
    ]);
  });

  it('reads GuardDuty action details given in ASFF Action, as newer GuardDuty copies carry them', () => {
    const finding = loadFixtureObject('aws/asff-guardduty-recon-iamuser-maliciousipcaller.json');
    finding.Action = {
      ActionType: 'AWS_API_CALL',
      AwsApiCallAction: {
        RemoteIpDetails: {
          IpAddressV4: '185.220.101.4',
          Organization: { Asn: 205100, AsnOrg: 'F3 Netze e.V.' },
        },
        DomainDetails: { Domain: 'GeneratedFindingDomainName' },
      },
    };
    expect(onlyFinding(parseEvent(finding)).observables).toStrictEqual([
      {
        dataType: 'ip',
        data: '185.220.101.4',
        tags: ['remote-ip', 'aws-api-call', 'asn:205100', 'as-org:F3 Netze e.V.'],
        ioc: true,
      },
      { dataType: 'ip', data: '198.51.100.0', tags: ['remote-ip', 'documentation'], ioc: false },
    ]);
  });
});

describe('ASFF rejections name the field', () => {
  it.each([
    ['AwsAccountId', { AwsAccountId: '12345' }, 'detail.findings[0].AwsAccountId: expected 12 digits'],
    ['Id', { Id: undefined }, 'detail.findings[0].Id: required'],
    ['Id', { Id: '   ' }, 'detail.findings[0].Id: expected the finding id'],
    [
      'ProductArn',
      { ProductArn: 'arn:aws:s3:::bucket' },
      'detail.findings[0].ProductArn: expected a Security Hub product ARN (arn:aws:securityhub:…)',
    ],
    [
      'Severity',
      { Severity: 'HIGH' },
      'detail.findings[0].Severity: expected an object with Label, Normalized or Product',
    ],
    [
      'Severity',
      { Severity: { Label: 'SEVERE' } },
      'detail.findings[0].Severity: expected a Label (INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL), Normalized (0-100) or Product score',
    ],
    [
      'UpdatedAt',
      { CreatedAt: undefined, UpdatedAt: undefined, FirstObservedAt: 'soon' },
      'detail.findings[0].UpdatedAt: required',
    ],
  ])('rejects a bad %s', (_field, change, error) => {
    const result = parseEvent(imported([{ ...prowlerFinding(), ...change }]));
    expect(result.rejected).toEqual([{ index: 0, error }]);
    expect(result.findings).toEqual([]);
  });
});
