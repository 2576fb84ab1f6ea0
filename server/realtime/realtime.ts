import type { Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { BoardEvent, ClientToServerEvents, ServerToClientEvents } from '../../shared/events.js';

export type BoardServer = Server<ClientToServerEvents, ServerToClientEvents>;

export interface Realtime {
  io: BoardServer;
  /** Sends a committed event to every board client, on every instance. */
  publish(event: BoardEvent): void;
  close(): Promise<void>;
}

export function createRealtime(httpServer: HttpServer): Realtime {
  const io: BoardServer = new Server(httpServer, { serveClient: false });
  return {
    io,
    publish: (event) => {
      io.emit('board:event', event);
    },
    close: () => new Promise((resolve) => void io.close(() => resolve())),
  };
}
