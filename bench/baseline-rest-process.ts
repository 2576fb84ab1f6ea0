import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateKeyBetween } from 'fractional-indexing';
import pg from 'pg';
import { announce, onStop } from './lib/helper.js';

// The baseline: node:http and pg running the same SQL as TicketService (reads, PATCH and move), and nothing else.
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

function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>));
    req.on('error', reject);
  });
}

async function edgeRank(client: pg.PoolClient, status: string, below: string | null, above: string | null, id: number) {
  const conditions = ['status = $1', 'id <> $2'];
  const params: unknown[] = [status, id];
  if (below !== null) {
    params.push(below);
    conditions.push(`rank < $${params.length} collate "C"`);
  }
  if (above !== null) {
    params.push(above);
    conditions.push(`rank > $${params.length} collate "C"`);
  }
  const order = above !== null ? 'asc' : 'desc';
  const { rows } = await client.query<{ rank: string }>(
    `select rank from ticket where ${conditions.join(' and ')} order by rank ${order} limit 1`,
    params,
  );
  return rows[0]?.rank ?? null;
}

/** The statements of one TicketService write, in its order: seq lock, row, neighbours, update, event, commit. */
async function runWrite(id: number, kind: 'patch' | 'move', body: Record<string, unknown>, origin: unknown) {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const { rows: seqRows } = await client.query<{ value: string }>(
      'update board_seq set value = value + 1 returning value',
    );
    const { rows } = await client.query<Row>(`select ${COLUMNS} from ticket where id = $1`, [id]);
    const before = rows[0]!;
    let title = before.title;
    let status = before.status;
    let rank = before.rank;
    if (kind === 'patch') {
      title = String(body.title);
    } else {
      status = String(body.status);
      const { rows: neighbour } = await client.query<{ rank: string }>(
        'select rank from ticket where id = $1 and status = $2',
        [body.beforeId, status],
      );
      const upper = neighbour[0]?.rank ?? null;
      const lower = await edgeRank(client, status, upper, null, id);
      rank = generateKeyBetween(lower, upper);
    }
    const { rows: updated } = await client.query<Row>(
      `update ticket set title = $1, status = $2::ticket_status, rank = $3, version = version + 1, updated_at = now(),
         closed_at = case when $2 = 'closed' then coalesce(closed_at, now()) else null end
       where id = $4 returning ${COLUMNS}`,
      [title, status, rank, id],
    );
    const ticket = toTicket(updated[0]!);
    await client.query(
      `insert into board_event (seq, type, ticket_id, at, origin, changes, ticket) values ($1, 'ticket.updated', $2, now(), $3, $4, $5)`,
      [seqRows[0]!.value, id, origin ?? null, JSON.stringify({ title: [before.title, title] }), JSON.stringify(ticket)],
    );
    await client.query('commit');
    return ticket;
  } catch (error) {
    await client.query('rollback');
    throw error;
  } finally {
    client.release();
  }
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const one = req.method === 'GET' ? /^\/api\/tickets\/(\d+)$/.exec(url.pathname) : null;
  const write = /^\/api\/tickets\/(\d+)(\/move)?$/.exec(url.pathname);
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
    } else if (write && (req.method === 'PATCH' || req.method === 'POST')) {
      const body = await readBody(req);
      const ticket = await runWrite(Number(write[1]), write[2] ? 'move' : 'patch', body, req.headers['x-client-id']);
      send(res, 200, ticket, { etag: `"${ticket.version}"` });
    } else {
      send(res, 404, { status: 404 });
    }
  };
  respond().catch((error: unknown) => send(res, 500, { status: 500, detail: String(error) }));
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
onStop(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await pool.end();
});
announce({ port: (server.address() as AddressInfo).port });
