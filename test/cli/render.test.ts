/**
 * `hivewire render` against the CLI contract in DESIGN.md: the exact output shape for every fixture,
 * the exit codes, stdin, and the config file. Most cases call `main` in-process; stdin and one exit
 * code go through the real `bin/hivewire.js` so the executable itself is covered.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';

const ROOT = join(__dirname, '../..');
const FIXTURES = join(ROOT, 'fixtures');
const FINDING_KEYS = [
  'accountId',
  'customer',
  'fingerprint',
  'message',
  'observables',
  'severity',
  'source',
  'title',
];

interface Rendered {
  findings: {
    fingerprint: string;
    source: string;
    severity: string;
    title: string;
    accountId: string | null;
    customer: string;
    observables: Record<string, unknown>[];
    message: { text: string; blocks: unknown[] } & Record<string, unknown>;
  }[];
  skipped: { index: number; reason: string }[];
  rejected: { index: number; error: string }[];
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main` in-process, capturing what it writes. */
async function render(file: string, env: NodeJS.ProcessEnv = {}): Promise<Run> {
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
    const code = await main(['render', file], env);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** Runs the real executable. */
function spawnRender(args: string[], input?: string): Run {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/hivewire.js'), 'render', ...args], {
    cwd: ROOT,
    input,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The fixtures that hold no finding, each with the reason `render` gives for skipping it. */
const NOT_FINDINGS: Record<string, string> = {
  'aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json':
    'detail-type "AWS API Call via CloudTrail" is not a finding event',
  'aws/eventbridge-guardduty-malware-scan-result.json':
    'detail-type "GuardDuty Malware Protection Object Scan Result" is not a finding event',
  'derived/securityhub-imported-guardduty-sshbruteforce-hivewire-echo.json':
    'Security Hub echo of Hivewire\'s own update (Note.UpdatedBy "hivewire")',
};

const fixtureFiles = ['aws', 'siem', 'derived'].flatMap((dir) =>
  readdirSync(join(FIXTURES, dir))
    .filter((name) => name.endsWith('.json'))
    .map((name) => `${dir}/${name}`),
);

let scratch: string;
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'hivewire-render-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function scratchFile(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('hivewire render, for every fixture', () => {
  it('covers the fixtures of every directory', () => {
    expect(fixtureFiles.filter((file) => file.startsWith('aws/')).length).toBeGreaterThan(0);
    expect(fixtureFiles.filter((file) => file.startsWith('siem/')).length).toBeGreaterThan(0);
    expect(fixtureFiles.filter((file) => file.startsWith('derived/')).length).toBeGreaterThan(0);
  });

  it.each(fixtureFiles.filter((file) => !(file in NOT_FINDINGS)))(
    '%s prints exactly the contract shape and exits 0',
    async (file) => {
      const run = await render(join(FIXTURES, file));
      expect(run.code).toBe(0);
      const output = JSON.parse(run.stdout) as Rendered;
      expect(Object.keys(output).sort()).toEqual(['findings', 'rejected', 'skipped']);
      expect(output.rejected).toEqual([]);
      expect(output.skipped).toEqual([]);
      expect(output.findings.length).toBeGreaterThan(0);
      for (const finding of output.findings) {
        expect(Object.keys(finding).sort()).toEqual(FINDING_KEYS);
        expect(finding.fingerprint).toMatch(/^(gd|sh|usm|mzd)-[0-9a-f]{32}$/);
        expect(['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']).toContain(finding.severity);
        expect(['guardduty', 'securityhub', 'siem']).toContain(finding.source);
        expect(finding.customer).toBe('internal');
        for (const observable of finding.observables) {
          expect(Object.keys(observable).sort()).toEqual(['data', 'dataType']);
          expect(typeof observable.data).toBe('string');
          expect(typeof observable.dataType).toBe('string');
        }
        expect(Object.keys(finding.message).sort()).toEqual(['blocks', 'text']);
        expect(finding.message.text).toContain(`[${finding.severity}]`);
        expect(finding.message.blocks.length).toBeGreaterThan(0);
      }
    },
  );

  it.each(Object.entries(NOT_FINDINGS))(
    '%s holds no finding: the skip and its reason are in the JSON, exit 1',
    async (file, reason) => {
      const run = await render(join(FIXTURES, file));
      expect(run).toEqual({
        code: 1,
        stdout: `${JSON.stringify({ findings: [], skipped: [{ index: 0, reason }], rejected: [] }, null, 2)}\n`,
        stderr: '',
      });
    },
  );
});

describe('hivewire render, fingerprints and severities', () => {
  it.each([
    [
      'aws/guardduty-impact-s3-maliciousipcaller.json',
      'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      'guardduty',
      'HIGH',
      '973743533182',
    ],
    [
      'derived/sns-http-notification-guardduty-event.json',
      'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
      'guardduty',
      'HIGH',
      '973743533182',
    ],
    [
      'aws/asff-guardduty-sshbruteforce.json',
      'gd-b79c9ed7cf80f3a0dfc955c9c6fab224',
      'securityhub',
      'MEDIUM',
      '193043430472',
    ],
    [
      'derived/guardduty-event-sshbruteforce-from-asff.json',
      'gd-b79c9ed7cf80f3a0dfc955c9c6fab224',
      'guardduty',
      'LOW',
      '193043430472',
    ],
    [
      'aws/securityhub-imported-cis-1-3-warning.json',
      'sh-e69f38eaaa61ef242fea142e1c34de85',
      'securityhub',
      'MEDIUM',
      '111111111111',
    ],
    [
      'aws/ocsf-securityhub-control-sqs-1-fail.json',
      'sh-8f36805e18dd6613b85f7feef6412432',
      'securityhub',
      'MEDIUM',
      '123456789012',
    ],
    [
      'siem/mozdef-alert-ssh-sensitive-host.json',
      'mzd-18f4b620f64e29772deddecda62c0c55',
      'siem',
      'MEDIUM',
      null,
    ],
    [
      'siem/usm-anywhere-alarm-windows-scheduled-job.json',
      'usm-23dbc8ca38e33c2d2d6b355fc2b3d888',
      'siem',
      'LOW',
      null,
    ],
  ])('%s → %s (%s, %s)', async (file, fingerprint, source, severity, accountId) => {
    const output = JSON.parse((await render(join(FIXTURES, file))).stdout) as Rendered;
    expect(
      output.findings.map((finding) => [
        finding.fingerprint,
        finding.source,
        finding.severity,
        finding.accountId,
      ]),
    ).toEqual([[fingerprint, source, severity, accountId]]);
  });

  it('lists the observables as {dataType, data} only', async () => {
    const output = JSON.parse(
      (await render(join(FIXTURES, 'siem/mozdef-alert-ssh-sensitive-host.json'))).stdout,
    ) as Rendered;
    expect(output.findings[0]!.observables).toEqual([
      { dataType: 'ip', data: '1.2.3.4' },
      { dataType: 'other', data: 'tester' },
      { dataType: 'hostname', data: 'a.host.website.com' },
      { dataType: 'mail', data: 'test@website.com' },
    ]);
  });

  it('renders the findings it can and names the entries it skips: exit 0 when one was accepted', async () => {
    const cloudTrail = JSON.parse(
      readFileSync(join(FIXTURES, 'aws/eventbridge-cloudtrail-guardduty-createsamplefindings.json'), 'utf8'),
    );
    const finding = JSON.parse(
      readFileSync(join(FIXTURES, 'aws/guardduty-iamuser-toripcaller.json'), 'utf8'),
    );
    const run = await render(scratchFile('mixed.json', JSON.stringify([cloudTrail, finding])));
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as Rendered;
    expect(output.findings).toHaveLength(1);
    expect(output.skipped).toEqual([
      { index: 0, reason: 'detail-type "AWS API Call via CloudTrail" is not a finding event' },
    ]);
    expect(output.rejected).toEqual([]);
  });
});

describe('hivewire render, exit codes', () => {
  it('exits 1 when every finding is rejected, each naming its bad field', async () => {
    const file = scratchFile('rejected.json', JSON.stringify([{ SchemaVersion: '2018-10-08', Id: 'x' }]));
    const run = await render(file);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [],
      skipped: [],
      rejected: [{ index: 0, error: '[0].ProductArn: required; [0].AwsAccountId: required' }],
    });
  });

  it('exits 1 for a GuardDuty event without a severity, naming detail.severity', async () => {
    const file = scratchFile(
      'no-severity.json',
      JSON.stringify({
        'detail-type': 'GuardDuty Finding',
        source: 'aws.guardduty',
        detail: { id: 'abc', type: 'Recon:EC2/PortProbeUnprotectedPort' },
      }),
    );
    const run = await render(file);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      findings: [],
      skipped: [],
      rejected: [{ index: 0, error: 'detail.severity: required' }],
    });
  });

  it('exits 2 on a missing file, printing nothing on stdout', async () => {
    const missing = join(scratch, 'missing.json');
    const run = await render(missing);
    expect(run).toEqual({
      code: 2,
      stdout: '',
      stderr: expect.stringMatching(/^hivewire render: cannot read .*missing\.json: ENOENT/),
    });
  });

  it('exits 2 on a file that is not JSON', async () => {
    const run = await render(scratchFile('garbage.json', 'nope{'));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/garbage\.json: not JSON/);
  });
});

describe('hivewire render, the executable', () => {
  it('reads the event from stdin with -', () => {
    const event = readFileSync(
      join(FIXTURES, 'derived/guardduty-event-impact-s3-maliciousipcaller.json'),
      'utf8',
    );
    const run = spawnRender(['-'], event);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as Rendered).findings.map(({ fingerprint }) => fingerprint)).toEqual([
      'gd-b0a3a5992a56fc05d45e4f1f04b8c030',
    ]);
  });

  it('exits 2 when stdin is not JSON', () => {
    const run = spawnRender(['-'], 'nope{');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^hivewire render: stdin: not JSON/);
  });
});

describe('hivewire render, HIVEWIRE_CONFIG', () => {
  it("maps the finding's account to its customer", async () => {
    const config = scratchFile(
      'config.yml',
      'accounts:\n  "973743533182": { name: payments-prod, customer: acme }\n',
    );
    const run = await render(join(FIXTURES, 'aws/guardduty-impact-s3-maliciousipcaller.json'), {
      HIVEWIRE_CONFIG: config,
    });
    expect(run.code).toBe(0);
    const [finding] = (JSON.parse(run.stdout) as Rendered).findings;
    expect(finding!.customer).toBe('acme');
    expect(finding!.message.text).toBe(
      '[HIGH] `[SAMPLE] S3 API GeneratedFindingAPIName was invoked from known malicious IP address 81.2.69.144.` — `payments-prod` (`acme`)',
    );
  });

  it('renders the response actions configured for the finding type', async () => {
    const config = scratchFile(
      'actions.yml',
      [
        'responseActions:',
        '  - id: block-ip',
        '    label: Block the IP',
        "    findingTypes: ['Impact:S3/*']",
        '    lambda: arn:aws:lambda:eu-west-1:111122223333:function:block-ip',
        '  - id: isolate',
        '    label: Isolate',
        "    findingTypes: ['Backdoor:EC2/*']",
        '    ssmDocument: AWS-IsolateInstance',
        '',
      ].join('\n'),
    );
    const run = await render(join(FIXTURES, 'aws/guardduty-impact-s3-maliciousipcaller.json'), {
      HIVEWIRE_CONFIG: config,
    });
    const [finding] = (JSON.parse(run.stdout) as Rendered).findings;
    const blocks = finding!.message.blocks as { block_id?: string; elements?: { action_id: string }[] }[];
    expect(
      blocks
        .filter((block) => block.block_id === 'hivewire.response_actions')
        .flatMap((block) => block.elements!.map((element) => element.action_id)),
    ).toEqual(['hivewire.response_action.block-ip']);
  });

  it('exits 2 on a bad config file, naming the key', async () => {
    const config = scratchFile('bad.yml', 'defaults: { severityThreshold: SEVERE }\n');
    const run = await render(join(FIXTURES, 'aws/guardduty-impact-s3-maliciousipcaller.json'), {
      HIVEWIRE_CONFIG: config,
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('hivewire: configuration error:');
    expect(run.stderr).toContain('defaults.severityThreshold');
  });
});
