/**
 * The Teams app manifest and its package: the schema version the manifest names is the one its
 * `$schema` points at; the app and bot ids are the `TEAMS_APP_ID` placeholder the package script fills
 * in; the bot asks for exactly what Hivewire uses (team scope for the alerts channel and mentions,
 * personal scope and `messageTeamMembers` for the 1:1 "was this you?" chats, nothing else); its
 * command list is the commands the bot answers; the icons are the sizes Teams requires; and
 * `npm run teams:package` zips manifest and icons at the archive's root with the values filled in.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { teamsPackage } from '../../scripts/teams-package';
import { parseCommand } from '../../src/slack/listeners/command';
import { zipEntries, zipFile } from '../helpers/zip';

const TEAMS_DIR = join(__dirname, '../../teams');
const manifest = JSON.parse(readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8')) as Record<
  string,
  unknown
>;
const APP_ID = '3f0c2b1a-5d4e-4f6a-8b7c-9d0e1f2a3b4c';

/** Width and height from a PNG's IHDR chunk, and whether it is one. */
function pngSize(data: Buffer): { png: boolean; width: number; height: number; colourType: number } {
  return {
    png: data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
    width: data.readUInt32BE(16),
    height: data.readUInt32BE(20),
    colourType: data.readUInt8(25),
  };
}

test('names one schema version in both places, and the app id placeholder', () => {
  const version = String(manifest.manifestVersion).replace(/^/, 'v');
  expect(manifest.$schema).toBe(
    `https://developer.microsoft.com/json-schemas/teams/${version}/MicrosoftTeams.schema.json`,
  );
  expect(manifest.version).toMatch(/^\d+\.\d+\.\d+$/);
  expect(manifest.id).toBe('${{TEAMS_APP_ID}}');
  expect((manifest.name as { short: string }).short.length).toBeLessThanOrEqual(30);
  expect((manifest.description as { short: string }).short.length).toBeLessThanOrEqual(80);
});

test('the bot asks for exactly the scopes and permissions Hivewire uses', () => {
  expect(manifest.bots).toEqual([
    expect.objectContaining({
      botId: '${{TEAMS_APP_ID}}',
      scopes: ['team', 'personal'],
      isNotificationOnly: false,
      supportsFiles: false,
    }),
  ]);
  expect(manifest.permissions).toEqual(['messageTeamMembers']);
  expect(manifest).not.toHaveProperty('webApplicationInfo');
  expect(manifest).not.toHaveProperty('authorization');
  expect(manifest.validDomains).toEqual([]);
});

test('the command list is the commands the bot answers in a team', () => {
  const [bot] = manifest.bots as { commandLists: { scopes: string[]; commands: { title: string }[] }[] }[];
  const [list] = bot!.commandLists;
  expect(list!.scopes).toEqual(['team']);
  expect(list!.commands.map(({ title }) => title)).toEqual(['threshold', 'case', 'help']);
  for (const { title } of list!.commands) {
    // Each is a command the parser knows (`case` alone asks for its number).
    const parsed = parseCommand(title);
    expect(parsed.kind === 'usage' ? parsed.topic : parsed.kind).toBe(title);
  }
});

test('the icons are the PNG sizes Teams requires', () => {
  const icons = manifest.icons as { color: string; outline: string };
  expect(pngSize(readFileSync(join(TEAMS_DIR, icons.color)))).toEqual({
    png: true,
    width: 192,
    height: 192,
    colourType: 6,
  });
  expect(pngSize(readFileSync(join(TEAMS_DIR, icons.outline)))).toEqual({
    png: true,
    width: 32,
    height: 32,
    colourType: 6,
  });
});

test('teams:package zips the manifest with the ids and URL filled in, and the icons, at the root', () => {
  const archive = teamsPackage({ TEAMS_APP_ID: APP_ID, PUBLIC_URL: 'https://hivewire.example.com/' });
  expect(zipEntries(archive).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  const packed = zipFile(archive, 'manifest.json').toString('utf8');
  expect(packed).not.toContain('${{');
  const parsed = JSON.parse(packed) as { id: string; bots: { botId: string }[]; developer: object };
  expect(parsed.id).toBe(APP_ID);
  expect(parsed.bots[0]!.botId).toBe(APP_ID);
  expect(parsed.developer).toMatchObject({ websiteUrl: 'https://hivewire.example.com/' });
  expect(zipFile(archive, 'color.png')).toEqual(readFileSync(join(TEAMS_DIR, 'color.png')));
});

test('teams:package refuses an app id that is not a GUID and a URL that is not https', () => {
  expect(() => teamsPackage({ TEAMS_APP_ID: 'hivewire', PUBLIC_URL: 'https://x.example' })).toThrow(
    /^TEAMS_APP_ID:/,
  );
  expect(() => teamsPackage({ TEAMS_APP_ID: APP_ID, PUBLIC_URL: 'http://x.example' })).toThrow(
    /^PUBLIC_URL:/,
  );
});
