/**
 * Sample findings for the sandbox: real events from `fixtures/` (see the PROVENANCE files there),
 * loaded at the first start so the console shows the product working at once.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(__dirname, '..', 'fixtures');

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

/** Reads the sample events from disk. */
export function loadSamples(): SampleFinding[] {
  return SAMPLE_FILES.map(({ name, file, loadAtStart }) => ({
    name,
    loadAtStart,
    event: JSON.parse(readFileSync(join(FIXTURES, file), 'utf8')) as unknown,
  }));
}
