/**
 * Sample findings for the sandbox: real events from `fixtures/` (see the PROVENANCE files there),
 * loaded at the first start so the console shows the product working at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** The samples the console offers, first ones loaded at start. */
export const SAMPLE_FILES: { name: string; file: string; loadAtStart: boolean }[] = [
  {
    name: 'GuardDuty: SSH brute force (through Security Hub)',
    file: 'aws/asff-guardduty-sshbruteforce.json',
    loadAtStart: true,
  },
  {
    name: 'GuardDuty: S3 API call from a malicious IP',
    file: 'aws/guardduty-impact-s3-maliciousipcaller.json',
    loadAtStart: true,
  },
  {
    name: 'GuardDuty: EKS anonymous access',
    file: 'aws/guardduty-eks-successfulanonymousaccess.json',
    loadAtStart: true,
  },
  {
    name: 'USM Anywhere: password reset attempts',
    file: 'siem/usm-anywhere-alarm-password-reset-attempts.json',
    loadAtStart: true,
  },
  {
    name: 'GuardDuty: Tor IP caller (IAM user)',
    file: 'aws/guardduty-iamuser-toripcaller.json',
    loadAtStart: false,
  },
  { name: 'GuardDuty: DNS drop point', file: 'aws/guardduty-trojan-droppoint-dns.json', loadAtStart: false },
  {
    name: 'GuardDuty: outbound DoS (instance is the actor)',
    file: 'aws/guardduty-backdoor-denialofservice-tcp.json',
    loadAtStart: false,
  },
  {
    name: 'Security Hub: AFSBP EC2.7 control',
    file: 'aws/securityhub-imported-afsbp-ec2-7.json',
    loadAtStart: false,
  },
  {
    name: 'IAM Access Analyzer: cross-account S3',
    file: 'aws/asff-accessanalyzer-s3-crossaccount.json',
    loadAtStart: false,
  },
  {
    name: 'MozDef: session on a sensitive host',
    file: 'siem/mozdef-alert-ssh-sensitive-host.json',
    loadAtStart: false,
  },
];

export interface SampleFinding {
  name: string;
  event: unknown;
  loadAtStart: boolean;
}

/** The storm sample: how many findings, over which Security Hub controls, in the one sample account. */
const STORM_FINDINGS = 60;
const STORM_CONTROLS = ['S3.8', 'EC2.7', 'IAM.6'];

interface ImportedFindingsEvent {
  detail: { findings: { Id: string; Title: string; ProductFields: Record<string, string> }[] };
}

/**
 * A storm as enabling a standard produces it: the real EC2.7 finding of `fixtures/aws` made into one
 * "Security Hub Findings - Imported" event of STORM_FINDINGS HIGH findings (each its own control id from
 * STORM_CONTROLS and finding id; nothing else changed). Past the storm threshold, the console shows the
 * rest grouped into one digest per control.
 */
function stormEvent(): unknown {
  const event = JSON.parse(
    readFileSync(join(FIXTURES, 'aws/securityhub-imported-afsbp-ec2-7.json'), 'utf8'),
  ) as ImportedFindingsEvent;
  const [finding] = event.detail.findings;
  if (!finding) throw new Error('the EC2.7 fixture has no finding');
  const findings = Array.from({ length: STORM_FINDINGS }, (_, n) => {
    const control = STORM_CONTROLS[n % STORM_CONTROLS.length]!;
    const id = finding.Id.replace('/EC2.7/finding/', `/${control}/finding/`).replace(
      /[0-9a-f-]+$/,
      `storm-${n}`,
    );
    return {
      ...finding,
      Id: id,
      Title: finding.Title.replace(/^EC2\.7/, control),
      Severity: { Label: 'HIGH', Normalized: 70, Original: 'HIGH' },
      ProductFields: { ...finding.ProductFields, 'aws/securityhub/FindingId': id },
    };
  });
  return { ...event, detail: { ...event.detail, findings } };
}

/** Reads the sample events from disk. */
export function loadSamples(): SampleFinding[] {
  return [
    ...SAMPLE_FILES.map(({ name, file, loadAtStart }) => ({
      name,
      loadAtStart,
      event: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown,
    })),
    {
      name: `Storm: ${STORM_FINDINGS} Security Hub findings at once (digests past the threshold)`,
      loadAtStart: false,
      event: stormEvent(),
    },
  ];
}
