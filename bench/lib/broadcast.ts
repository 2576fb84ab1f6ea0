import type { BoardEvent } from '../../shared/events.js';
import type { Ticket } from '../../shared/ticket.js';
import type { Child } from './child.js';
import { now, percentile, sleep } from './clock.js';
import type { ClientFleet } from './fleet.js';
import { RawHttpConnection } from './raw-http.js';

export interface DeliveryStats {
  /** For REST writes: the median time until the PATCH response came back. */
  writeP50?: number;
  /** For REST writes: delivery measured from the server's io.emit of the event instead of from the PATCH. */
  fanout?: DeliveryStats;
  p50: number;
  p99: number;
  max: number;
  deliveries: number;
  missing: number;
}

export interface BroadcastPlan {
  clients: number;
  writes: number;
  warmup: number;
  /** Quiet time between writes, so that each one is measured alone. */
  gapMs: number;
  timeoutMs: number;
}

const WRITER_ID = 'bench-writer';

function deliveryStats(
  sentAt: Map<number, number>,
  receivedAt: Map<number, (number | null)[]>,
  clients: number,
): DeliveryStats {
  const latencies: number[] = [];
  let missing = 0;
  for (const [seq, sent] of sentAt) {
    const times = receivedAt.get(seq) ?? [];
    let got = 0;
    for (const time of times) {
      if (time === null) continue;
      // A delivery before its send, or slower than the wait for it, can only be a clock that is not shared.
      if (time < sent - 1 || time - sent > 60_000) throw new Error(`delivery ${time - sent} ms: clocks disagree`);
      latencies.push(time - sent);
      got++;
    }
    missing += clients - got;
  }
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    deliveries: latencies.length,
    missing,
  };
}

async function readJson<T>(connection: RawHttpConnection, method: string, path: string, body?: unknown): Promise<T> {
  const response = await connection.request(method, path, body, { 'X-Client-Id': WRITER_ID });
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${response.body.toString()}`);
  return JSON.parse(response.body.toString('utf8')) as T;
}

/** The board's newest seq (the board must be within the replay window of seq 0, as a fresh bench board is). */
export async function currentSeq(port: number): Promise<number> {
  const connection = await RawHttpConnection.open(port);
  try {
    return (await readJson<{ seq: number }>(connection, 'GET', '/api/events?after=0&limit=1')).seq;
  } finally {
    connection.close();
  }
}

/** Delivery time of REST writes to every connected client: client receive time minus the time the PATCH was sent. */
export async function measureWrites(
  writePort: number,
  fleet: ClientFleet,
  ticketIds: number[],
  plan: BroadcastPlan,
  server?: Child,
): Promise<DeliveryStats> {
  const connection = await RawHttpConnection.open(writePort);
  try {
    const firstSeq = (await currentSeq(writePort)) + 1;
    const sentAt = new Map<number, number>();
    const writeTimes: number[] = [];
    for (let index = 0; index < plan.warmup + plan.writes; index++) {
      const seq = firstSeq + index;
      const id = ticketIds[index % ticketIds.length]!;
      const sent = now();
      await readJson(connection, 'PATCH', `/api/tickets/${id}`, { title: `Broadcast ${seq} on ticket ${id}` });
      if (index >= plan.warmup) writeTimes.push(now() - sent);
      if (!(await fleet.waitFor(seq, plan.timeoutMs))) throw new Error(`seq ${seq} did not reach every client`);
      if (index >= plan.warmup) sentAt.set(seq, sent);
      await sleep(plan.gapMs);
    }
    const received = await fleet.collect();
    const stats: DeliveryStats = {
      ...deliveryStats(sentAt, received, plan.clients),
      writeP50: percentile(writeTimes, 50),
    };
    if (server) {
      const { emittedAt } = await server.request<{ emittedAt: Record<string, number> }>({ type: 'emits' });
      const emitted = new Map([...sentAt.keys()].map((seq) => [seq, emittedAt[seq]!]));
      stats.fanout = deliveryStats(emitted, received, plan.clients);
    }
    return stats;
  } finally {
    connection.close();
  }
}

/** A real `ticket.updated` event of this board, for the bare broadcast to carry. */
export async function sampleEvent(port: number, ticketId: number): Promise<BoardEvent> {
  const connection = await RawHttpConnection.open(port);
  try {
    const ticket = await readJson<Ticket>(connection, 'GET', `/api/tickets/${ticketId}`);
    return {
      type: 'ticket.updated',
      seq: 1,
      at: ticket.updatedAt,
      ticket: { ...ticket, title: `Broadcast 1 on ticket ${ticketId}` },
      changes: { title: [ticket.title, `Broadcast 1 on ticket ${ticketId}`] },
      origin: WRITER_ID,
    };
  } finally {
    connection.close();
  }
}

/** Delivery time of a bare `io.emit` of the same event: client receive time minus emit time. */
export async function measureBareEmits(
  baseline: Child,
  fleet: ClientFleet,
  event: BoardEvent,
  plan: BroadcastPlan,
): Promise<DeliveryStats> {
  const sentAt = new Map<number, number>();
  for (let index = 0; index < plan.warmup + plan.writes; index++) {
    const seq = index + 1;
    const { emittedAt } = await baseline.request<{ emittedAt: number }>({ type: 'emit', event: { ...event, seq } });
    if (!(await fleet.waitFor(seq, plan.timeoutMs))) throw new Error(`bare seq ${seq} did not reach every client`);
    if (index >= plan.warmup) sentAt.set(seq, emittedAt);
    await sleep(plan.gapMs);
  }
  return deliveryStats(sentAt, await fleet.collect(), plan.clients);
}
