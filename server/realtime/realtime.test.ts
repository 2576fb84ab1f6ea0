import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardEvent, PresenceEntry, SocketProblem } from '../../shared/events.js';
import type { BoardSnapshot, Ticket } from '../../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../testing/http.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';
import { connectBoard, recordEvents, sleep, waitFor, type BoardClient } from './test-sockets.js';
import { AVATAR_COLORS } from './presence.js';

let server: TestServer;
let request: ApiRequest;
const sockets: BoardClient[] = [];

async function connect(...args: Parameters<typeof connectBoard>): Promise<BoardClient> {
  const socket = await connectBoard(...args);
  sockets.push(socket);
  return socket;
}

async function boardSeq(): Promise<number> {
  const { body } = await request<BoardSnapshot>('GET', '/api/board');
  return body.seq;
}

beforeAll(async () => {
  server = await startTestServer({ env: { SOCKET_MAX_MESSAGE_BYTES: '1024', SOCKET_MESSAGES_PER_10S: '20' } });
  request = apiClient(server.baseUrl);
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await server.close();
});

describe('board events', () => {
  it('brings every kind of write to every client, with its seq and origin, after it is committed', async () => {
    const alice = await connect(server.baseUrl);
    const bob = await connect(server.baseUrl);
    const toAlice = recordEvents(alice);
    const toBob = recordEvents(bob);
    const start = await boardSeq();
    const headers = { 'x-client-id': 'writer-1' };
    const committedWhenHeard: number[] = [];
    bob.on('board:event', (event) => {
      if (event.type === 'ticket.created') {
        void request<Ticket>('GET', `/api/tickets/${event.ticket.id}`).then(({ status }) =>
          committedWhenHeard.push(status),
        );
      }
    });

    const created = await createTicket(apiClient(server.baseUrl, headers), {
      title: 'Mail relay down',
      priority: 'high',
    });
    const other = await createTicket(request, { title: 'Printer on fire' });
    const patched = await request<Ticket>('PATCH', `/api/tickets/${created.id}`, {
      body: { title: 'Mail relay down in EU' },
      headers,
    });
    const moved = await request<Ticket>('POST', `/api/tickets/${created.id}/move`, {
      body: { status: 'in_progress' },
      headers,
    });
    const deleted = await request('DELETE', `/api/tickets/${other.id}`, { headers: { 'x-client-id': 'writer-2' } });
    expect([patched.status, moved.status, deleted.status]).toEqual([200, 200, 204]);

    await waitFor(() => toAlice.length === 5 && toBob.length === 5, 'five events on both clients');
    expect(toBob).toEqual(toAlice);
    expect(toAlice.map((event) => [event.seq, event.type, event.origin])).toEqual([
      [start + 1, 'ticket.created', 'writer-1'],
      [start + 2, 'ticket.created', undefined],
      [start + 3, 'ticket.updated', 'writer-1'],
      [start + 4, 'ticket.updated', 'writer-1'],
      [start + 5, 'ticket.deleted', 'writer-2'],
    ]);
    const [first, , patch, move, removal] = toAlice as [BoardEvent, BoardEvent, BoardEvent, BoardEvent, BoardEvent];
    expect(first).toMatchObject({ ticket: created });
    expect(patch).toMatchObject({
      ticket: patched.body,
      changes: { title: ['Mail relay down', 'Mail relay down in EU'] },
    });
    expect(move).toMatchObject({ ticket: moved.body, changes: { status: ['open', 'in_progress'] } });
    expect(removal).toMatchObject({ id: other.id });
    await waitFor(() => committedWhenHeard.length === 2, 'reads made on hearing the events');
    expect(committedWhenHeard).toEqual([200, 200]);
  });

  it('publishes nothing for a write that is refused or rolled back', async () => {
    const watcher = await connect(server.baseUrl);
    const heard = recordEvents(watcher);
    const ticket = await createTicket(request, { title: 'Disk at 95%' });
    const stale = await request('PATCH', `/api/tickets/${ticket.id}`, {
      body: { priority: 'critical' },
      headers: { 'if-match': `"${ticket.version + 7}"` },
    });
    const unchanged = await request('PATCH', `/api/tickets/${ticket.id}`, { body: { title: ticket.title } });
    const after = await createTicket(request, { title: 'Disk at 99%' });
    expect([stale.status, unchanged.status]).toEqual([412, 200]);

    await waitFor(() => heard.length >= 2, 'two events');
    await sleep(200);
    expect(heard.map((event) => event.type)).toEqual(['ticket.created', 'ticket.created']);
    expect(heard[1]!.seq).toBe(heard[0]!.seq + 1);
    expect(heard[1]).toMatchObject({ ticket: { id: after.id } });
  });

  it('delivers 300 concurrent writes from 4 writers to every client exactly once, in seq order', async () => {
    const clients = await Promise.all([1, 2, 3].map(() => connect(server.baseUrl)));
    const logs = clients.map(recordEvents);
    const start = await boardSeq();
    const writers = [1, 2, 3, 4].map((n) => apiClient(server.baseUrl, { 'x-client-id': `writer-${n}` }));
    await Promise.all(
      writers.map(async (writer, n) => {
        for (let i = 0; i < 75; i++) {
          const ticket = await createTicket(writer, { title: `Load ${n}.${i}` });
          if (i % 3 === 0) await writer('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'closed' } });
        }
      }),
    );
    const end = await boardSeq();
    expect(end - start).toBe(300 + 4 * 25);
    const expected = Array.from({ length: end - start }, (_, i) => start + 1 + i);
    await waitFor(() => logs.every((log) => log.length >= expected.length), 'every event on every client');
    await sleep(100);
    for (const log of logs) expect(log.map((event) => event.seq)).toEqual(expected);
  });
});

describe('presence', () => {
  it('shows who is on the board and what they have open, and drops them when they leave', async () => {
    const carol = await connect(server.baseUrl, {
      clientId: 'carol-tab',
      auth: { clientId: 'carol-tab', name: 'Carol' },
    });
    let seenByCarol: PresenceEntry[] = [];
    carol.on('presence', (people) => (seenByCarol = people));
    const dave = await connect(server.baseUrl, { clientId: 'dave-tab', auth: { clientId: 'dave-tab', name: 'Dave' } });

    await waitFor(() => seenByCarol.some((person) => person.clientId === 'dave-tab'), 'Dave in Carol’s list');
    const dave1 = seenByCarol.find((person) => person.clientId === 'dave-tab')!;
    expect(dave1).toMatchObject({ name: 'Dave', viewing: null });
    expect(AVATAR_COLORS).toContain(dave1.color);
    expect(seenByCarol.find((person) => person.clientId === 'carol-tab')).toMatchObject({ name: 'Carol' });

    dave.emit('presence:update', { name: 'Dave K.', viewing: 42 });
    await waitFor(
      () => seenByCarol.some((person) => person.clientId === 'dave-tab' && person.viewing === 42),
      'Dave viewing ticket 42',
    );
    expect(seenByCarol.find((person) => person.clientId === 'dave-tab')).toMatchObject({
      name: 'Dave K.',
      color: dave1.color,
    });

    dave.close();
    await waitFor(() => !seenByCarol.some((person) => person.clientId === 'dave-tab'), 'Dave gone', 5_000);
  });
});

describe('limits', () => {
  it('refuses a handshake from a foreign origin, and accepts an allowed one', async () => {
    await expect(connectBoard(server.baseUrl, { extraHeaders: { origin: 'https://evil.example' } })).rejects.toThrow();
    const same = await connect(server.baseUrl, { extraHeaders: { origin: server.baseUrl } });
    expect(same.connected).toBe(true);
  });

  it('refuses a handshake without a valid client id', async () => {
    await expect(connectBoard(server.baseUrl, { auth: {} })).rejects.toMatchObject({
      data: { status: 400, title: 'Invalid handshake' },
    });
    await expect(connectBoard(server.baseUrl, { auth: { clientId: 'has spaces' } })).rejects.toThrow(/clientId/);
  });

  it('answers malformed, unknown and oversized messages with message:refused and stays usable', async () => {
    const socket = await connect(server.baseUrl, { auth: { clientId: 'limits-1', name: 'Eve' } });
    const refused: SocketProblem[] = [];
    socket.on('message:refused', (problem) => refused.push(problem));
    let people: PresenceEntry[] = [];
    socket.on('presence', (list) => (people = list));

    socket.emit('presence:update', { viewing: 'seven' } as never);
    socket.emit('presence:update', { colour: 'red' } as never);
    (socket as unknown as { emit(event: string, payload: unknown): void }).emit('ticket:delete', { id: 1 });
    socket.emit('presence:update', { name: 'x'.repeat(2_000) });
    await waitFor(() => refused.length === 4, 'four refusals');
    // Refusals from the guard and from the handler's schema check may interleave.
    expect(refused.map((problem) => `${problem.status} ${problem.event}`).sort()).toEqual([
      '400 presence:update',
      '400 presence:update',
      '400 ticket:delete',
      '413 presence:update',
    ]);
    expect(refused.find((problem) => problem.detail.includes('viewing'))).toBeDefined();

    socket.emit('presence:update', { viewing: 9 });
    await waitFor(
      () => people.some((person) => person.clientId === 'limits-1' && person.viewing === 9),
      'update taken',
    );
    expect(socket.connected).toBe(true);
  });

  it('closes the connection for a message beyond the transport limit (engine.io behaviour)', async () => {
    const socket = await connect(server.baseUrl);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));
    socket.emit('presence:update', { name: 'x'.repeat(8_000) });
    expect(await closed).toBe('transport close');
  });

  it('rate-limits a flood with one clear refusal', async () => {
    const socket = await connect(server.baseUrl, { auth: { clientId: 'flooder' } });
    const refused: SocketProblem[] = [];
    socket.on('message:refused', (problem) => refused.push(problem));
    for (let i = 0; i < 60; i++) socket.emit('presence:update', { viewing: i + 1 });
    await waitFor(() => refused.length >= 1, 'a refusal');
    await sleep(300);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ event: 'presence:update', status: 429, title: 'Too many messages' });
    expect(socket.connected).toBe(true);
  });
});
