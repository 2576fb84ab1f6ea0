import pg from 'pg';
import type { BoardEvent, EventsPage } from '../shared/events.js';
import type { BoardSnapshot, Ticket } from '../shared/ticket.js';
import { LiveConnection, type BoardStore } from '../web/src/lib/live.js';
import { currentSeq } from './lib/broadcast.js';
import { Child } from './lib/child.js';
import { median, now } from './lib/clock.js';
import type { Benchmark } from './lib/report.js';
import type { LoadResult } from './load-process.js';

const BEHIND = 1_000;
const BOARD_TICKETS = 200;
const REPEATS = 5;

/** What a client does to catch up over REST: page through /api/events from its last seq and apply each event. */
async function catchUpOverRest(baseUrl: string, after: number): Promise<{ ms: number; applied: number }> {
  const tickets = new Map<number, Ticket>();
  const apply = (event: BoardEvent) => {
    if (event.type === 'ticket.deleted') tickets.delete(event.id);
    else tickets.set(event.ticket.id, event.ticket);
  };
  const started = now();
  let seq = after;
  let applied = 0;
  for (;;) {
    const response = await fetch(`${baseUrl}/api/events?after=${seq}`, { headers: { accept: 'application/json' } });
    if (!response.ok) throw new Error(`GET /api/events?after=${seq}: ${response.status}`);
    const page = (await response.json()) as EventsPage;
    for (const event of page.events) {
      if (event.seq !== seq + 1) throw new Error(`gap: ${seq} then ${event.seq}`);
      apply(event);
      seq = event.seq;
      applied++;
    }
    if (seq >= page.seq || page.events.length === 0) break;
  }
  return { ms: now() - started, applied };
}

/** A board store that keeps tickets by id, as the real board would. */
class TicketMap implements BoardStore {
  readonly tickets = new Map<number, Ticket>();
  applied = 0;

  reset(snapshot: BoardSnapshot): void {
    this.tickets.clear();
    for (const column of Object.values(snapshot.columns))
      for (const ticket of column) this.tickets.set(ticket.id, ticket);
  }

  apply(event: BoardEvent): void {
    this.applied++;
    if (event.type === 'ticket.deleted') this.tickets.delete(event.id);
    else this.tickets.set(event.ticket.id, event.ticket);
  }
}

/**
 * Board clients through LiveConnection, connected to a second server on the same database without Redis:
 * they hear none of the writes made through the first, so they fall behind until resync().
 */
async function startBehindClients(baseUrl: string, count: number) {
  const clients = Array.from({ length: count }, (_, index) => {
    const store = new TicketMap();
    const live = new LiveConnection({
      baseUrl,
      clientId: `bench-behind-${index}`,
      store,
      socketOptions: { transports: ['websocket'], reconnection: false },
    });
    return { store, live };
  });
  await Promise.all(clients.map((client) => client.live.start()));
  return clients;
}

/** The same rows straight from PostgreSQL with pg, for scale. */
async function readRowsDirectly(databaseUrl: string, after: number): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = now();
    const { rows } = await client.query(
      'select seq, type, ticket_id, at, origin, actor, changes, ticket from board_event where seq > $1 order by seq limit 1000',
      [after],
    );
    JSON.stringify(rows);
    return now() - started;
  } finally {
    await client.end();
  }
}

export const catchUp: Benchmark = {
  name: 'catchup',
  description: `a client ${BEHIND} events behind catches up (LiveConnection.resync(), and plain GET /api/events?after=)`,
  async run({ databases, runs, log }) {
    const url = await databases.createBoard(BOARD_TICKETS);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const quiet = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const load = Child.start('load-process.ts');
    let behind: Awaited<ReturnType<typeof startBehindClients>> = [];
    try {
      const [ready, quietReady] = await Promise.all([ours.ready, quiet.ready, load.ready]);
      const port = Number(ready.port);
      const repeats = Math.max(runs, REPEATS);
      behind = await startBehindClients(`http://127.0.0.1:${quietReady.port}`, repeats + 1);
      const startSeq = behind[0]!.live.seq;
      const made = await load.request<LoadResult>({
        type: 'run',
        port,
        workload: 'patches',
        connections: 4,
        durationMs: 60_000,
        maxRequests: BEHIND,
        ticketIds: Array.from({ length: BOARD_TICKETS }, (_, index) => index + 1),
        label: 'catch-up-',
      });
      if (made.failures > 0) throw new Error(`making events: ${made.failures} failed, e.g. ${made.firstFailure}`);
      const seq = await currentSeq(port);
      const after = seq - BEHIND;
      if (after !== startSeq) throw new Error(`the LiveConnection clients started at ${startSeq}, not ${after}`);
      const baseUrl = `http://127.0.0.1:${port}`;
      await catchUpOverRest(baseUrl, after);
      const times: number[] = [];
      const direct: number[] = [];
      const liveTimes: number[] = [];
      for (const [index, { live, store }] of behind.entries()) {
        const started = now();
        await live.resync();
        const ms = now() - started;
        if (live.seq !== seq || store.applied !== BEHIND) {
          throw new Error(`LiveConnection reached seq ${live.seq} with ${store.applied} events applied`);
        }
        // The first one warms the server's catch-up path.
        if (index > 0) liveTimes.push(ms);
      }
      for (let repeat = 0; repeat < repeats; repeat++) {
        const { ms, applied } = await catchUpOverRest(baseUrl, after);
        if (applied !== BEHIND) throw new Error(`applied ${applied} events, expected ${BEHIND}`);
        times.push(ms);
        direct.push(await readRowsDirectly(url, after));
      }
      log(`REST catch-up of ${BEHIND} events: ${times.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      log(`LiveConnection.resync() of ${BEHIND} events: ${liveTimes.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      log(`same rows read with pg directly: ${direct.map((ms) => ms.toFixed(0)).join(', ')} ms`);
      const caughtUp = median(times);
      const liveCaughtUp = median(liveTimes);
      const baseline = median(direct);
      return [
        {
          metric: `catch-up of ${BEHIND} events (LiveConnection)`,
          unit: 'ms',
          ours: liveCaughtUp,
          baseline,
          ratio: liveCaughtUp / baseline,
          target: '< 300 ms',
          pass: liveCaughtUp < 300,
          samples: liveTimes,
        },
        {
          metric: `catch-up of ${BEHIND} events (REST)`,
          unit: 'ms',
          ours: caughtUp,
          baseline,
          ratio: caughtUp / baseline,
          target: '< 300 ms',
          pass: caughtUp < 300,
          samples: times,
        },
      ];
    } finally {
      for (const { live } of behind) live.stop();
      await Promise.all([ours.stop(), quiet.stop(), load.stop()]);
    }
  },
};
