/**
 * The console's Webex space in a real browser, against the real product (`hivewire serve
 * --sandbox-samples` as a child process): the sample alerts' cards are drawn by the adaptivecards
 * renderer; a click on Create Case goes as a card submission through the Webex stand-in, which delivers
 * the signed webhook to Hivewire; the case link is threaded under the card; the case changed in TheHive
 * (through the console) comes back as the status reply in the same thread.
 *
 * Chromium is Debian's (/usr/bin/chromium; `.ci/run` installs it); missing, this test fails and says so.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { SANDBOX_USERS } from '../../src/sandbox/slack-workspace';
import { launchChromium } from '../helpers/chromium';
import { startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

const SCREENSHOTS = resolve(__dirname, '../../.test-results/screenshots');
/** Every DOM condition is awaited; this bounds one wait. */
const STEP_TIMEOUT_MS = 15_000;

jest.setTimeout(90_000);

let server: SandboxServer | undefined;
let browser: Browser | undefined;
let page: Page;
const pageErrors: string[] = [];

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  server = await startSandboxServer();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT_MS);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGTERM');
});

describe('the Webex space in the sandbox console', () => {
  it('draws the alerts as Adaptive Cards, opens a case from one, and threads the link and the status change', async () => {
    await page.goto(`${server!.url}/`);
    await page.getByTestId('webex-link').click();
    await page.waitForURL(`${server!.url}/sandbox/console/webex`);
    await page.getByTestId('webex-room-title').getByText('SecOps alerts').waitFor();

    // The sample alerts, each a card the library drew, with its Create Case button.
    const alert = page
      .getByTestId('webex-message')
      .filter({ has: page.getByRole('button', { name: 'Create Case' }) })
      .first();
    await alert.waitFor();
    await alert.locator('.ac-adaptiveCard').first().waitFor();

    await alert.getByRole('button', { name: 'Create Case' }).click();
    const thread = alert.getByTestId('webex-thread');
    const opened = thread.getByTestId('webex-reply').filter({ hasText: 'opened in TheHive by' });
    await opened.waitFor();
    await expect(opened.textContent()).resolves.toMatch(
      /Case #\d+ opened in TheHive by @Alice \(SOC analyst\)/,
    );
    const href = await opened.getByRole('link', { name: /^Case #\d+$/ }).getAttribute('href');
    const caseId = /\/cases\/([^/]+)\/details$/.exec(href ?? '')?.[1];
    expect(caseId).toBeDefined();

    // The case worked in TheHive, through the console, as an analyst there would.
    const changed = await page.request.post(`${server!.url}/sandbox/console/case`, {
      data: { caseId, userId: SANDBOX_USERS[1]!.id, changes: { status: 'InProgress' } },
    });
    expect(changed.status()).toBe(200);
    await thread.getByTestId('webex-reply').filter({ hasText: 'Status New → InProgress' }).waitFor();

    await alert.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SCREENSHOTS, 'webex-space.png') });
    expect(pageErrors).toEqual([]);
  });
});
