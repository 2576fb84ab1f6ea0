import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventsPage } from '../../shared/events.js';
import type { BoardSnapshot, HistoryEntry, Problem, Ticket, TicketPage } from '../../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../testing/http.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let api: ApiRequest;

beforeAll(async () => {
  server = await startTestServer({ env: { EVENT_REPLAY_WINDOW: '1000' } });
  api = apiClient(server.baseUrl);
});
afterAll(() => server.close());

async function board(): Promise<BoardSnapshot> {
  return (await api<BoardSnapshot>('GET', '/api/board')).body;
}

function expectProblem(response: { status: number; headers: Headers; body: unknown }, status: number): Problem {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const problem = response.body as Problem;
  expect(problem).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(JSON.stringify(problem)).not.toMatch(/\bat .+\.(ts|js):\d+/);
  return problem;
}

describe('POST /api/tickets', () => {
  it('creates a ticket with defaults at the top of its column, with Location and ETag', async () => {
    const response = await api<Ticket>('POST', '/api/tickets', { body: { title: '  Disk full on db-2  ' } });
    expect(response.status).toBe(201);
    const first = response.body;
    expect(first).toMatchObject({
      title: 'Disk full on db-2',
      description: '',
      priority: 'medium',
      status: 'open',
      version: 1,
      closedAt: null,
    });
    expect(response.headers.get('location')).toBe(`/api/tickets/${first.id}`);
    expect(response.headers.get('etag')).toBe('"1"');
    expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt);

    const second = await createTicket(api, { title: 'Second' });
    expect(second.rank < first.rank).toBe(true);
    const open = (await board()).columns.open.map((t) => t.id);
    expect(open.indexOf(second.id)).toBeLessThan(open.indexOf(first.id));
  });

  it('creates straight into closed with closedAt set', async () => {
    const ticket = await createTicket(api, { title: 'Already fixed', status: 'closed', priority: 'low' });
    expect(ticket.status).toBe('closed');
    expect(ticket.closedAt).not.toBeNull();
  });

  it.each([
    [{}, 'title'],
    [{ title: '   ' }, 'title'],
    [{ title: 'x'.repeat(201) }, 'title'],
    [{ title: 42 }, 'title'],
    [{ title: 'ok', description: 'x'.repeat(10_001) }, 'description'],
    [{ title: 'ok', priority: 'urgent' }, 'priority'],
    [{ title: 'ok', status: 'done' }, 'status'],
    [{ title: 'ok', id: 5 }, 'body'],
    [{ title: 'ok', version: 9, rank: 'a0' }, 'body'],
  ])('refuses bad body #%# with a 400 naming the field, and creates nothing', async (body, path) => {
    const before = await board();
    const problem = expectProblem(await api('POST', '/api/tickets', { body }), 400);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect(await board()).toEqual(before);
  });

  it('refuses a body that is not an object', async () => {
    expectProblem(await api('POST', '/api/tickets', { body: ['title'] }), 400);
    expectProblem(
      await api('POST', '/api/tickets', { rawBody: 'null', headers: { 'content-type': 'application/json' } }),
      400,
    );
  });

  it('answers malformed JSON with 400, non-JSON with 415 and an oversized body with 413', async () => {
    const before = await board();
    expectProblem(
      await api('POST', '/api/tickets', { rawBody: '{"title":', headers: { 'content-type': 'application/json' } }),
      400,
    );
    expectProblem(
      await api('POST', '/api/tickets', {
        rawBody: 'title=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
    );
    expectProblem(
      await api('POST', '/api/tickets', { rawBody: 'hello', headers: { 'content-type': 'text/plain' } }),
      415,
    );
    const huge = JSON.stringify({ title: 'big', description: 'x'.repeat(200_000) });
    expectProblem(
      await api('POST', '/api/tickets', { rawBody: huge, headers: { 'content-type': 'application/json' } }),
      413,
    );
    expect(await board()).toEqual(before);
  });

  it('refuses a malformed X-Client-Id', async () => {
    const problem = expectProblem(
      await api('POST', '/api/tickets', { body: { title: 'x' }, headers: { 'x-client-id': 'has spaces<>' } }),
      400,
    );
    expect(problem.detail).toMatch(/headers/);
  });
});

describe('GET /api/tickets/:id', () => {
  it('returns the ticket with its version as ETag', async () => {
    const ticket = await createTicket(api, { title: 'Read me' });
    const response = await api<Ticket>('GET', `/api/tickets/${ticket.id}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual(ticket);
    expect(response.headers.get('etag')).toBe('"1"');
  });

  it('answers 304 to If-None-Match with the current ETag, 200 once it changed', async () => {
    const ticket = await createTicket(api, { title: 'Cached' });
    const fresh = await api('GET', `/api/tickets/${ticket.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(fresh.status).toBe(304);
    expect(fresh.body).toBeUndefined();
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'Changed' } });
    const stale = await api<Ticket>('GET', `/api/tickets/${ticket.id}`, { headers: { 'if-none-match': '"1"' } });
    expect(stale.status).toBe(200);
    expect(stale.body.title).toBe('Changed');
  });

  it('answers 404 for a missing ticket and 400 for a malformed id', async () => {
    expectProblem(await api('GET', '/api/tickets/999999'), 404);
    const problem = expectProblem(await api('GET', '/api/tickets/abc'), 400);
    expect(problem.errors?.[0]?.path).toBe('id');
    expectProblem(await api('GET', '/api/tickets/99999999999'), 400);
  });
});

describe('PATCH /api/tickets/:id', () => {
  it('changes only the named fields and bumps the version', async () => {
    const ticket = await createTicket(api, { title: 'Patch me', description: 'keep', priority: 'low' });
    const response = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, { body: { priority: 'high' } });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ title: 'Patch me', description: 'keep', priority: 'high', version: 2 });
    expect(response.headers.get('etag')).toBe('"2"');
  });

  it('moving to another status puts the ticket on top of that column and keeps closedAt right', async () => {
    const ticket = await createTicket(api, { title: 'Work on me' });
    const inProgress = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, { body: { status: 'in_progress' } });
    expect(inProgress.body.closedAt).toBeNull();
    expect((await board()).columns.in_progress[0]?.id).toBe(ticket.id);

    const closed = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, { body: { status: 'closed' } });
    expect(closed.body.closedAt).not.toBeNull();
    expect((await board()).columns.closed[0]?.id).toBe(ticket.id);

    const reopened = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, { body: { status: 'open' } });
    expect(reopened.body.closedAt).toBeNull();
    expect(reopened.body.version).toBe(4);
  });

  it('treats a PATCH that changes nothing as no change: same version, no event', async () => {
    const ticket = await createTicket(api, { title: 'Same' });
    const seq = (await board()).seq;
    const response = await api<Ticket>('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'Same' } });
    expect(response.status).toBe(200);
    expect(response.body.version).toBe(1);
    expect((await board()).seq).toBe(seq);
  });

  it('with a stale If-Match answers 412 with the current ticket and changes nothing', async () => {
    const ticket = await createTicket(api, { title: 'Contended' });
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'Theirs' }, headers: { 'if-match': '"1"' } });
    const response = await api('PATCH', `/api/tickets/${ticket.id}`, {
      body: { title: 'Mine' },
      headers: { 'if-match': '"1"' },
    });
    const problem = expectProblem(response, 412);
    expect(problem.current).toMatchObject({ id: ticket.id, title: 'Theirs', version: 2 });
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.title).toBe('Theirs');
  });

  it('accepts weak and * ETags, and refuses a malformed If-Match', async () => {
    const ticket = await createTicket(api, { title: 'Tags' });
    expect(
      (await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'a' }, headers: { 'if-match': 'W/"1"' } }))
        .status,
    ).toBe(200);
    expect(
      (await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'b' }, headers: { 'if-match': '*' } })).status,
    ).toBe(200);
    const problem = expectProblem(
      await api('PATCH', `/api/tickets/${ticket.id}`, { body: { title: 'c' }, headers: { 'if-match': 'yesterday' } }),
      400,
    );
    expect(problem.errors?.[0]?.path).toBe('If-Match');
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body.title).toBe('b');
  });

  it.each([
    [{}, 'body'],
    [{ title: '' }, 'title'],
    [{ status: 'archived' }, 'status'],
    [{ rank: 'a0' }, 'body'],
    [{ title: 'x', closedAt: null }, 'body'],
  ])('refuses bad patch #%# with 400 and leaves the ticket as it was', async (body, path) => {
    const ticket = await createTicket(api, { title: 'Untouched' });
    const problem = expectProblem(await api('PATCH', `/api/tickets/${ticket.id}`, { body }), 400);
    expect(problem.errors?.map((e) => e.path)).toContain(path);
    expect((await api<Ticket>('GET', `/api/tickets/${ticket.id}`)).body).toEqual(ticket);
  });

  it('answers 404 for a missing ticket', async () => {
    expectProblem(await api('PATCH', '/api/tickets/999999', { body: { title: 'x' } }), 404);
  });
});

describe('DELETE /api/tickets/:id', () => {
  it('deletes, then 404s; history stays', async () => {
    const ticket = await createTicket(api, { title: 'Delete me' });
    expect((await api('DELETE', `/api/tickets/${ticket.id}`)).status).toBe(204);
    expectProblem(await api('GET', `/api/tickets/${ticket.id}`), 404);
    expectProblem(await api('DELETE', `/api/tickets/${ticket.id}`), 404);
    const history = await api<HistoryEntry[]>('GET', `/api/tickets/${ticket.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.map((entry) => entry.type)).toEqual(['ticket.created', 'ticket.deleted']);
    expect(history.body[1]?.changes.title).toEqual(['Delete me', null]);
  });

  it('with a stale If-Match answers 412 and keeps the ticket', async () => {
    const ticket = await createTicket(api, { title: 'Keep me' });
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { priority: 'critical' } });
    const problem = expectProblem(
      await api('DELETE', `/api/tickets/${ticket.id}`, { headers: { 'if-match': '"1"' } }),
      412,
    );
    expect(problem.current?.version).toBe(2);
    expect((await api('GET', `/api/tickets/${ticket.id}`)).status).toBe(200);
  });
});

describe('GET /api/tickets/:id/history', () => {
  it('lists every change oldest first with [old, new] pairs', async () => {
    const ticket = await createTicket(api, { title: 'Audit', priority: 'low' });
    await api('PATCH', `/api/tickets/${ticket.id}`, {
      body: { priority: 'high', title: 'Audited' },
      headers: { 'x-client-id': 'tab-1' },
    });
    await api('POST', `/api/tickets/${ticket.id}/move`, { body: { status: 'closed' } });
    const { body: history } = await api<HistoryEntry[]>('GET', `/api/tickets/${ticket.id}/history`);
    expect(history.map((entry) => entry.type)).toEqual(['ticket.created', 'ticket.updated', 'ticket.updated']);
    expect(history[0]?.changes.title).toEqual([null, 'Audit']);
    expect(history[1]).toMatchObject({
      origin: 'tab-1',
      changes: { priority: ['low', 'high'], title: ['Audit', 'Audited'] },
    });
    expect(history[2]?.changes.status).toEqual(['open', 'closed']);
    expect(history[2]?.changes.closedAt?.[0]).toBeNull();
    const seqs = history.map((entry) => entry.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
  });

  it('records X-Actor-Name (URI-encoded) as the actor on history and events', async () => {
    const { seq } = await board();
    const ticket = await createTicket(
      api,
      { title: 'Who did it' },
      { 'x-actor-name': encodeURIComponent('  Zoë Ørsted ') },
    );
    await api('PATCH', `/api/tickets/${ticket.id}`, { body: { priority: 'low' } });
    const { body: history } = await api<HistoryEntry[]>('GET', `/api/tickets/${ticket.id}/history`);
    expect(history.map((entry) => entry.actor)).toEqual([{ id: null, name: 'Zoë Ørsted' }, null]);
    const { body: page } = await api<EventsPage>('GET', `/api/events?after=${seq}`);
    expect(page.events[0]?.actor).toEqual({ id: null, name: 'Zoë Ørsted' });
    expect(page.events[1]).not.toHaveProperty('actor');
  });

  it.each([['%E0%A4%A'], [encodeURIComponent('x'.repeat(61))], ['%20%20'], [encodeURIComponent('a\u0007b')]])(
    'refuses a bad X-Actor-Name (%s) with 400 and writes nothing',
    async (header) => {
      const before = await board();
      const problem = expectProblem(
        await api('POST', '/api/tickets', { body: { title: 'nameless' }, headers: { 'x-actor-name': header } }),
        400,
      );
      expect(problem.detail).toMatch(/headers/);
      expect(await board()).toEqual(before);
    },
  );

  it('answers 404 for a ticket that never existed', async () => {
    expectProblem(await api('GET', '/api/tickets/999999/history'), 404);
  });
});

describe('GET /api/tickets', () => {
  it('filters by status, priority (repeated or comma list) and text, case-insensitively', async () => {
    const marker = `zebra${Date.now()}`;
    const a = await createTicket(api, { title: `${marker} printer`, priority: 'critical' });
    const b = await createTicket(api, {
      title: 'Other',
      description: `the ${marker.toUpperCase()} again`,
      priority: 'low',
      status: 'in_progress',
    });
    await createTicket(api, { title: 'Unrelated', priority: 'critical' });

    const byText = await api<TicketPage>('GET', `/api/tickets?q=${marker}`);
    expect(byText.body.items.map((t) => t.id).sort()).toEqual([a.id, b.id].sort());
    const byBoth = await api<TicketPage>('GET', `/api/tickets?q=${marker}&priority=critical`);
    expect(byBoth.body.items.map((t) => t.id)).toEqual([a.id]);
    const repeated = await api<TicketPage>('GET', `/api/tickets?q=${marker}&status=open&status=in_progress`);
    const commas = await api<TicketPage>('GET', `/api/tickets?q=${marker}&status=open,in_progress`);
    expect(repeated.body.items).toEqual(commas.body.items);
    expect(commas.body.items.map((t) => t.id)).toEqual([a.id, b.id]);
  });

  it('treats % and _ in q as plain text', async () => {
    const ticket = await createTicket(api, { title: 'CPU at 100%_now' });
    const { body } = await api<TicketPage>('GET', `/api/tickets?q=${encodeURIComponent('100%_')}`);
    expect(body.items.map((t) => t.id)).toEqual([ticket.id]);
  });

  it('pages through everything in column then rank order with nextCursor', async () => {
    for (let i = 0; i < 7; i++)
      await createTicket(api, { title: `Page ${i}`, status: (['open', 'in_progress', 'closed'] as const)[i % 3] });
    const all: Ticket[] = [];
    let cursor: string | null = null;
    do {
      const page: TicketPage = (
        await api<TicketPage>('GET', `/api/tickets?limit=4${cursor ? `&cursor=${cursor}` : ''}`)
      ).body;
      expect(page.items.length).toBeLessThanOrEqual(4);
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    const snapshot = await board();
    expect(all).toEqual([...snapshot.columns.open, ...snapshot.columns.in_progress, ...snapshot.columns.closed]);
  });

  it.each([
    ['limit=0', 'limit'],
    ['limit=501', 'limit'],
    ['limit=ten', 'limit'],
    ['status=done', 'status'],
    ['priority=urgent,low', 'priority'],
    ['cursor=not-a-cursor', 'cursor'],
    ['sort=title', 'query'],
  ])('refuses ?%s with 400 naming %s', async (query, path) => {
    const problem = expectProblem(await api('GET', `/api/tickets?${query}`), 400);
    expect(problem.errors?.map((e) => e.path.split('.')[0])).toContain(path);
  });
});

describe('GET /api/board and /api/events', () => {
  it('gives a seq that matches the event log: nothing after it, and events up to it', async () => {
    const snapshot = await board();
    const after = await api<EventsPage>('GET', `/api/events?after=${snapshot.seq}`);
    expect(after.body).toEqual({ events: [], seq: snapshot.seq });

    const ticket = await createTicket(api, { title: 'Evented' }, { 'x-client-id': 'tab-9' });
    const page = await api<EventsPage>('GET', `/api/events?after=${snapshot.seq}`);
    expect(page.body.seq).toBe(snapshot.seq + 1);
    expect(page.body.events).toEqual([
      { type: 'ticket.created', seq: snapshot.seq + 1, at: ticket.createdAt, ticket, origin: 'tab-9' },
    ]);
  });

  it('replays events with limit, in order', async () => {
    const { seq } = await board();
    for (let i = 0; i < 5; i++) await createTicket(api, { title: `Replay ${i}` });
    const first = await api<EventsPage>('GET', `/api/events?after=${seq}&limit=3`);
    expect(first.body.events.map((e) => e.seq)).toEqual([seq + 1, seq + 2, seq + 3]);
    expect(first.body.seq).toBe(seq + 5);
    const rest = await api<EventsPage>('GET', `/api/events?after=${seq + 3}`);
    expect(rest.body.events.map((e) => e.seq)).toEqual([seq + 4, seq + 5]);
  });

  it('answers 410 when after is beyond the replay window or ahead of the board, and 400 when malformed', async () => {
    const { seq } = await board();
    expectProblem(await api('GET', `/api/events?after=${seq + 5}`), 410);
    expectProblem(await api('GET', '/api/events?after=-1'), 400);
    expectProblem(await api('GET', '/api/events'), 400);
    expectProblem(await api('GET', '/api/events?after=0&limit=5000'), 400);
  });

  it('keeps each column in rank order', async () => {
    const snapshot = await board();
    for (const column of Object.values(snapshot.columns)) {
      const ranks = column.map((t) => t.rank);
      expect(ranks).toEqual([...ranks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    }
  });
});

describe('the rest of the API surface', () => {
  it('serves a health check', async () => {
    const response = await api<{ status: string; database: string }>('GET', '/api/health');
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('serves an OpenAPI 3.1 document covering every path', async () => {
    const { body } = await api<{
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>('GET', '/api/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual(
      [
        '/api/board',
        '/api/events',
        '/api/health',
        '/api/tickets',
        '/api/tickets/{id}',
        '/api/tickets/{id}/history',
        '/api/tickets/{id}/move',
      ].sort(),
    );
    expect(body.components.schemas).toHaveProperty('Ticket');
  });

  it('answers unknown API paths with a problem+json 404', async () => {
    expectProblem(await api('GET', '/api/nope'), 404);
    expectProblem(await api('PUT', '/api/tickets/1', { body: { title: 'x' } }), 404);
  });

  it('keeps foreign origins out and lets same-origin requests in', async () => {
    const foreign = await api('GET', '/api/board', { headers: { origin: 'https://evil.example' } });
    expectProblem(foreign, 403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const sameOrigin = await api('GET', '/api/board', { headers: { origin: server.baseUrl } });
    expect(sameOrigin.status).toBe(200);
    const before = await board();
    expectProblem(
      await api('POST', '/api/tickets', { body: { title: 'csrf' }, headers: { origin: 'https://evil.example' } }),
      403,
    );
    expect(await board()).toEqual(before);
  });
});
