import { chromium, type Browser, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';

export interface TestBrowser {
  browser: Browser;
  close(): Promise<void>;
}

/** Debian's Chromium (CHROMIUM_PATH overrides), headless; Playwright gives it a throwaway profile. */
export async function launchBrowser(): Promise<TestBrowser> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    browser,
    close: () => browser.close(),
  };
}

/** A fresh visitor who has already told the board their name, looking at `url` until the board is loaded. */
export async function openBoard(
  browser: Browser,
  url: string,
  options: BrowserContextOptions & { name?: string; waitForBoard?: boolean } = {},
): Promise<Page> {
  const { name = 'Ada', waitForBoard = true, ...contextOptions } = options;
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...contextOptions });
  await context.addInitScript((saved) => localStorage.setItem('ticketdesk.name', saved), name);
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.dismiss());
  await page.goto(url);
  if (waitForBoard) await page.locator('.board[aria-busy="false"]').waitFor();
  return page;
}

export function card(page: Page, id: number): Locator {
  return page.locator(`[data-column] > [aria-label^="#${id} "]`);
}

export function column(page: Page, status: string): Locator {
  return page.locator(`[data-column="${status}"]`);
}

/** The ids of the cards in a column, top to bottom. */
export async function columnIds(page: Page, status: string): Promise<number[]> {
  const labels = await column(page, status)
    .locator(':scope > [aria-label]')
    .evaluateAll((cards) => cards.map((element) => element.getAttribute('aria-label') ?? ''));
  return labels.map((label) => Number(/^#(\d+)/.exec(label)?.[1]));
}

/** A mouse drag svelte-dnd-action accepts: lift, a short move, travel in steps, and a pause before the drop. */
export async function dragCard(page: Page, from: Locator, to: { x: number; y: number }): Promise<void> {
  const box = await from.boundingBox();
  if (!box) throw new Error('the card to drag is not on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 10, box.y + box.height / 2 + 10, { steps: 5 });
  await page.waitForTimeout(100);
  await page.mouse.move(to.x, to.y, { steps: 25 });
  await page.waitForTimeout(300);
  await page.mouse.up();
}

/** Waits until `check` holds in Node (for API state), polling. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw lastError;
}
