import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../server/testing/http.js';
import { buildBoard } from '../scripts/web-build.js';
import { card, columnIds, eventually, launchBrowser, openBoard, type TestBrowser } from './support/browser.js';
import { startBoardServer, type BoardServer } from './support/server.js';
import { serveStatic, type StaticSite } from './support/static-server.js';

let chromium: TestBrowser;
let server: BoardServer;
let api: ApiRequest;
let allowed: StaticSite;
let foreign: StaticSite;
let staticDir: string;

beforeAll(async () => {
  staticDir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-static-'));
  [chromium, allowed, foreign] = await Promise.all([launchBrowser(), serveStatic(staticDir), serveStatic(staticDir)]);
  server = await startBoardServer({ webDir: null, env: { CORS_ORIGINS: allowed.origin } });
  api = apiClient(server.baseUrl);
  await buildBoard(staticDir, server.baseUrl);
});

afterAll(async () => {
  await chromium?.close();
  await Promise.all([allowed?.close(), foreign?.close()]);
  await server?.stop();
  await server?.database.drop();
  if (staticDir) rmSync(staticDir, { recursive: true, force: true });
});

describe('the static build on another origin (VITE_API_URL)', () => {
  it('works against the API when its origin is in CORS_ORIGINS: load, live events, writes', async () => {
    const existing = await createTicket(api, { title: 'Visible across origins' });
    const page = await openBoard(chromium.browser, allowed.origin);
    await card(page, existing.id).waitFor();
    await page.locator('[data-connection="connected"]').waitFor();

    const live = await createTicket(api, { title: 'Arrives over the socket' });
    await card(page, live.id).waitFor();

    await page.getByRole('button', { name: 'New ticket' }).click();
    await page.getByRole('dialog').getByLabel('Title').fill('Written from the static site');
    await page.getByRole('dialog').getByRole('button', { name: 'Create ticket' }).click();
    await eventually(async () => {
      const { body } = await api<{ items: Ticket[] }>('GET', '/api/tickets?q=static%20site');
      expect(body.items).toHaveLength(1);
    });
    await page.context().close();
  });

  it('gives a page on an origin not in CORS_ORIGINS neither data nor events', async () => {
    await createTicket(api, { title: 'Not for strangers' });
    const page = await openBoard(chromium.browser, foreign.origin, { waitForBoard: false });
    await page.getByRole('alert').getByText('The board could not be loaded').waitFor();
    await createTicket(api, { title: 'Still not for strangers' });
    await page.waitForTimeout(1_500);
    expect(await page.locator('[data-column] > [aria-label]').count()).toBe(0);
    expect(await page.locator('[data-connection="connected"]').count()).toBe(0);

    const direct = await page.evaluate(async (apiUrl) => {
      try {
        const response = await fetch(`${apiUrl}/api/board`);
        return `status ${response.status}`;
      } catch {
        return 'blocked';
      }
    }, server.baseUrl);
    expect(direct).toBe('blocked');
    const socket = await page.evaluate(
      (apiUrl) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${apiUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`);
          ws.onmessage = () => resolve('handshake accepted');
          ws.onerror = () => resolve('refused');
          setTimeout(() => resolve('no answer'), 5_000);
        }),
      server.baseUrl,
    );
    expect(socket).toBe('refused');
    expect(await columnIds(page, 'open')).toEqual([]);
    await page.context().close();
  });
});
