import { io, type Socket } from 'socket.io-client';
import type { BoardEvent, ClientToServerEvents, ServerToClientEvents } from '../shared/events.js';
import { now } from './lib/clock.js';
import { announce, onStop, serveRequests } from './lib/helper.js';

type BoardSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

// Board clients in a process of their own: each stamps when every event reaches it.
const sockets: BoardSocket[] = [];
const receivedAt = new Map<number, { times: Float64Array; count: number }>();
const CONNECT_BATCH = 50;
// Per socket: how many people its last presence list held, and when any socket last got one.
const presenceSize: number[] = [];
let lastPresenceAt = 0;

function record(index: number, event: BoardEvent): void {
  const stamp = now();
  let entry = receivedAt.get(event.seq);
  if (!entry) {
    entry = { times: new Float64Array(sockets.length).fill(Number.NaN), count: 0 };
    receivedAt.set(event.seq, entry);
  }
  if (!Number.isNaN(entry.times[index]!)) return;
  entry.times[index] = stamp;
  entry.count++;
  if (entry.count === sockets.length) process.send?.({ type: 'delivered', seq: event.seq });
}

function connectOne(url: string, clientId: string): Promise<BoardSocket> {
  return new Promise((resolve, reject) => {
    const socket: BoardSocket = io(url, {
      transports: ['websocket'],
      forceNew: true,
      reconnection: false,
      timeout: 20_000,
      auth: { clientId },
    });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

async function connect(url: string, count: number, prefix: string): Promise<{ connectMs: number }> {
  const started = now();
  const firstNew = sockets.length;
  for (let first = 0; first < count; first += CONNECT_BATCH) {
    const batch = Array.from({ length: Math.min(CONNECT_BATCH, count - first) }, (_, offset) =>
      connectOne(url, `${prefix}-${first + offset}`),
    );
    sockets.push(...(await Promise.all(batch)));
  }
  for (let index = firstNew; index < sockets.length; index++) {
    sockets[index]!.on('board:event', (event) => record(index, event));
    presenceSize[index] = 0;
    sockets[index]!.on('presence', (people) => {
      presenceSize[index] = people.length;
      lastPresenceAt = now();
    });
  }
  return { connectMs: now() - started };
}

/** Waits until every socket has a presence list of `people` and none has come for `quietMs`: the board is at rest. */
async function settle(people: number, quietMs: number, timeoutMs: number): Promise<{ settled: boolean; ms: number }> {
  const started = now();
  while (now() - started < timeoutMs) {
    if (presenceSize.every((size) => size >= people) && now() - lastPresenceAt >= quietMs) {
      return { settled: true, ms: now() - started };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { settled: false, ms: now() - started };
}

function close(): void {
  for (const socket of sockets.splice(0)) socket.close();
  presenceSize.length = 0;
  receivedAt.clear();
}

serveRequests(async (message) => {
  switch (message.type) {
    case 'connect':
      return connect(String(message.url), Number(message.count), String(message.prefix));
    case 'collect': {
      // Per seq, every client's receive time (null when it never came).
      const result: Record<number, (number | null)[]> = {};
      for (const [seq, entry] of receivedAt) {
        result[seq] = Array.from(entry.times, (time) => (Number.isNaN(time) ? null : time));
      }
      receivedAt.clear();
      return result;
    }
    case 'settle':
      return settle(Number(message.people), Number(message.quietMs), Number(message.timeoutMs));
    case 'close':
      close();
      return { closed: true };
    default:
      throw new Error(`unknown request ${String(message.type)}`);
  }
});
onStop(close);
announce({});
