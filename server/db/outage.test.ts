import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsPage } from '../../shared/events.js';
import type { BoardSnapshot, Ticket } from '../../shared/ticket.js';
import { apiClient, type ApiRequest } from '../testing/http.js';
import { startTcpProxy, type TcpProxy } from '../testing/tcp-proxy.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let database: TestDatabase;
let proxy: TcpProxy;
let server: TestServer;
let api: ApiRequest;

beforeAll(async () => {
  database = await createTestDatabase();
  const direct = new URL(database.url);
  proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(database.url);
  proxied.port = String(proxy.port);
  server = await startTestServer({
    database: { ...database, url: proxied.toString() },
    env: { DB_CONNECT_TIMEOUT_MS: '1000', DB_ACQUIRE_TIMEOUT_MS: '1500', LOG_LEVEL: 'error' },
  });
  api = apiClient(server.baseUrl);
});

afterAll(async () => {
  await server.close();
  await proxy.close();
  await database.drop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('when the database goes away', () => {
  it('answers quickly with 503s, recovers by itself, and loses no acknowledged write', async () => {
    const acknowledged: Ticket[] = [];
    const unavailable: number[] = [];
    let stop = false;

    const writer = async (name: string) => {
      for (let i = 0; !stop && i < 500; i++) {
        const started = performance.now();
        const response = await api<Ticket>('POST', '/api/tickets', { body: { title: `${name} ${i}` } });
        if (response.status === 201) acknowledged.push(response.body);
        else {
          expect(response.status).toBe(503);
          expect(response.headers.get('content-type')).toMatch(/problem\+json/);
          expect(response.headers.get('retry-after')).toBeTruthy();
          expect(performance.now() - started).toBeLessThan(5_000);
          unavailable.push(i);
          await sleep(50);
        }
      }
    };

    const writers = Promise.all([writer('alpha'), writer('beta'), writer('gamma')]);
    await sleep(400);
    const beforeOutage = acknowledged.length;
    await proxy.cut();
    await sleep(300);
    const health = await api<{ status: string; database: string }>('GET', '/api/health');
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({ status: 'unavailable', database: 'unavailable' });
    await sleep(1_200);
    await proxy.restore();

    // Recovery: writes succeed again without a restart.
    const deadline = Date.now() + 15_000;
    let afterOutage = acknowledged.length;
    while (Date.now() < deadline && acknowledged.length < afterOutage + 20) await sleep(100);
    stop = true;
    await writers;
    afterOutage = acknowledged.length;

    expect(beforeOutage).toBeGreaterThan(0);
    expect(unavailable.length).toBeGreaterThan(0);
    expect((await api('GET', '/api/health')).status).toBe(200);

    const board = (await api<BoardSnapshot>('GET', '/api/board')).body;
    const onBoard = new Set(board.columns.open.map((t) => t.id));
    for (const ticket of acknowledged) expect(onBoard.has(ticket.id)).toBe(true);

    const events = (await api<EventsPage>('GET', '/api/events?after=0')).body.events;
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: events.length }, (_, i) => i + 1));
    expect(board.seq).toBe(events.length);
    expect(afterOutage).toBeGreaterThan(beforeOutage);
  });
});
