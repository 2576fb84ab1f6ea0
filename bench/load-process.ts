import { TICKET_STATUSES } from '../shared/ticket.js';
import { now, percentile } from './lib/clock.js';
import { announce, onStop, serveRequests } from './lib/helper.js';
import { RawHttpConnection, type RawResponse } from './lib/raw-http.js';

export type Workload = 'list' | 'get' | 'writes' | 'patches';

export interface LoadRequest {
  port: number;
  workload: Workload;
  connections: number;
  durationMs: number;
  maxRequests: number;
  ticketIds: number[];
  /** Makes PATCHed titles unique across runs, so that every PATCH is a change. */
  label?: string;
}

export interface LoadResult {
  requests: number;
  failures: number;
  firstFailure?: string;
  elapsedMs: number;
  perSecond: number;
  p50: number;
  p99: number;
}

// The HTTP load generator, in its own process: bounded by both a request count and a deadline.
const open = new Set<RawHttpConnection>();

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)]!;
}

function nextRequest(connection: RawHttpConnection, load: LoadRequest, index: number): Promise<RawResponse> {
  switch (load.workload) {
    case 'list':
      return connection.request('GET', '/api/tickets?limit=50');
    case 'get':
      return connection.request('GET', `/api/tickets/${pick(load.ticketIds)}`);
    case 'patches':
    case 'writes': {
      const id = pick(load.ticketIds);
      const headers = { 'X-Client-Id': 'bench-writer' };
      if (load.workload === 'patches' || index % 2 === 0) {
        const title = `Incident ${id}, revision ${load.label ?? ''}${index}`;
        return connection.request('PATCH', `/api/tickets/${id}`, { title }, headers);
      }
      return connection.request(
        'POST',
        `/api/tickets/${id}/move`,
        { status: pick(TICKET_STATUSES), beforeId: pick(load.ticketIds) },
        headers,
      );
    }
  }
}

async function run(load: LoadRequest): Promise<LoadResult> {
  const connections = await Promise.all(
    Array.from({ length: load.connections }, () => RawHttpConnection.open(load.port)),
  );
  connections.forEach((connection) => open.add(connection));
  const latencies: number[] = [];
  let issued = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const started = now();
  const deadline = started + load.durationMs;
  await Promise.all(
    connections.map(async (connection) => {
      while (issued < load.maxRequests && now() < deadline) {
        const index = issued++;
        const sent = now();
        const response = await nextRequest(connection, load, index);
        latencies.push(now() - sent);
        if (response.status >= 300) {
          failures++;
          firstFailure ??= `${response.status} ${response.body.toString('utf8').slice(0, 300)}`;
        }
      }
    }),
  );
  const elapsedMs = now() - started;
  for (const connection of connections) {
    connection.close();
    open.delete(connection);
  }
  return {
    requests: latencies.length,
    failures,
    ...(firstFailure === undefined ? {} : { firstFailure }),
    elapsedMs,
    perSecond: (latencies.length / elapsedMs) * 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

serveRequests(async (message) => {
  if (message.type === 'run') return run(message as unknown as LoadRequest);
  throw new Error(`unknown request ${String(message.type)}`);
});
onStop(() => {
  for (const connection of open) connection.close();
});
announce({});
