import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, PresenceEntry, ServerToClientEvents } from '../../shared/events.js';

/** Messages between server instances (through the adapter), never seen by clients. */
export interface InterServerEvents {
  'presence:changed': () => void;
}

/** What a board socket carries: its presence entry, restored with the session after a short drop. */
export type BoardSocketData = PresenceEntry;

export type BoardServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, BoardSocketData>;
export type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, BoardSocketData>;
