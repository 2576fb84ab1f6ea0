import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardSnapshot } from '../../shared/ticket.js';
import { apiClient, type ApiRequest } from '../testing/http.js';
import { startTestServer, type TestServer } from '../testing/test-server.js';

let server: TestServer;
let api: ApiRequest;

beforeAll(async () => {
  server = await startTestServer({ env: { DB_STATEMENT_TIMEOUT_MS: '300' } });
  api = apiClient(server.baseUrl);
});
afterAll(() => server.close());

describe('a write stuck behind a lock', () => {
  it('gets a 503 with Retry-After when the statement timeout fires, and leaves nothing behind', async () => {
    const blocker = new pg.Client({ connectionString: server.database.url });
    await blocker.connect();
    try {
      // Another session holds the board's seq row, as a long migration or a stuck transaction would.
      await blocker.query('begin');
      await blocker.query('select value from board_seq for update');
      const started = performance.now();
      const response = await api('POST', '/api/tickets', { body: { title: 'Blocked' } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBeTruthy();
      expect(performance.now() - started).toBeLessThan(3_000);
      await blocker.query('rollback');
    } finally {
      await blocker.end();
    }
    const board = (await api<BoardSnapshot>('GET', '/api/board')).body;
    expect(board.seq).toBe(0);
    expect(board.columns.open).toEqual([]);
    expect((await api('POST', '/api/tickets', { body: { title: 'Unblocked' } })).status).toBe(201);
  });
});
