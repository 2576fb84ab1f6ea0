import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, Ticket } from '../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../server/testing/http.js';
import {
  card,
  column,
  columnIds,
  dragCard,
  eventually,
  launchBrowser,
  openBoard,
  type TestBrowser,
} from './support/browser.js';
import { startBoardServer, type BoardServer } from './support/server.js';

let chromium: TestBrowser;

beforeAll(async () => {
  chromium = await launchBrowser();
});

afterAll(async () => {
  await chromium?.close();
});

async function expectSameBoard(page: Page, api: ApiRequest): Promise<void> {
  const { body } = await api<BoardSnapshot>('GET', '/api/board');
  for (const status of ['open', 'in_progress', 'closed'] as const) {
    await expect
      .poll(() => columnIds(page, status), { timeout: 15_000 })
      .toEqual(body.columns[status].map((ticket) => ticket.id));
  }
}

describe('two people on one board', () => {
  let server: BoardServer;
  let api: ApiRequest;

  beforeAll(async () => {
    server = await startBoardServer();
    api = apiClient(server.baseUrl);
  });

  afterAll(async () => {
    await server?.stop();
    await server?.database.drop();
  });

  it('sees a ticket created, edited, dragged to another column and reordered by the other, without reload', async () => {
    const first = await createTicket(api, { title: 'Already there' });
    const ada = await openBoard(chromium.browser, server.baseUrl, { name: 'Ada' });
    const grace = await openBoard(chromium.browser, server.baseUrl, { name: 'Grace' });
    await grace.getByRole('group', { name: /On the board: Grace \(you\), Ada/ }).waitFor();

    await ada.getByRole('button', { name: 'New ticket' }).click();
    await ada.getByRole('dialog').getByLabel('Title').fill('Payroll export stuck');
    await ada.getByRole('dialog').getByRole('button', { name: 'Create ticket' }).click();
    const created = await eventually(async () => {
      const { body } = await api<{ items: Ticket[] }>('GET', '/api/tickets?q=payroll');
      expect(body.items).toHaveLength(1);
      return body.items[0]!;
    });
    await card(grace, created.id).waitFor();
    expect(await card(grace, created.id).locator('.highlighted').count()).toBe(1);

    await card(ada, created.id).click();
    const dialog = ada.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Payroll export stuck since 02:00');
    // Grace sees who has the ticket open.
    await card(grace, created.id).locator('.viewers').waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => card(grace, created.id).locator('.title').textContent())
      .toBe('Payroll export stuck since 02:00');

    const target = await column(ada, 'in_progress').boundingBox();
    await dragCard(ada, card(ada, created.id), { x: target!.x + target!.width / 2, y: target!.y + 30 });
    await expect.poll(() => columnIds(ada, 'in_progress')).toEqual([created.id]);
    await expect.poll(() => columnIds(grace, 'in_progress')).toEqual([created.id]);
    await eventually(async () => {
      expect((await api<Ticket>('GET', `/api/tickets/${created.id}`)).body.status).toBe('in_progress');
    });

    const later = await createTicket(api, { title: 'Reorder me', status: 'in_progress' });
    await expect.poll(() => columnIds(ada, 'in_progress')).toEqual([later.id, created.id]);
    // The arriving card slides the others down (flip animation): measure where they end up, not mid-slide.
    await ada.waitForTimeout(400);
    const below = await card(ada, created.id).boundingBox();
    await dragCard(ada, card(ada, later.id), { x: below!.x + below!.width / 2, y: below!.y + below!.height * 0.9 });
    await expect.poll(() => columnIds(ada, 'in_progress')).toEqual([created.id, later.id]);
    await expect.poll(() => columnIds(grace, 'in_progress')).toEqual([created.id, later.id]);
    await expectSameBoard(grace, api);
    expect(await columnIds(grace, 'open')).toEqual([first.id]);
    await ada.context().close();
    await grace.context().close();
  });

  it('tells the dialog that someone else changed its ticket, and lets the user keep theirs or overwrite', async () => {
    const ticket = await createTicket(api, { title: 'Shared printer queue' });
    const page = await openBoard(chromium.browser, server.baseUrl, { name: 'Ada' });
    await card(page, ticket.id).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Title').fill('Shared printer queue (mine)');

    const theirs = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, {
      body: { title: 'Shared printer queue (theirs)' },
    });
    expect(theirs.status).toBe(200);
    await dialog.getByText(/just changed this ticket/).waitFor();
    expect(await dialog.getByLabel('Title').inputValue()).toBe('Shared printer queue (mine)');

    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.getByText(/Which version should stay/).waitFor();
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.title).toBe('Shared printer queue (theirs)');

    await dialog.getByRole('button', { name: 'Overwrite with mine' }).click();
    await dialog.waitFor({ state: 'detached' });
    await eventually(async () =>
      expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.title).toBe('Shared printer queue (mine)'),
    );
    await page.context().close();
  });

  it('rolls a refused drag back with a visible message, and shows the other person’s move that won', async () => {
    const ticket = await createTicket(api, { title: 'Contested ticket' });
    const page = await openBoard(chromium.browser, server.baseUrl);
    await card(page, ticket.id).waitFor();
    // Someone else moves it while this drag is on its way: the server answers 412 and their move wins.
    await page.route('**/api/tickets/*/move', async (route) => {
      await api('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'in_progress' } });
      await route.continue();
    });
    const closed = await column(page, 'closed').boundingBox();
    await dragCard(page, card(page, ticket.id), { x: closed!.x + closed!.width / 2, y: closed!.y + 30 });
    await page
      .locator('[data-toast="error"]')
      .getByText(/changed by someone else first/)
      .waitFor();
    await expect.poll(() => columnIds(page, 'in_progress')).toContain(ticket.id);
    expect(await columnIds(page, 'closed')).not.toContain(ticket.id);
    await page.unroute('**/api/tickets/*/move');

    await page.route('**/api/tickets/*/move', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: JSON.stringify({ type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'try again' }),
      }),
    );
    await dragCard(page, card(page, ticket.id), { x: closed!.x + closed!.width / 2, y: closed!.y + 30 });
    await page
      .locator('[data-toast="error"]')
      .getByText(/Could not move/)
      .waitFor();
    await expect.poll(() => columnIds(page, 'in_progress')).toContain(ticket.id);
    expect(await columnIds(page, 'closed')).not.toContain(ticket.id);
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.status).toBe('in_progress');
    await page.context().close();
  });
});

describe('a server that goes away and comes back', () => {
  it('shows the connection state and converges on the server’s board, including changes made meanwhile', async () => {
    let server = await startBoardServer();
    const { port, database } = server;
    const api = apiClient(server.baseUrl);
    const kept = await createTicket(api, { title: 'Survives the restart' });
    const moved = await createTicket(api, { title: 'Moved while away' });
    const page = await openBoard(chromium.browser, server.baseUrl);
    await page.locator('[data-connection="connected"]').waitFor();

    await server.stop();
    await page.locator('[data-connection="reconnecting"], [data-connection="offline"]').waitFor();

    // Another instance of the same board takes writes while this page's server is down.
    const other = await startBoardServer({ database, webDir: null });
    const otherApi = apiClient(other.baseUrl);
    const added = await createTicket(otherApi, { title: 'Created while away', priority: 'high' });
    await otherApi('POST', `/api/tickets/${moved.id}/move`, { body: { status: 'closed' } });
    await otherApi('DELETE', `/api/tickets/${kept.id}`);
    await other.stop();

    server = await startBoardServer({ database, port });
    try {
      await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
      await expectSameBoard(page, api);
      expect(await columnIds(page, 'open')).toEqual([added.id]);
      expect(await columnIds(page, 'closed')).toEqual([moved.id]);
    } finally {
      await page.context().close();
      await server.stop();
      await database.drop();
    }
  });
});
