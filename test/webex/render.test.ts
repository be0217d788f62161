/**
 * `hivewire render --chat webex` (DESIGN.md's CLI contract): the same JSON as for Slack, with
 * `message` the Webex message (markdown fallback and one Adaptive Card 1.3 attachment), for every
 * fixture holding a finding; and the Webex message builders' own escaping of mentions.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/cli';
import { webexAlertMessage, webexIgnored, webexMention, webexText } from '../../cards/webex';
import { checkCard } from '../helpers/adaptive-cards';
import { makeAlertRecord } from '../helpers/alerts';

const ROOT = join(__dirname, '../..');
const FILES = [
  'aws/guardduty-iamuser-toripcaller.json',
  'aws/asff-securityhub-afsbp-ec2-2.json',
  'aws/ocsf-inspector-lambda-cve-2025-47906.json',
  'siem/usm-anywhere-alarm-password-reset-attempts.json',
  'siem/mozdef-alert-ssh-sensitive-host.json',
];

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = jest
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(['render', ...args], {}), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('hivewire render --chat webex', () => {
  it.each(FILES)('%s: the contract shape, with the Webex message', async (file) => {
    const run = await render(['--chat', 'webex', join(ROOT, 'fixtures', file)]);
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as {
      findings: { severity: string; message: Record<string, unknown> }[];
    };
    const slack = JSON.parse((await render([join(ROOT, 'fixtures', file)])).stdout) as typeof output;
    expect(output.findings.length).toBe(slack.findings.length);
    for (const [index, finding] of output.findings.entries()) {
      const { message, ...rest } = finding;
      const { message: _slackMessage, ...slackRest } = slack.findings[index]!;
      expect(rest).toEqual(slackRest);
      expect(Object.keys(message).sort()).toEqual(['attachments', 'markdown']);
      expect(message.markdown).toContain(finding.severity);
      const attachments = message.attachments as {
        contentType: string;
        content: Parameters<typeof checkCard>[0];
      }[];
      expect(attachments).toHaveLength(1);
      expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
      expect(attachments[0]!.content.version).toBe('1.3');
      expect(checkCard(attachments[0]!.content, '1.3').events).toEqual([]);
    }
  });

  it('refuses a chat it does not know with the usage, exit 2, through the real executable', () => {
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/hivewire.js'), 'render', '--chat', 'irc', '-'],
      {
        cwd: ROOT,
        input: '{}',
        encoding: 'utf8',
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--chat: expected slack, webex or teams, got irc');
  });
});

describe('Webex message text', () => {
  it('mentions nobody from a finding: <@all> and <@personEmail:…> read as they came', () => {
    expect(webexText('ping <@all> and <@personEmail:boss@corp.example>')).toBe(
      'ping &lt;@all> and &lt;@personEmail:boss@corp\\.example>'.replace('\\.', '[.]'),
    );
    const message = webexAlertMessage(makeAlertRecord({ finding: { title: '<@all> look' } }));
    expect(message.markdown).not.toContain('<@all>');
  });

  it('mentions the person Webex named by id, and nobody for anything else', () => {
    const id = 'Y2lzY29zcGFyazovL3VzL1BFT1BMRS8xMjM0NTY3OA';
    expect(webexMention(id)).toBe(`<@personId:${id}>`);
    expect(webexMention(id, 'Alice|x>')).toBe(`<@personId:${id}|Alice x>`);
    expect(webexMention('<@all>')).toBe('&lt;@all>');
    expect(
      webexIgnored({ person: id, personPlatform: 'webex' }, '**now** [x](https://evil.example)').markdown,
    ).toBe(`🙈 Ignored by <@personId:${id}>: \\*\\*now\\*\\* \\[x\\](hxxps://evil[.]example)`);
  });
});
