/**
 * The sandbox's Teams channel in a real browser, against the real product (`hivewire serve
 * --sandbox-samples` as a child process): the sample alerts are posted in the Teams channel as cards
 * drawn by the adaptivecards renderer; Create Case on one is sent to the bot as a signed invoke (the
 * clicker privately told the case is being created), the card is updated in place and the case link
 * arrives in its reply chain; a status change made in TheHive reaches the reply chain too. The final
 * state is drawn in .test-results/screenshots/, and into docs/console-teams.png for the README when
 * HIVEWIRE_README_SCREENSHOTS is set.
 *
 * Chromium is Debian's (/usr/bin/chromium); missing, this test fails and says so.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SANDBOX_TEAMS } from '../../src/sandbox/teams-tenant';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium';
import { eventually } from '../helpers/eventually';
import { startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

const SCREENSHOTS = resolve(__dirname, '../../.test-results/screenshots');
/** The README's picture is redrawn only when asked, so a test run leaves the tree as it found it. */
const README_SHOT = process.env.HIVEWIRE_README_SCREENSHOTS
  ? resolve(__dirname, '../../docs/console-teams.png')
  : join(SCREENSHOTS, 'console-teams.png');
/** One wait's bound: the product posts, the worker escalates, TheHive's webhook comes back. */
const STEP_TIMEOUT_MS = 30_000;

jest.setTimeout(180_000);

let server: SandboxServer | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install it (apt-get install -y chromium)`);
  mkdirSync(SCREENSHOTS, { recursive: true });
  // The sandbox's alerts routed to its Teams channel too (config `defaults.teams`).
  const config = join(mkdtempSync(join(tmpdir(), 'hivewire-teams-')), 'hivewire.yml');
  writeFileSync(
    config,
    `defaults:\n  teams: { team: '${SANDBOX_TEAMS.team.id}', channel: '${SANDBOX_TEAMS.channel.id}' }\n`,
  );
  server = await startSandboxServer({ env: { HIVEWIRE_CONFIG: config } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGTERM');
});

/** The sandbox TheHive's cases, as its API lists them. */
async function cases(): Promise<{ _id: string; number: number; status: string }[]> {
  const response = await fetch(`${server!.url}/sandbox/thehive/api/v1/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox' },
    body: JSON.stringify({ query: [{ _name: 'listCase' }] }),
  });
  return (await response.json()) as { _id: string; number: number; status: string }[];
}

test('Create Case and a status change, in the Teams channel', async () => {
  await page.goto(`${server!.url}/sandbox/teams/console`);
  // The sample alerts arrive as cards the renderer drew (it gives each card the ac-adaptiveCard class).
  const first = page.locator('main > article.message').first();
  await first.locator('.ac-adaptiveCard').first().waitFor();
  const create = first.locator('button', { hasText: 'Create Case' }).first();
  await create.click();
  await page
    .locator('.toast', { hasText: /Creating the case|already/ })
    .first()
    .waitFor();

  // The card is updated in place (Teams shows "Edited") and the case link arrives in the reply chain.
  await first.locator('.from .edited').first().waitFor();
  await first.locator('.replies', { hasText: 'opened in TheHive' }).waitFor();
  const [theCase] = await eventually(
    'the case in TheHive',
    async () => {
      const listed = await cases();
      return listed.length > 0 ? listed : undefined;
    },
    STEP_TIMEOUT_MS,
  );

  const patched = await fetch(
    `${server!.url}/sandbox/thehive/api/v1/case/${encodeURIComponent(theCase!._id)}`,
    {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: 'Bearer sandbox' },
      body: JSON.stringify({ status: 'InProgress' }),
    },
  );
  expect(patched.status).toBe(204);
  await first.locator('.replies', { hasText: 'InProgress' }).waitFor();
  await first.scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'teams-channel.png') });
  await first.screenshot({ path: README_SHOT });
});
