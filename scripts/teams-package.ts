/**
 * `npm run teams:package`: the Teams app package to upload (Teams admin center, Developer Portal or
 * "Upload a custom app"): teams/manifest.json with the bot's Entra app id (`TEAMS_APP_ID`) and the
 * bot's public URL (`PUBLIC_URL`, https) filled in, and its two icons, zipped at the archive's root as
 * Teams requires, to teams/build/hivewire-teams.zip.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zip } from '../bench/zip';

const TEAMS_DIR = join(__dirname, '..', 'teams');
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The package's bytes for this environment; a missing or malformed value is an error naming it. */
export function teamsPackage(env: NodeJS.ProcessEnv): Buffer {
  const appId = env.TEAMS_APP_ID ?? '';
  if (!GUID.test(appId)) throw new Error('TEAMS_APP_ID: must be the Entra app (client) id, a GUID');
  const publicUrl = (env.PUBLIC_URL ?? '').replace(/\/+$/, '');
  if (!/^https:\/\/[^/\s]+/.test(publicUrl)) throw new Error('PUBLIC_URL: must be the bot’s https URL');
  const manifest = readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8')
    .replaceAll('${{TEAMS_APP_ID}}', appId)
    .replaceAll('${{PUBLIC_URL}}', publicUrl);
  return zip([
    { name: 'manifest.json', data: Buffer.from(manifest) },
    { name: 'color.png', data: readFileSync(join(TEAMS_DIR, 'color.png')) },
    { name: 'outline.png', data: readFileSync(join(TEAMS_DIR, 'outline.png')) },
  ]);
}

if (process.argv[2]?.endsWith('teams-package.ts')) {
  try {
    const out = join(TEAMS_DIR, 'build', 'hivewire-teams.zip');
    mkdirSync(join(TEAMS_DIR, 'build'), { recursive: true });
    writeFileSync(out, teamsPackage(process.env));
    process.stdout.write(`${out}\n`);
  } catch (error) {
    process.stderr.write(`teams:package: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
