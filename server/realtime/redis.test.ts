import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceEntry } from '../../shared/events.js';
import type { Ticket } from '../../shared/ticket.js';
import { apiClient, createTicket } from '../testing/http.js';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { connectBoard, recordEvents, sleep, waitFor, type BoardClient } from './test-sockets.js';
import { freePort } from '../db/embedded.js';

// CI always sets TEST_REDIS_URL (redis://127.0.0.1:6379); `npm test` on a fresh machine has no Redis and skips these.
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('two instances sharing Redis', () => {
  const prefix = `ticketdesk-test-${randomUUID()}`;
  let database: TestDatabase;
  let a: TestServer;
  let b: TestServer;
  const sockets: BoardClient[] = [];

  async function connect(server: TestServer, clientId: string, name: string): Promise<BoardClient> {
    const socket = await connectBoard(server.baseUrl, { clientId, auth: { clientId, name } });
    sockets.push(socket);
    return socket;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: prefix };
    a = await startTestServer({ database, env });
    b = await startTestServer({ database, env });
    // The adapters start reading the stream from "now": give their first read a moment to begin.
    await sleep(300);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.close();
    await a?.close();
    await b?.close();
    await database?.drop();
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.close();
  });

  it('reports Redis in /api/health', async () => {
    const health = await apiClient(a.baseUrl)('GET', '/api/health');
    expect(health).toMatchObject({ status: 200, body: { status: 'ok', database: 'ok', redis: 'ok' } });
  });

  it('brings writes made through B to a client on A, in order', async () => {
    const onA = await connect(a, 'reader-on-a', 'Reader A');
    const heard = recordEvents(onA);
    const throughB = apiClient(b.baseUrl, { 'x-client-id': 'writer-on-b' });
    const tickets: Ticket[] = [];
    for (let i = 0; i < 20; i++) tickets.push(await createTicket(throughB, { title: `From B ${i}` }));
    await throughB('POST', `/api/tickets/${tickets[0]!.id}/move`, { body: { status: 'closed' } });
    await throughB('DELETE', `/api/tickets/${tickets[1]!.id}`);

    await waitFor(() => heard.length === 22, 'all 22 events on A');
    const seqs = heard.map((event) => event.seq);
    expect(seqs).toEqual(Array.from({ length: 22 }, (_, i) => seqs[0]! + i));
    expect(heard.every((event) => event.origin === 'writer-on-b')).toBe(true);
    expect(heard[0]).toMatchObject({ type: 'ticket.created', ticket: tickets[0] });
    expect(heard.at(-1)).toMatchObject({ type: 'ticket.deleted', id: tickets[1]!.id });
  });

  it('shows people on both instances in the presence list, and drops them when they leave', async () => {
    const onA = await connect(a, 'presence-a', 'Ada');
    let seenOnA: PresenceEntry[] = [];
    onA.on('presence', (people) => (seenOnA = people));
    const onB = await connect(b, 'presence-b', 'Bea');
    let seenOnB: PresenceEntry[] = [];
    onB.on('presence', (people) => (seenOnB = people));

    const names = (people: PresenceEntry[]) => people.map((person) => person.name);
    await waitFor(() => names(seenOnA).includes('Bea') && names(seenOnB).includes('Ada'), 'each seeing the other');
    onB.emit('presence:update', { viewing: 7 });
    await waitFor(() => seenOnA.some((person) => person.clientId === 'presence-b' && person.viewing === 7), 'Bea on 7');
    onB.close();
    await waitFor(() => !names(seenOnA).includes('Bea'), 'Bea gone from A', 5_000);
  });
});

describe.skipIf(!redisUrl)('an instance whose Redis goes away', () => {
  let redis: ChildProcess | undefined;
  let server: TestServer | undefined;

  afterAll(async () => {
    redis?.kill();
    await server?.close();
  });

  it('answers /api/health with 503 naming Redis', async () => {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    const url = `redis://127.0.0.1:${port}`;
    server = await startTestServer({ env: { REDIS_URL: url, REDIS_PREFIX: `ticketdesk-test-${randomUUID()}` } });
    const request = apiClient(server.baseUrl);
    expect(await request('GET', '/api/health')).toMatchObject({ status: 200, body: { redis: 'ok' } });

    redis.kill();
    await waitFor(() => redis!.exitCode !== null || redis!.signalCode !== null, 'redis to stop');
    const health = await request('GET', '/api/health');
    expect(health).toMatchObject({
      status: 503,
      body: { status: 'unavailable', database: 'ok', redis: 'unavailable' },
    });
  });
});
