/** The Slack app manifest declares what the listeners answer: the slash command and the message shortcut. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { REPORT_SHORTCUT } from '../blocks/actions';
import { COMMAND } from '../blocks/analyst/actions';
import { MESSAGE_SHORTCUTS } from '../src/sandbox/app-manifest';

const manifest = parse(readFileSync(join(__dirname, '..', 'manifest.yml'), 'utf8')) as {
  features: {
    slash_commands: { command: string }[];
    shortcuts: { name: string; type: string; callback_id: string; description: string }[];
  };
};

test('declares "Report to SOC" as a message shortcut with the callback id the listener takes', () => {
  expect(manifest.features.shortcuts).toEqual([
    {
      name: 'Report to SOC',
      type: 'message',
      callback_id: REPORT_SHORTCUT,
      description: 'Send this message to the security team as an alert',
    },
  ]);
  // The sandbox offers what a real workspace would.
  expect(
    manifest.features.shortcuts.map(({ name, callback_id }) => ({ name, callbackId: callback_id })),
  ).toEqual(MESSAGE_SHORTCUTS);
  // Slack's limits on a shortcut's name and description.
  expect(manifest.features.shortcuts[0]!.description.length).toBeLessThanOrEqual(150);
});

test('declares the slash command', () => {
  expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([COMMAND]);
});
