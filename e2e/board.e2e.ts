import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, Ticket } from '../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../server/testing/http.js';
import { card, column, columnIds, eventually, launchBrowser, openBoard, type TestBrowser } from './support/browser.js';
import { startBoardServer, type BoardServer } from './support/server.js';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server: BoardServer;
let chromium: TestBrowser;
let api: ApiRequest;

beforeAll(async () => {
  [server, chromium] = await Promise.all([startBoardServer(), launchBrowser()]);
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  await server?.database.drop();
});

async function boardIds(status: keyof BoardSnapshot['columns']): Promise<number[]> {
  const { body } = await api<BoardSnapshot>('GET', '/api/board');
  return body.columns[status].map((ticket) => ticket.id);
}

async function axeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugger protocol: the board's CSP rightly refuses an injected <script>.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> };
      }
    ).axe;
    return (await axe.run()).violations;
  });
  return results
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
}

describe('the board in a browser', () => {
  it('creates (button and n key), edits and deletes a ticket through the dialog, with its history', async () => {
    const page = await openBoard(chromium.browser, server.baseUrl);

    await page.getByRole('button', { name: 'New ticket' }).click();
    const dialog = page.getByRole('dialog', { name: 'New ticket' });
    await dialog.getByLabel('Title').fill('Mail server rejects large attachments');
    await dialog.getByLabel('Priority').selectOption('high');
    await dialog.getByRole('button', { name: 'Create ticket' }).click();
    await dialog.waitFor({ state: 'detached' });
    const created = await eventually(async () => {
      const { body } = await api<{ items: Ticket[] }>('GET', '/api/tickets?q=attachments');
      expect(body.items).toHaveLength(1);
      return body.items[0]!;
    });
    expect(created).toMatchObject({ priority: 'high', status: 'open' });
    await card(page, created.id).waitFor();

    await page.locator('body').press('n');
    const second = page.getByRole('dialog', { name: 'New ticket' });
    await second.getByLabel('Title').fill('Badge reader at door 2 beeps');
    await second.getByLabel('Title').press('Enter');
    await second.waitFor({ state: 'detached' });
    await expect.poll(() => columnIds(page, 'open')).toHaveLength(2);

    await card(page, created.id).click();
    const edit = page.getByRole('dialog', { name: `Ticket #${created.id}` });
    await edit.getByText('created the ticket').waitFor();
    await edit.getByLabel('Title').fill('Mail server rejects attachments over 10 MB');
    await edit.getByLabel('Description').fill('Since the relay upgrade.');
    await edit.getByLabel('Priority').selectOption('critical');
    await edit.getByLabel('Status').selectOption('in_progress');
    await edit.getByRole('button', { name: 'Save' }).click();
    await edit.waitFor({ state: 'detached' });
    await eventually(async () => {
      const { body } = await api<Ticket>('GET', `/api/tickets/${created.id}`);
      expect(body).toMatchObject({
        title: 'Mail server rejects attachments over 10 MB',
        description: 'Since the relay upgrade.',
        priority: 'critical',
        status: 'in_progress',
        version: 2,
      });
    });
    await column(page, 'in_progress').locator(`[aria-label^="#${created.id} "]`).waitFor();
    await expect.poll(() => card(page, created.id).textContent()).toContain('Critical');

    await card(page, created.id).click();
    const again = page.getByRole('dialog', { name: `Ticket #${created.id}` });
    await again.getByText('priority').first().waitFor();
    // History names who made each change: the name this person gave the board.
    await expect.poll(() => again.locator('.history').textContent()).toContain('Ada');
    await again.getByRole('button', { name: 'Delete…' }).click();
    await again.getByRole('button', { name: 'Delete ticket' }).click();
    await again.waitFor({ state: 'detached' });
    await card(page, created.id).waitFor({ state: 'detached' });
    expect((await api('GET', `/api/tickets/${created.id}`)).status).toBe(404);
    await page.context().close();
  });

  it('shows a title full of markup as text, never as HTML', async () => {
    let alerted = false;
    const hostile = await createTicket(api, { title: '<img src=x onerror=alert(1)>' });
    const page = await openBoard(chromium.browser, server.baseUrl);
    page.on('dialog', () => (alerted = true));
    await card(page, hostile.id).waitFor();
    expect(await card(page, hostile.id).locator('.title').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await page.locator('[data-column] img').count()).toBe(0);
    expect(alerted).toBe(false);
    await page.context().close();
  });

  it('moves a card with the keyboard only: lift, arrows, drop; Escape cancels', async () => {
    const a = await createTicket(api, { title: 'Keyboard A' });
    const b = await createTicket(api, { title: 'Keyboard B' });
    const page = await openBoard(chromium.browser, `${server.baseUrl}/?q=keyboard`);
    await expect.poll(() => columnIds(page, 'open')).toEqual([b.id, a.id]);

    await card(page, b.id).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => columnIds(page, 'open')).toEqual([a.id, b.id]);
    await eventually(async () => {
      const open = await boardIds('open');
      expect(open.indexOf(a.id)).toBeLessThan(open.indexOf(b.id));
    });

    await card(page, a.id).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await eventually(async () => expect(await boardIds('in_progress')).toContain(a.id));
    expect(await columnIds(page, 'in_progress')).toEqual([a.id]);

    const before = await api<Ticket>('GET', `/api/tickets/${b.id}`);
    await card(page, b.id).focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Escape');
    await expect.poll(() => columnIds(page, 'open')).toEqual([b.id]);
    expect(await columnIds(page, 'in_progress')).toEqual([a.id]);
    expect((await api<Ticket>('GET', `/api/tickets/${b.id}`)).body.version).toBe(before.body.version);
    await page.context().close();
  });

  it('filters by text and priority, keeps the filter in the URL, and focuses search with /', async () => {
    await createTicket(api, { title: 'Router flapping in rack 7', priority: 'critical' });
    await createTicket(api, { title: 'Router firmware notice', priority: 'low' });
    const page = await openBoard(chromium.browser, server.baseUrl);
    await page.locator('body').press('/');
    await page.keyboard.type('router');
    await expect.poll(() => columnIds(page, 'open')).toHaveLength(2);
    await page.getByRole('button', { name: 'Critical' }).click();
    await expect.poll(() => columnIds(page, 'open')).toHaveLength(1);
    expect(new URL(page.url()).search).toBe('?q=router&priority=critical');
    await page.reload();
    await page.locator('.board[aria-busy="false"]').waitFor();
    await expect.poll(() => columnIds(page, 'open')).toHaveLength(1);
    expect(await page.getByRole('searchbox').inputValue()).toBe('router');
    await page.context().close();
  });

  it('passes axe-core without serious or critical violations, light and dark, board and dialog', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const page = await openBoard(chromium.browser, server.baseUrl, { colorScheme });
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'New ticket' }).click();
      await page.getByRole('dialog').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    }
  });
});
