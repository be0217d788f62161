/**
 * Many customers in a real browser, against the real product (`hivewire serve` as a child process): an
 * admin opens `/slack/install`, clicks Add to Slack, picks the sandbox's second workspace on the
 * sandbox's own authorize page and allows; Hivewire is installed there. A finding of the customer whose
 * workspace it is then shows in that workspace's channel in the console, and Create Case there opens
 * the case and threads its link.
 *
 * Chromium is Debian's (/usr/bin/chromium), as for test/e2e/browser.test.ts: missing, this test fails.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../helpers/chromium';
import {
  SANDBOX_INGEST_SECRET,
  startSandboxServer,
  temporaryDataDir,
  type SandboxServer,
} from '../helpers/sandbox-server';

const STEP_TIMEOUT_MS = 30_000;
const SECOND_TEAM = 'T0SANDBOX2';
const CHANNEL = 'C0GLOBEX';
const FINDING = readFileSync(
  resolve(__dirname, '../../fixtures/aws/guardduty-iamuser-toripcaller.json'),
  'utf8',
);

jest.setTimeout(120_000);

let server: SandboxServer | undefined;
let browser: Browser | undefined;
let page: Page;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is not installed at ${CHROMIUM}: install it (apt-get install -y chromium)`);
  const configFile = join(temporaryDataDir(), 'hivewire.yml');
  const { accountId } = JSON.parse(FINDING) as { accountId: string };
  writeFileSync(
    configFile,
    `accounts:\n  '${accountId}': { name: globex-prod, customer: globex }\n` +
      `customers:\n  globex:\n    slack: { team: ${SECOND_TEAM}, channel: ${CHANNEL} }\n    thehive: { organisation: GLOBEX }\n`,
  );
  server = await startSandboxServer({ samples: false, env: { HIVEWIRE_CONFIG: configFile } });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  page = await (await browser.newContext({ viewport: { width: 1440, height: 900 } })).newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGTERM');
});

test('Add to Slack installs Hivewire in the second workspace, and an alert there is escalated from the console', async () => {
  await page.goto(`${server!.url}/slack/install`);
  await page.locator('#add-to-slack').click();
  await page.locator('select[name="team"]').selectOption(SECOND_TEAM);
  await page.locator('#allow').click();
  await page.getByText('Hivewire now posts alerts in Globex (sandbox)').waitFor();

  const ingested = await fetch(`${server!.url}/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SANDBOX_INGEST_SECRET}`, 'content-type': 'application/json' },
    body: FINDING,
  });
  expect(ingested.status).toBe(202);

  await page.goto(`${server!.url}/#/${CHANNEL}`);
  const withCreateCase = page
    .locator('[data-testid="message"]', {
      has: page.locator('[data-testid="action-button"][data-action-id="hivewire.create_case"]'),
    })
    .first();
  await withCreateCase.waitFor();
  // The button becomes "Open in TheHive" once the case exists: the alert is found again by its ts.
  const ts = await withCreateCase.getAttribute('data-ts');
  const alert = page.locator(`[data-testid="message"][data-ts="${ts}"]`);
  await alert.locator('[data-action-id="hivewire.create_case"]').click();
  await alert.locator('[data-testid="thread-toggle"]').click();
  const reply = alert
    .locator('[data-testid="thread"] [data-testid="thread-reply"]', { hasText: '#1' })
    .first();
  await reply.waitFor();
  expect(await reply.innerText()).toContain('#1');
});
