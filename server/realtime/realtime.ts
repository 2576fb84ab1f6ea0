import type { Server as HttpServer } from 'node:http';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { PresenceUpdate, type BoardEvent } from '../../shared/events.js';
import type { Config } from '../config.js';
import { acceptHandshake, originGate } from './handshake.js';
import { createMessageGuard } from './message-guard.js';
import { createPresence } from './presence.js';
import { connectRedis, type RedisLink } from './redis-link.js';
import { refuse } from './refusal.js';
import { createSequencer } from './sequencer.js';
import type { BoardServer } from './types.js';

export type { BoardServer } from './types.js';

export type RealtimeConfig = Pick<
  Config,
  | 'REDIS_URL'
  | 'REDIS_PREFIX'
  | 'CORS_ORIGINS'
  | 'RECOVERY_WINDOW_MS'
  | 'SOCKET_MAX_MESSAGE_BYTES'
  | 'SOCKET_MESSAGES_PER_10S'
  | 'DB_CONNECT_TIMEOUT_MS'
>;

export interface Realtime {
  io: BoardServer;
  /** Resolves once the adapter is in place (Redis connected, when used); listen only after it. */
  ready: Promise<void>;
  /** Sends a committed event to every board client, on every instance. */
  publish(event: BoardEvent): void;
  /** Redis's state for /api/health, or undefined when this server runs without Redis. */
  redisHealth(): Promise<'ok' | 'unavailable'> | undefined;
  /** Closes every client's connection as a restart would: clients reconnect (to another instance) and recover. */
  dropConnections(): void;
  /** Stops carrying events; call it once requests in flight have finished, so that their events still go out. */
  close(): Promise<void>;
}

/** How long an event waits for an earlier one still on its way out of another request. */
const REORDER_HOLD_MS = 100;
const PRESENCE_INTERVAL_MS = 250;

export function createRealtime(httpServer: HttpServer, config: RealtimeConfig, logger: Logger): Realtime {
  const clustered = config.REDIS_URL !== undefined;
  const options: Partial<ServerOptions> = {
    serveClient: false,
    perMessageDeflate: false,
    httpCompression: false,
    // Above the message cap, so that a message a little too large gets a refusal instead of a closed connection.
    maxHttpBufferSize: config.SOCKET_MAX_MESSAGE_BYTES * 4,
    // A tab that vanished without closing its socket leaves the presence list within about 15 s.
    pingInterval: 10_000,
    pingTimeout: 5_000,
    allowRequest: originGate(config.CORS_ORIGINS),
    cors: { origin: config.CORS_ORIGINS, credentials: true },
  };
  if (config.RECOVERY_WINDOW_MS > 0) {
    options.connectionStateRecovery = { maxDisconnectionDuration: config.RECOVERY_WINDOW_MS, skipMiddlewares: true };
  }
  const io: BoardServer = new Server(httpServer, options);

  // The origin was checked in allowRequest and nothing later reads the request: free it (a few KB per connection).
  // As a result socket.handshake.headers is empty: whatever a later check needs, read it in allowRequest.
  io.engine.on('connection', (raw: { request: unknown }) => {
    raw.request = null;
  });

  let redis: RedisLink | undefined;
  const ready = config.REDIS_URL
    ? connectRedis(config.REDIS_URL, {
        prefix: config.REDIS_PREFIX,
        connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
        logger,
      }).then((link) => {
        redis = link;
        io.adapter(link.adapter);
      })
    : Promise.resolve();

  const presence = createPresence(io, { clustered, intervalMs: PRESENCE_INTERVAL_MS, logger });
  const guard = createMessageGuard({
    maxMessageBytes: config.SOCKET_MAX_MESSAGE_BYTES,
    messagesPer10s: config.SOCKET_MESSAGES_PER_10S,
  });

  io.use(acceptHandshake);
  io.on('connection', (socket) => {
    guard(socket);
    socket.on('presence:update', (update: unknown) => {
      const parsed = PresenceUpdate.safeParse(update);
      if (!parsed.success) {
        refuse(socket, {
          event: 'presence:update',
          status: 400,
          title: 'Invalid message',
          detail: parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'update'}: ${issue.message}`)
            .join('; '),
        });
        return;
      }
      if (parsed.data.name !== undefined) socket.data.name = parsed.data.name;
      if (parsed.data.viewing !== undefined) socket.data.viewing = parsed.data.viewing;
      presence.changed();
    });
    socket.on('disconnect', () => presence.changed());
    presence.changed();
  });

  const sequencer = createSequencer(
    (event) => {
      io.emit('board:event', event);
    },
    clustered ? 0 : REORDER_HOLD_MS,
  );

  return {
    io,
    ready,
    publish: (event) => sequencer.publish(event),
    redisHealth: () => redis?.health() ?? (clustered ? Promise.resolve('unavailable') : undefined),
    dropConnections: () => {
      io.engine.close();
    },
    close: async () => {
      sequencer.close();
      presence.close();
      await ready.catch(() => undefined);
      await io.close();
      await redis?.close();
    },
  };
}
