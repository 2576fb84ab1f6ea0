import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot, Ticket } from '../../shared/ticket.js';
import { apiClient, createTicket, type ApiRequest } from '../testing/http.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let api: ApiRequest;

beforeAll(async () => {
  server = await startTestServer();
  api = apiClient(server.baseUrl);
});
afterAll(() => server.close());

describe('POST /api/tickets', () => {
  it('creates a ticket with defaults at the top of its column', async () => {
    const first = await createTicket(api, { title: '  Disk full on db-2  ' });
    const second = await createTicket(api, { title: 'Second' });
    expect(first).toMatchObject({
      title: 'Disk full on db-2',
      description: '',
      priority: 'medium',
      status: 'open',
      version: 1,
      closedAt: null,
    });
    expect(second.rank < first.rank).toBe(true);
    const board = await api<BoardSnapshot>('GET', '/api/board');
    expect(board.body.columns.open.map((t: Ticket) => t.id).slice(0, 2)).toEqual([second.id, first.id]);
  });
});
