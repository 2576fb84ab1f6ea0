import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from '../server/app.js';
import { parseConfig } from '../server/config.js';
import { createOrm } from '../server/db/orm.js';
import { now } from './lib/clock.js';
import { announce, onStop, serveRequests, settledMemory } from './lib/helper.js';

// Our real server, alone in its process so that its event loop and memory are measured by themselves.
const config = parseConfig({ ...process.env, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'warn' });
const orm = await createOrm({
  databaseUrl: config.DATABASE_URL!,
  poolMax: config.DB_POOL_MAX,
  connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
  acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
  statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
});
// BENCH_WEB_DIR: the built board, served at / as in production (the browser benchmark).
const desk = createApp({
  orm,
  config,
  logger: pino({ level: config.LOG_LEVEL }),
  webDir: process.env.BENCH_WEB_DIR || undefined,
});
// With Redis the adapter must be in place before the first client arrives.
await desk.ready;
await new Promise<void>((resolve) => desk.httpServer.listen(0, '127.0.0.1', resolve));

// When each event left through io.emit, on the clock the clients share: fan-out time is measured from here.
const emittedAt = new Map<number, number>();
const emit = desk.io.emit.bind(desk.io);
desk.io.emit = ((name: string, ...args: unknown[]) => {
  if (name === 'board:event') emittedAt.set((args[0] as { seq: number }).seq, now());
  return (emit as (name: string, ...args: unknown[]) => boolean)(name, ...args);
}) as typeof desk.io.emit;

serveRequests(async (message) => {
  if (message.type === 'emits') {
    const times = Object.fromEntries(emittedAt);
    emittedAt.clear();
    return { emittedAt: times };
  }
  if (message.type === 'memory') return { ...(await settledMemory()), sockets: desk.io.engine.clientsCount };
  throw new Error(`unknown request ${String(message.type)}`);
});
onStop(async () => {
  await desk.close();
  desk.httpServer.closeAllConnections();
  await new Promise<void>((resolve) => desk.httpServer.close(() => resolve()));
  await orm.close();
});
announce({ port: (desk.httpServer.address() as AddressInfo).port });
