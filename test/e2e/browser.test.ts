/**
 * The sandbox console in a real browser, against the real product (`hivewire serve --sandbox-samples`
 * as a child process), at a desktop width (1440 px) and a narrow one (900 px): the channel opens on its
 * first alert with its emoji drawn as images; an analyst creates a case, clicks Create Case a second
 * time (privately told the case exists), replies in the thread (the reply shows as a comment on the
 * case's page) and comments in the TheHive panel (the comment is threaded), works and closes the case in
 * the TheHive panel, with every select
 * showing its options whole and toasts clear of the thread's reply box; a finding below the severity
 * threshold is shown as skipped; the sidebar's Cases link lists the case, whose page renders its
 * Markdown description.
 *
 * Chromium is Debian's (/usr/bin/chromium; `.ci/run` installs it). When it is missing this test fails
 * and says so: a browser test that skips silently would pass CI without having run.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium';
import { startSandboxServer, type SandboxServer } from '../helpers/sandbox-server';

const SCREENSHOTS = resolve(__dirname, '../../.test-results/screenshots');
/**
 * Every DOM condition is awaited; this bounds one wait (the product's own Slack pacing is 1 s a post,
 * and a loaded machine runs the product, its stand-ins and Chromium several times slower).
 */
const STEP_TIMEOUT_MS = 30_000;
const WIDTHS = [1440, 900] as const;
type Width = (typeof WIDTHS)[number];
const HEIGHT = 900;
/** A real GuardDuty finding made LOW (severity 2): below the sandbox's default threshold, MEDIUM. */
const LOW_FINDING = {
  ...(JSON.parse(
    readFileSync(resolve(__dirname, '../../fixtures/aws/guardduty-iamuser-toripcaller.json'), 'utf8'),
  ) as Record<string, unknown>),
  id: 'browser-test-low-severity',
  severity: 2,
};

jest.setTimeout(120_000);

/*
 * The few browser globals the in-page checks use, declared for this file only: the project compiles
 * without the DOM library, so that product code cannot come to rely on it.
 */
interface PageSelect {
  multiple: boolean;
  clientWidth: number;
  id: string;
  options: ArrayLike<{ text: string }>;
  dataset: Record<string, string | undefined>;
  getClientRects(): ArrayLike<unknown>;
}
interface PageElement {
  getBoundingClientRect(): { x: number; y: number; width: number; height: number };
  scrollIntoView(options: { block: 'end' }): void;
  /** Images only. */
  complete?: boolean;
  naturalWidth?: number;
}
declare const document: {
  body: { innerText: string };
  querySelectorAll(selector: 'select'): ArrayLike<PageSelect>;
  querySelectorAll(selector: string): ArrayLike<unknown>;
  querySelector(selector: string): PageElement | null;
  createElement(tag: 'canvas'): {
    getContext(kind: '2d'): { font: string; measureText(text: string): { width: number } } | null;
  };
  elementFromPoint(x: number, y: number): { getAttribute(name: string): string | null } | null;
};
declare function getComputedStyle(
  element: PageSelect,
): Record<'fontStyle' | 'fontWeight' | 'fontSize' | 'fontFamily' | 'paddingLeft' | 'paddingRight', string>;

let server: SandboxServer | undefined;
let browser: Browser | undefined;
const pages = {} as Record<Width, Page>;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}-${page.viewportSize()!.width}.png`) });
}

beforeAll(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await launchChromium();
  server = await startSandboxServer();
  for (const width of WIDTHS) {
    // A context each: its own storage, so each width opens the channel as a first-time reader.
    const context = await browser.newContext({ viewport: { width, height: HEIGHT } });
    pages[width] = await context.newPage();
    pages[width].setDefaultTimeout(STEP_TIMEOUT_MS);
  }
});

afterAll(async () => {
  await browser?.close();
  await server?.stop('SIGTERM');
});

/** Every visible single select whose widest option is wider than the room the select gives its text. */
async function truncatedSelects(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const context = document.createElement('canvas').getContext('2d')!;
    return Array.from(document.querySelectorAll('select'))
      .filter((select) => !select.multiple && select.getClientRects().length > 0)
      .flatMap((select) => {
        const style = getComputedStyle(select);
        context.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        return Array.from(select.options)
          .map((option) => ({ text: option.text, width: context.measureText(option.text).width }))
          .filter((option) => option.width > room)
          .map(
            (option) =>
              `${select.dataset.testid ?? select.id}: "${option.text}" needs ${Math.ceil(option.width)} px, has ${room}`,
          );
      });
  });
}

/**
 * Waits until the first alert's title lies wholly inside the timeline's visible part. Polled in the
 * page: the console redraws the timeline as the sample alerts arrive, so a box measured once can
 * belong to a node that has just been replaced (Playwright then has no box at all).
 */
async function firstTitleInTimelineView(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const title = document
      .querySelector('[data-testid="message"] [data-block-type="header"]')
      ?.getBoundingClientRect();
    const timeline = document.querySelector('[data-testid="timeline"]')?.getBoundingClientRect();
    return (
      title !== undefined &&
      timeline !== undefined &&
      title.height > 0 &&
      title.y >= timeline.y &&
      title.y + title.height <= timeline.y + timeline.height
    );
  });
}

describe.each(WIDTHS)('the sandbox console at %i px', (width) => {
  it('opens the channel on its first alert, whose title is in view, with emoji drawn as images', async () => {
    const page = pages[width];
    await page.goto(`${server!.url}/`);
    const firstTitle = page
      .locator('[data-testid="message"]')
      .first()
      .locator('[data-block-type="header"]')
      .first();
    await firstTitle.waitFor();

    await firstTitleInTimelineView(page);
    // Loaded, from the console's own emoji images.
    await page.waitForFunction(() => {
      const img = document.querySelector('[data-block-type="header"] img.emoji');
      return img?.complete === true && (img.naturalWidth ?? 0) > 0;
    });
    expect(await firstTitle.locator('img.emoji').getAttribute('src')).toMatch(
      /^\/sandbox\/console\/emoji\/[0-9a-f]+\.svg$/,
    );
    const glyphs = await page.evaluate(() =>
      document.body.innerText.match(/\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F/gu),
    );
    expect(glyphs).toBeNull();
    expect(await truncatedSelects(page)).toEqual([]);
    await shot(page, '1-opened');
  });
});

describe('working an alert in the console', () => {
  const page = () => pages[1440];
  let alert: Locator;
  let thread: Locator;
  let caseRow: Locator;

  it('creates a TheHive case from an alert and threads the case link under it', async () => {
    // The SSH brute-force sample by name: the samples' jobs run side by side, so which is posted first varies.
    const withCreateCase = page().locator('[data-testid="message"]', {
      has: page().locator('[data-testid="action-button"][data-action-id="hivewire.create_case"]'),
      hasText: 'SSH brute force',
    });
    // By its ts: once the case exists the alert no longer offers Create Case.
    const ts = await withCreateCase.first().getAttribute('data-ts');
    alert = page().locator(`[data-testid="message"][data-ts="${ts}"]`);
    await alert.locator('[data-action-id="hivewire.create_case"]').click();
    caseRow = page().locator('[data-testid="case-row"][data-case-number="1"]');
    await caseRow.waitFor();
    await alert.locator('[data-testid="thread-toggle"]').click();
    thread = alert.locator('[data-testid="thread"]');
    await expectText(thread.locator('[data-testid="thread-reply"]').first(), '#1');
    await expectText(alert.locator('[data-testid="message-body"]').first(), 'Case #1');
  });

  it('sends the Create Case click again, and Hivewire answers privately that the case exists', async () => {
    await alert.locator('[data-testid="replay-click"]').click();
    const answer = page().locator('[data-testid="ephemeral"]', { hasText: 'already exists' });
    await answer.waitFor();

    expect(await answer.innerText()).toContain('Only visible to you');
    // Brought into view, however far from the clicked alert it was posted.
    await page().waitForFunction(
      (selector) => {
        const shown = document.querySelector(selector)?.getBoundingClientRect();
        const timeline = document.querySelector('[data-testid="timeline"]')!.getBoundingClientRect();
        return (
          shown !== undefined &&
          shown.y >= timeline.y &&
          shown.y + shown.height <= timeline.y + timeline.height
        );
      },
      `[data-testid="ephemeral"][data-ts="${await answer.getAttribute('data-ts')}"]`,
    );
    await shot(page(), '2-second-click');
  });

  it('threads the status change made in TheHive back as "→ InProgress"', async () => {
    await caseRow.locator('[data-testid="case-status"]').selectOption('InProgress');
    await expectText(caseRow.locator('[data-testid="case-status-label"]'), 'InProgress');
    await expectText(thread, '→ InProgress');
    await expectText(alert.locator('[data-testid="message-body"]').first(), 'InProgress');
  });

  it('copies a reply in the thread to the case: the comment is on the TheHive case page', async () => {
    const composer = thread.locator('[data-testid="thread-composer-input"]');
    await composer.fill('Key disabled, see <https://evil.example/login|the login page>');
    await composer.press('Enter');
    await caseRow.locator('[data-testid="case-link"]').click();
    const comments = page().locator('[data-testid="case-comments"]');
    await expectText(comments, 'in Slack: Key disabled, see');
    expect(await comments.innerText()).toContain('hxxps://evil[.]example/login');
    expect(await comments.locator('a', { hasText: 'Slack message' }).getAttribute('href')).toMatch(/^http/);
    await shot(page(), '3-reply-as-comment');
    await page().locator('[data-testid="case-detail-back"]').click();
    await alert.waitFor();
    if ((await thread.count()) === 0) await alert.locator('[data-testid="thread-toggle"]').click();
  });

  it('threads a comment added in the TheHive panel under the alert, with the case link', async () => {
    await caseRow.locator('[data-testid="case-comment-input"]').fill('Rotated the key <!channel>');
    await caseRow.locator('[data-testid="case-comment-add"]').click();
    await expectText(thread, 'in TheHive on Case #1');
    await expectText(thread, 'Rotated the key <!channel>');
    // Hivewire's own comment (the reply copied above) was not threaded back.
    expect(await thread.getByText('in Slack:').count()).toBe(0);
    await shot(page(), '3-comment-in-thread');
  });

  it.each(WIDTHS)(
    'keeps toasts clear of the thread’s reply box and the case controls at %i px',
    async (width) => {
      const at = pages[width];
      const ts = (await alert.getAttribute('data-ts'))!;
      const atAlert = at.locator(`[data-testid="message"][data-ts="${ts}"]`);
      if ((await atAlert.locator('[data-testid="thread"]').count()) === 0)
        await atAlert.locator('[data-testid="thread-toggle"]').click();
      const [assignee, mention] =
        width === 1440 ? ['bob@example.com', '@bob'] : ['alice@example.com', '@alice'];
      await at
        .locator('[data-testid="case-row"][data-case-number="1"] [data-testid="case-assignee"]')
        .selectOption(assignee);
      // The reply box at the foot of the channel, and the case's assignee at the foot of the tools panel:
      // each scrolled there and hit-tested in one go (the page rebuilds its DOM on every live update),
      // while the change's toast is shown. A toast goes after 6 s, which a loaded machine can spend
      // before one look: so the page is looked at until a look finds a toast.
      const look = await at.waitForFunction((messageTs) => {
        const hitAtFoot = (selector: string) => {
          const control = document.querySelector(selector)!;
          control.scrollIntoView({ block: 'end' });
          const box = control.getBoundingClientRect();
          return document
            .elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)
            ?.getAttribute('data-testid');
        };
        const hits = {
          toasts: document.querySelectorAll('[data-testid="toast"]').length,
          composer: hitAtFoot(
            `[data-testid="message"][data-ts="${messageTs}"] [data-testid="thread-composer-input"]`,
          ),
          assignee: hitAtFoot('[data-testid="case-row"] [data-testid="case-assignee"]'),
        };
        return hits.toasts > 0 && hits;
      }, ts);
      const hits = (await look.jsonValue()) as { toasts: number; composer?: string; assignee?: string };
      await shot(at, '3-toast');
      expect(hits).toEqual({
        toasts: hits.toasts,
        composer: 'thread-composer-input',
        assignee: 'case-assignee',
      });
      expect(hits.toasts).toBeGreaterThan(0);
      // The change threaded back (TheHive's login is a Slack user: mentioned).
      await expectText(atAlert.locator('[data-testid="thread"]'), `Assigned to ${mention}`);
    },
  );

  it.each(WIDTHS)(
    'shows the closing form with every select whole, the impact labelled, at %i px',
    async (width) => {
      const row = pages[width].locator('[data-testid="case-row"][data-case-number="1"]');
      await row.locator('[data-testid="case-status"]').selectOption('TruePositive');
      const closing = row.locator('[data-testid="case-closing"]');
      await closing.waitFor();

      expect(
        await closing
          .locator('label', { has: pages[width].locator('[data-testid="case-impact"]') })
          .innerText(),
      ).toMatch(/^Impact/);
      expect(await truncatedSelects(pages[width])).toEqual([]);
      await shot(pages[width], '4-closing');
      if (width !== 1440) await closing.locator('[data-testid="case-close-cancel"]').click();
    },
  );

  it('threads the closing as TruePositive with its summary, and the alert shows the resolution', async () => {
    const closing = caseRow.locator('[data-testid="case-closing"]');
    await closing.locator('[data-testid="case-summary"]').fill('Brute force blocked at the security group');
    await closing.locator('[data-testid="case-impact"]').selectOption('NoImpact');
    await closing.locator('[data-testid="case-close"]').click();
    await expectText(caseRow.locator('[data-testid="case-status-label"]'), 'TruePositive');
    await expectText(thread, 'TruePositive');
    await expectText(thread, 'Brute force blocked at the security group');
    await expectText(alert.locator('[data-testid="message-body"]').first(), 'TruePositive');
    await alert.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await shot(page(), '5-closed');
  });

  it('shows the resolution live in the other open console too', async () => {
    const ts = (await alert.getAttribute('data-ts'))!;
    const elsewhere = pages[900].locator(`[data-testid="message"][data-ts="${ts}"]`);
    await expectText(elsewhere.locator('[data-testid="message-body"]').first(), 'TruePositive');
    await expectText(pages[900].locator('[data-testid="case-status-label"]'), 'TruePositive');
    await elsewhere.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await shot(pages[900], '5-closed');
  });

  it('shows a notice when an injected finding is below the severity threshold', async () => {
    await page().locator('.inject-json summary').click();
    await page().locator('[data-testid="inject-json"]').fill(JSON.stringify(LOW_FINDING));
    await page().locator('[data-testid="inject-json-submit"]').click();
    const notice = page().locator('[data-testid="skip-notice"]', { hasText: 'Pasted event' });
    await notice.waitFor();

    expect(await notice.getAttribute('data-threshold')).toBe('MEDIUM');
    expect(await notice.innerText()).toContain('was not posted');
    await shot(page(), '6-skipped');
  });

  it('lists the case behind the sidebar’s Cases link, and renders its description as Markdown', async () => {
    await page().locator('[data-testid="thehive-link"]').click();
    const listed = page().locator('[data-testid="case-list-row"][data-case-number="1"]');
    await expectText(listed, 'TruePositive');
    await listed.locator('[data-testid="case-link"]').click();
    const description = page().locator('[data-testid="case-description"]');
    await description.waitFor();

    expect(await description.locator('[role="heading"]').first().innerText()).toContain('SSH brute force');
    expect(await description.locator('table td', { hasText: 'Finding id' }).count()).toBe(1);
    expect(await description.locator('a', { hasText: 'Slack alert' }).getAttribute('href')).toMatch(/^http/);
    expect(await description.innerText()).not.toMatch(/^\| Field \||\*\*|\\\./m);
    await shot(page(), '7-case-page');
  });
});

/** Waits until the element's text contains `expected` (the console re-renders on every live update). */
async function expectText(locator: Locator, expected: string): Promise<void> {
  await locator.filter({ hasText: expected }).first().waitFor();
  expect(await locator.first().innerText()).toContain(expected);
}
