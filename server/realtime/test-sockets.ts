import { randomUUID } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { BoardEvent, ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';

export type BoardClient = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real socket.io-client on the websocket transport, connected (or refused) before it is returned. */
export async function connectBoard(
  baseUrl: string,
  options: Partial<ManagerOptions & SocketOptions> & { clientId?: string } = {},
): Promise<BoardClient> {
  const { clientId = `test-${randomUUID()}`, ...socketOptions } = options;
  const socket: BoardClient = io(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    auth: { clientId },
    forceNew: true,
    ...socketOptions,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return socket;
}

/** Every board event the socket receives, in arrival order. */
export function recordEvents(socket: BoardClient): BoardEvent[] {
  const events: BoardEvent[] = [];
  socket.on('board:event', (event) => events.push(event));
  return events;
}

export async function waitFor(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
