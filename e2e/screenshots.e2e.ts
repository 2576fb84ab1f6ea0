import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { CreateTicketBody } from '../shared/ticket.js';
import { apiClient } from '../server/testing/http.js';
import { launchBrowser, openBoard, type TestBrowser } from './support/browser.js';
import { startBoardServer, type BoardServer } from './support/server.js';

const screenshots = fileURLToPath(new URL('./screenshots/', import.meta.url));

const tickets: CreateTicketBody[] = [
  { title: 'Nightly backup of billing-db failed once', priority: 'medium', status: 'closed' },
  { title: 'Slack alerts for deploys arrive twice', priority: 'low', status: 'closed' },
  { title: 'Disk usage above 90% on db-replica-2', priority: 'high', status: 'in_progress' },
  { title: 'SSO login loops for contractor accounts', priority: 'critical', status: 'in_progress' },
  { title: 'Printer on floor 3 shows offline', priority: 'low' },
  { title: 'VPN drops every 20 minutes on macOS 15', priority: 'high' },
  { title: 'Password reset emails delayed by ~10 minutes', priority: 'medium' },
  { title: 'Checkout returns 502 for EU customers', priority: 'critical' },
];

let server: BoardServer;
let chromium: TestBrowser;

beforeAll(async () => {
  [server, chromium] = await Promise.all([startBoardServer(), launchBrowser()]);
  const api = apiClient(server.baseUrl);
  for (const ticket of tickets) await api('POST', '/api/tickets', { body: ticket });
  await api('PATCH', '/api/tickets/3', { body: { priority: 'high', description: 'Replica lag alarms too.' } });
});

afterAll(async () => {
  await chromium?.close();
  await server?.stop();
  await server?.database.drop();
});

describe('screenshots for the README', () => {
  it('desktop light, desktop dark, phone (with a second person present) and a ticket’s dialog', async () => {
    const colleague = await openBoard(chromium.browser, server.baseUrl, { name: 'Grace Hopper' });
    await colleague.locator('[data-column] > [aria-label^="#6 "]').click();
    const shots = [
      { file: 'board-desktop-light.png', options: { colorScheme: 'light' as const } },
      { file: 'board-desktop-dark.png', options: { colorScheme: 'dark' as const } },
      {
        file: 'board-phone.png',
        options: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
      },
    ];
    for (const { file, options } of shots) {
      const page = await openBoard(chromium.browser, server.baseUrl, { name: 'Ada Lovelace', ...options });
      await page.locator('[data-column] .viewers').first().waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: `${screenshots}${file}` });
      await page.context().close();
    }
    const page = await openBoard(chromium.browser, server.baseUrl, { name: 'Ada Lovelace' });
    await page.locator('[data-column] > [aria-label^="#3 "]').click();
    await page.getByRole('dialog').getByText('changed').first().waitFor();
    await page.screenshot({ path: `${screenshots}ticket-dialog.png` });
    await page.context().close();
    await colleague.context().close();
  });
});
