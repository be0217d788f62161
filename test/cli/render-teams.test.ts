/**
 * `hivewire render --chat teams`: the same JSON as for Slack, with `message` the Bot Framework activity
 * Teams is sent (the 1.5 alert card as its one attachment), through the real executable; an unknown
 * platform is a usage error (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { AdaptiveCard } from '../../cards/core';
import { checkCard } from '../helpers/adaptive-cards';

const ROOT = join(__dirname, '../..');
const FIXTURE = join(ROOT, 'fixtures/aws/guardduty-iamuser-toripcaller.json');

function run(...args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/hivewire.js'), 'render', ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
}

test('prints the Teams activity with the 1.5 alert card for each finding', () => {
  const result = run('--chat', 'teams', FIXTURE);
  expect(result.status).toBe(0);
  const output = JSON.parse(result.stdout) as {
    findings: { fingerprint: string; title: string; message: unknown }[];
  };
  expect(output.findings).toHaveLength(1);
  const [finding] = output.findings;
  expect(finding!.message).toEqual({
    type: 'message',
    summary: expect.stringContaining('MEDIUM · '),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: expect.objectContaining({
          type: 'AdaptiveCard',
          version: '1.5',
          msteams: { width: 'Full' },
        }),
      },
    ],
  });
  const card = (finding!.message as { attachments: { content: AdaptiveCard }[] }).attachments[0]!.content;
  expect(checkCard(card, '1.5').events).toEqual([]);
  expect(card.actions?.[0]).toMatchObject({
    type: 'Action.Execute',
    data: { fingerprint: finding!.fingerprint },
  });
});

test('an unknown platform is a usage error', () => {
  const result = run('--chat', 'irc', FIXTURE);
  expect(result.status).toBe(2);
  expect(result.stderr).toContain('--chat: expected slack, webex or teams, got irc');
});
