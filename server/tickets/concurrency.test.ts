import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsPage } from '../../shared/events.js';
import type { BoardSnapshot, Ticket, TicketStatus } from '../../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../testing/http.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let api: ApiRequest;

beforeAll(async () => {
  server = await startTestServer({ env: { DB_POOL_MAX: '12' } });
  api = apiClient(server.baseUrl);
});
afterAll(() => server.close());

const STATUSES: TicketStatus[] = ['open', 'in_progress', 'closed'];

describe('concurrent writes', () => {
  it('lets exactly one of 20 If-Match writes on one ticket win; the rest get 412', async () => {
    const ticket = await createTicket(api, { title: 'Race' });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, {
          body: { title: `Writer ${i}` },
          headers: { 'if-match': '"1"' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!.body;
    const stored = (await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body;
    expect(stored).toEqual(winner);
    expect(stored.version).toBe(2);
  });

  it('gives 200 mixed writes from parallel clients seqs with no gap and no duplicate, matching the board', async () => {
    const start = (await api<BoardSnapshot>('GET', '/api/board')).body.seq;
    const seeds = await Promise.all(Array.from({ length: 10 }, (_, i) => createTicket(api, { title: `Seed ${i}` })));
    const ids = seeds.map((t) => t.id);
    let acknowledged = seeds.length;
    const clients = 8;
    const perClient = 25;
    await Promise.all(
      Array.from({ length: clients }, async (_, client) => {
        for (let i = 0; i < perClient; i++) {
          const id = ids[(client * perClient + i) % ids.length]!;
          const kind = (client + i) % 4;
          const response =
            kind === 0
              ? await api('POST', '/api/tickets', { body: { title: `c${client}-${i}`, status: STATUSES[i % 3] } })
              : kind === 1
                ? await api('PATCH', `/api/tickets/${id}`, { body: { title: `c${client}-${i}`, priority: 'high' } })
                : kind === 2
                  ? await api('POST', `/api/tickets/${id}/move`, {
                      body: { status: STATUSES[(client + i) % 3], afterId: ids[(i + 1) % ids.length] },
                    })
                  : await api('PATCH', `/api/tickets/${id}`, { body: { description: `note ${client}-${i}` } });
          expect([200, 201]).toContain(response.status);
          acknowledged++;
        }
      }),
    );
    expect(acknowledged).toBe(seeds.length + clients * perClient);

    const events: EventsPage['events'] = [];
    let after = start;
    for (;;) {
      const page = (await api<EventsPage>('GET', `/api/events?after=${after}`)).body;
      events.push(...page.events);
      if (page.events.length === 0) break;
      after = page.events.at(-1)!.seq;
    }
    const seqs = events.map((e) => e.seq);
    // A write that changes nothing (same title twice) makes no event, so count from the log, then check it has no holes.
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => start + i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(seeds.length + clients * perClient - 10);

    // Replaying the log from the start reproduces the board exactly.
    const replayed = new Map<number, Ticket>();
    const initial = (await api<EventsPage>('GET', '/api/events?after=0&limit=1000')).body.events;
    for (const event of [...initial.filter((e) => e.seq <= start), ...events]) {
      if (event.type === 'ticket.deleted') replayed.delete(event.id);
      else replayed.set(event.ticket.id, event.ticket);
    }
    const board = (await api<BoardSnapshot>('GET', '/api/board')).body;
    const onBoard = [...board.columns.open, ...board.columns.in_progress, ...board.columns.closed];
    expect(board.seq).toBe(seqs.at(-1));
    expect(new Map(onBoard.map((t) => [t.id, t]))).toEqual(replayed);
    for (const status of STATUSES) {
      const ranks = board.columns[status].map((t) => t.rank);
      expect(new Set(ranks).size).toBe(ranks.length);
    }
  });

  it('keeps a write that fails validation from taking a seq', async () => {
    const { seq } = (await api<BoardSnapshot>('GET', '/api/board')).body;
    const ticket = await createTicket(api, { title: 'Stale' });
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'Fresh' } });
    expect(
      (await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'Late' }, headers: { 'if-match': '"1"' } }))
        .status,
    ).toBe(412);
    expect((await api('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'nowhere' } })).status).toBe(400);
    const created = await createTicket(api, { title: 'After' });
    const events = (await api<EventsPage>('GET', `/api/events?after=${seq}`)).body.events;
    expect(events.map((e) => e.seq)).toEqual([seq + 1, seq + 2, seq + 3]);
    expect(events.at(-1)).toMatchObject({ type: 'ticket.created', ticket: { id: created.id } });
  });
});

describe('POST /api/tickets/:id/move', () => {
  async function column(status: TicketStatus): Promise<number[]> {
    return (await api<BoardSnapshot>('GET', '/api/board')).body.columns[status].map((t) => t.id);
  }

  it('places a ticket right before or right after a neighbour, within and across columns', async () => {
    const [c, b, a] = [
      await createTicket(api, { title: 'c', status: 'in_progress' }),
      await createTicket(api, { title: 'b', status: 'in_progress' }),
      await createTicket(api, { title: 'a', status: 'in_progress' }),
    ];
    const base = (await column('in_progress')).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(base).toEqual([a.id, b.id, c.id]);

    const moved = await api<Ticket>('POST', `/api/tickets/${a.id}/move`, {
      body: { status: 'in_progress', afterId: b.id },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.version).toBe(2);
    let order = (await column('in_progress')).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(order).toEqual([b.id, a.id, c.id]);

    await api('POST', `/api/tickets/${c.id}/move`, { body: { status: 'in_progress', beforeId: b.id } });
    order = (await column('in_progress')).filter((id) => [a.id, b.id, c.id].includes(id));
    expect(order).toEqual([c.id, b.id, a.id]);

    const open = await createTicket(api, { title: 'open one' });
    const across = await api<Ticket>('POST', `/api/tickets/${open.id}/move`, {
      body: { status: 'in_progress', beforeId: a.id },
    });
    expect(across.body.status).toBe('in_progress');
    order = (await column('in_progress')).filter((id) => [a.id, b.id, c.id, open.id].includes(id));
    expect(order).toEqual([c.id, b.id, open.id, a.id]);
  });

  it('puts the ticket at the bottom with no neighbour, or with a neighbour not in that column', async () => {
    const closedA = await createTicket(api, { title: 'closed a', status: 'closed' });
    const ticket = await createTicket(api, { title: 'to bottom' });
    await api('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'closed' } });
    expect((await column('closed')).at(-1)).toBe(ticket.id);

    const openNeighbour = await createTicket(api, { title: 'stays open' });
    await api('POST', `/api/tickets/${closedA.id}/move`, { body: { status: 'closed', beforeId: openNeighbour.id } });
    expect((await column('closed')).at(-1)).toBe(closedA.id);

    await api('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'closed', afterId: 987654 } });
    expect((await column('closed')).at(-1)).toBe(ticket.id);
  });

  it('moves into an emptied column and sets or clears closedAt', async () => {
    const board = (await api<BoardSnapshot>('GET', '/api/board')).body;
    for (const t of board.columns.closed) await api('POST', `/api/tickets/${t.id}/move`, { body: { status: 'open' } });
    expect(await column('closed')).toEqual([]);
    const ticket = await createTicket(api, { title: 'first to close' });
    const moved = await api<Ticket>('POST', `/api/tickets/${ticket.id}/move`, {
      body: { status: 'closed', beforeId: 123456 },
    });
    expect(moved.body).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
    expect(await column('closed')).toEqual([ticket.id]);
    const reopened = await api<Ticket>('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'open' } });
    expect(reopened.body.closedAt).toBeNull();
  });

  it('treats a drop on the same spot as no change', async () => {
    const ticket = await createTicket(api, { title: 'stay' });
    const { seq } = (await api<BoardSnapshot>('GET', '/api/board')).body;
    const next = (await column('open'))[1]!;
    const response = await api<Ticket>('POST', `/api/tickets/${ticket.id}/move`, {
      body: { status: 'open', beforeId: next },
    });
    expect(response.body.version).toBe(1);
    const self = await api<Ticket>('POST', `/api/tickets/${ticket.id}/move`, {
      body: { status: 'open', beforeId: ticket.id },
    });
    expect(self.status).toBe(200);
    expect((await api<BoardSnapshot>('GET', '/api/board')).body.seq).toBeGreaterThanOrEqual(seq);
  });

  it.each([
    [{}, 'status'],
    [{ status: 'done' }, 'status'],
    [{ status: 'open', beforeId: 1, afterId: 2 }, 'body'],
    [{ status: 'open', beforeId: 'x' }, 'beforeId'],
    [{ status: 'open', rank: 'a0' }, 'body'],
  ])('refuses bad move #%# with 400 and moves nothing', async (body, path) => {
    const ticket = await createTicket(api, { title: 'unmoved' });
    const response = await api<{ errors: { path: string }[] }>('POST', `/api/tickets/${ticket.id}/move`, { body });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e) => e.path)).toContain(path);
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body).toEqual(ticket);
  });

  it('answers 404 for a missing ticket and 412 for a stale version', async () => {
    expect((await api('POST', '/api/tickets/999999/move', { body: { status: 'open' } })).status).toBe(404);
    const ticket = await createTicket(api, { title: 'versioned' });
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'v2' } });
    const stale = await api<{ current: Ticket }>('POST', `/api/tickets/${ticket.id}/move`, {
      body: { status: 'closed' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.current).toMatchObject({ status: 'open', version: 2 });
  });
});
