import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BoardEvent } from '../../../shared/events.js';
import type { BoardSnapshot, Ticket, TicketStatus } from '../../../shared/ticket.js';
import { sleep, waitFor } from '../../../server/realtime/test-sockets.js';
// Brings in the typing of what the test set-up provides (the database server), which the web project does not see.
import type {} from '../../../server/testing/global-setup.js';
import { apiClient, createTicket, type ApiRequest } from '../../../server/testing/http.js';
import { createTestDatabase } from '../../../server/testing/test-database.js';
import { startTestServer, type TestServer } from '../../../server/testing/test-server.js';
import { LiveConnection, type BoardStore, type ConnectionState } from './live.js';

/** A board kept the way the real one is: only through reset() and apply(), checking order as it goes. */
class RecordingBoard implements BoardStore {
  tickets = new Map<number, Ticket>();
  seq = 0;
  applied: number[] = [];
  resets: number[] = [];
  outOfOrder: number[] = [];

  reset(snapshot: BoardSnapshot): void {
    this.tickets = new Map(Object.values(snapshot.columns).flatMap((column) => column.map((t) => [t.id, t] as const)));
    this.seq = snapshot.seq;
    this.resets.push(snapshot.seq);
  }

  apply(event: BoardEvent): void {
    if (event.seq !== this.seq + 1) this.outOfOrder.push(event.seq);
    this.seq = event.seq;
    this.applied.push(event.seq);
    if (event.type === 'ticket.deleted') this.tickets.delete(event.id);
    else this.tickets.set(event.ticket.id, event.ticket);
  }

  columns(): BoardSnapshot['columns'] {
    const columns: Record<TicketStatus, Ticket[]> = { open: [], in_progress: [], closed: [] };
    for (const ticket of this.tickets.values()) columns[ticket.status].push(ticket);
    for (const column of Object.values(columns))
      column.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    return columns;
  }
}

const running: { live: LiveConnection[]; servers: TestServer[] } = { live: [], servers: [] };

afterEach(async () => {
  for (const live of running.live.splice(0)) live.stop();
  for (const server of running.servers.splice(0)) await server.close();
});

async function serve(env: Record<string, string> = {}): Promise<{ server: TestServer; request: ApiRequest }> {
  const server = await startTestServer({ env });
  running.servers.push(server);
  return { server, request: apiClient(server.baseUrl) };
}

function follow(
  server: TestServer,
  options: { requests?: string[]; states?: ConnectionState[]; reconnectAfterMs?: number } = {},
) {
  const board = new RecordingBoard();
  const live = new LiveConnection({
    baseUrl: server.baseUrl,
    clientId: `live-${Math.random().toString(36).slice(2)}`,
    store: board,
    onState: (state) => options.states?.push(state),
    offlineAfterMs: 1_000,
    gapWaitMs: 100,
    socketOptions: {
      transports: ['websocket'],
      reconnectionDelay: options.reconnectAfterMs ?? 200,
      reconnectionDelayMax: options.reconnectAfterMs ?? 200,
      randomizationFactor: 0,
    },
    fetch: (input, init) => {
      options.requests?.push(new URL(String(input)).pathname);
      return fetch(input, init);
    },
  });
  running.live.push(live);
  return { board, live };
}

async function serverBoard(request: ApiRequest): Promise<BoardSnapshot> {
  return (await request<BoardSnapshot>('GET', '/api/board')).body;
}

async function expectConverged(request: ApiRequest, board: RecordingBoard, live: LiveConnection): Promise<void> {
  const snapshot = await serverBoard(request);
  await waitFor(() => live.seq === snapshot.seq, `the client to reach seq ${snapshot.seq}`);
  expect(board.outOfOrder).toEqual([]);
  expect(board.columns()).toEqual(snapshot.columns);
}

async function writeSome(request: ApiRequest, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const ticket = await createTicket(request, { title: `Away ${i}` });
    if (i % 4 === 1) await request('PATCH', `/api/tickets/${ticket.id}`, { body: { priority: 'critical' } });
    if (i % 4 === 2) await request('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'closed' } });
    if (i % 4 === 3) await request('DELETE', `/api/tickets/${ticket.id}`);
  }
}

describe('LiveConnection against the real server', () => {
  it('loads the board, then applies every write, and says it is connected', async () => {
    const { server, request } = await serve();
    await createTicket(request, { title: 'Before start' });
    const states: ConnectionState[] = [];
    const { board, live } = follow(server, { states });
    await live.start();
    expect(live.state).toBe('connected');
    expect(states).toEqual(['connected']);
    expect(board.resets).toEqual([1]);
    await writeSome(request, 8);
    await expectConverged(request, board, live);
    expect(board.applied[0]).toBe(2);
  });

  it('misses nothing written while it starts, and applies nothing twice', async () => {
    const { server, request } = await serve();
    const writing = writeSome(request, 40);
    await sleep(50);
    const { board, live } = follow(server);
    await live.start();
    await writing;
    await expectConverged(request, board, live);
    expect(new Set(board.applied).size).toBe(board.applied.length);
  });

  it('applies 300 concurrent writes from 4 writers exactly once, in seq order', async () => {
    const { server, request } = await serve();
    const { board, live } = follow(server);
    await live.start();
    const start = live.seq;
    const writers = [1, 2, 3, 4].map((n) => apiClient(server.baseUrl, { 'x-client-id': `writer-${n}` }));
    await Promise.all(
      writers.map(async (writer, n) => {
        for (let i = 0; i < 75; i++) await createTicket(writer, { title: `Load ${n}.${i}` });
      }),
    );
    await expectConverged(request, board, live);
    expect(board.applied).toEqual(Array.from({ length: 300 }, (_, i) => start + 1 + i));
  });

  it('holds back an early event, fills the gap from the log, and ignores a duplicate', async () => {
    const { server, request } = await serve();
    const requests: string[] = [];
    const { board, live } = follow(server, { requests });
    await live.start();
    const io = server.desk.io;
    const emit = io.emit.bind(io);
    let dropped: BoardEvent | undefined;
    io.emit = ((name: 'board:event', event: BoardEvent) => {
      if (!dropped) {
        dropped = event;
        return true;
      }
      return emit(name, event);
    }) as typeof io.emit;
    await createTicket(request, { title: 'Lost on the wire' });
    await createTicket(request, { title: 'Arrives early' });
    await expectConverged(request, board, live);
    expect(requests.filter((path) => path === '/api/events')).toHaveLength(1);

    emit('board:event', dropped!);
    await createTicket(request, { title: 'After the duplicate' });
    await expectConverged(request, board, live);
    expect(board.applied).toEqual([1, 2, 3]);
  });

  it('recovers a short drop through connection-state recovery, without asking the log', async () => {
    const { server, request } = await serve();
    const requests: string[] = [];
    const states: ConnectionState[] = [];
    const { board, live } = follow(server, { requests, states, reconnectAfterMs: 2_500 });
    await live.start();
    // Recovery resumes from the offset of the last event received: have one.
    await createTicket(request, { title: 'Seen before the drop' });
    await waitFor(() => live.seq === 1, 'the first event');
    live.socket!.io.engine.close();
    await writeSome(request, 50);
    await expectConverged(request, board, live);
    expect(live.socket!.recovered).toBe(true);
    expect(states).toEqual(['connected', 'reconnecting', 'offline', 'connected']);
    expect(requests).toEqual(['/api/board']);
  });

  it('catches up from the log after a drop longer than the recovery window', async () => {
    const { server, request } = await serve({ RECOVERY_WINDOW_MS: '500' });
    const requests: string[] = [];
    const { board, live } = follow(server, { requests, reconnectAfterMs: 2_500 });
    await live.start();
    live.socket!.io.engine.close();
    await writeSome(request, 50);
    await expectConverged(request, board, live);
    expect(live.socket!.recovered).toBe(false);
    expect(requests[0]).toBe('/api/board');
    expect(requests.slice(1).every((path) => path === '/api/events')).toBe(true);
    expect(board.resets).toHaveLength(1);
  });

  it('reloads the board when the drop reaches past what the log keeps', async () => {
    const { server, request } = await serve({ RECOVERY_WINDOW_MS: '500', EVENT_REPLAY_WINDOW: '10' });
    const requests: string[] = [];
    const { board, live } = follow(server, { requests, reconnectAfterMs: 2_500 });
    await live.start();
    live.socket!.io.engine.close();
    await writeSome(request, 50);
    await expectConverged(request, board, live);
    expect(requests.slice(0, 3)).toEqual(['/api/board', '/api/events', '/api/board']);
    expect(board.resets).toEqual([0, (await serverBoard(request)).seq]);
  });

  it('loads the board by itself when start() failed and the connection comes back', async () => {
    const { server, request } = await serve();
    await createTicket(request, { title: 'Waiting to be seen' });
    let refuseBoard = true;
    const board = new RecordingBoard();
    const live = new LiveConnection({
      baseUrl: server.baseUrl,
      clientId: 'late-loader',
      store: board,
      socketOptions: { transports: ['websocket'], reconnectionDelay: 200, randomizationFactor: 0 },
      fetch: (input, init) =>
        refuseBoard && String(input).endsWith('/api/board')
          ? Promise.reject(new TypeError('fetch failed'))
          : fetch(input, init),
    });
    running.live.push(live);
    await expect(live.start()).rejects.toMatchObject({ status: 0 });
    expect(board.resets).toEqual([]);
    refuseBoard = false;
    live.socket!.io.engine.close();
    await expectConverged(request, board, live);
    expect(board.resets).toEqual([1]);
  });

  it('resync() brings the board up to date on demand', async () => {
    const { server, request } = await serve();
    const { board, live } = follow(server);
    await live.start();
    const io = server.desk.io;
    io.emit = (() => true) as typeof io.emit;
    await writeSome(request, 5);
    await sleep(200);
    expect(live.seq).toBe(0);
    await live.resync();
    await expectConverged(request, board, live);
  });
});

// CI always sets TEST_REDIS_URL (redis://127.0.0.1:6379); `npm test` on a fresh machine has no Redis and skips this.
const redisUrl = process.env.TEST_REDIS_URL;

describe.skipIf(!redisUrl)('LiveConnection with two instances behind Redis', () => {
  it('stays equal to the board while writes go through both instances at once', async () => {
    const database = await createTestDatabase();
    const env = { REDIS_URL: redisUrl!, REDIS_PREFIX: `ticketdesk-test-${randomUUID()}` };
    try {
      const a = await startTestServer({ database, env });
      running.servers.push(a);
      const b = await startTestServer({ database, env });
      running.servers.push(b);
      await sleep(300);
      const { board, live } = follow(a);
      await live.start();
      const start = live.seq;
      const writers = [a, b, a, b].map((server, n) => apiClient(server.baseUrl, { 'x-client-id': `writer-${n}` }));
      await Promise.all(
        writers.map(async (writer, n) => {
          for (let i = 0; i < 25; i++) await createTicket(writer, { title: `Both ${n}.${i}` });
        }),
      );
      await expectConverged(apiClient(b.baseUrl), board, live);
      expect(board.applied).toEqual(Array.from({ length: 100 }, (_, i) => start + 1 + i));
    } finally {
      for (const live of running.live.splice(0)) live.stop();
      for (const server of running.servers.splice(0)) await server.close();
      await database.drop();
    }
  });
});
