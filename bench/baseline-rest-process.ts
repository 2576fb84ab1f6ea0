import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { announce, onStop } from './lib/helper.js';

// The read baseline: node:http and pg running the same SQL as TicketService, and nothing else.
const COLUMNS = 'id, title, description, priority, status, rank, version, created_at, updated_at, closed_at';
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

interface Row {
  id: number;
  title: string;
  description: string;
  priority: string;
  status: string;
  rank: string;
  version: number;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

function toTicket(row: Row) {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    status: row.status,
    rank: row.rank,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    closedAt: row.closed_at ? row.closed_at.toISOString() : null,
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const one = /^\/api\/tickets\/(\d+)$/.exec(url.pathname);
  const respond = async () => {
    if (url.pathname === '/api/tickets') {
      const limit = Number(url.searchParams.get('limit') ?? 100);
      const { rows } = await pool.query<Row>(`select ${COLUMNS} from ticket order by status, rank limit $1`, [
        limit + 1,
      ]);
      const items = rows.slice(0, limit).map(toTicket);
      const last = items.at(-1);
      const nextCursor =
        rows.length > limit && last
          ? Buffer.from(JSON.stringify([last.status, last.rank])).toString('base64url')
          : null;
      send(res, 200, { items, nextCursor });
    } else if (one) {
      const { rows } = await pool.query<Row>(`select ${COLUMNS} from ticket where id = $1`, [Number(one[1])]);
      if (rows[0]) send(res, 200, toTicket(rows[0]), { etag: `"${rows[0].version}"` });
      else send(res, 404, { status: 404 });
    } else {
      send(res, 404, { status: 404 });
    }
  };
  respond().catch(() => send(res, 500, { status: 500 }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
onStop(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await pool.end();
});
announce({ port: (server.address() as AddressInfo).port });
