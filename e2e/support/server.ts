import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createApp, type TicketDeskApp } from '../../server/app.js';
import { parseConfig } from '../../server/config.js';
import { createOrm, databaseSettings } from '../../server/db/orm.js';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-database.js';

export interface BoardServer {
  baseUrl: string;
  port: number;
  database: TestDatabase;
  desk: TicketDeskApp;
  orm: MikroORM;
  /** Stops this server; the database stays for a restart. */
  stop(): Promise<void>;
}

/** The real server with the built board at `/`, on `port` (0 = any) over `database` (fresh when absent). */
export async function startBoardServer(
  options: { database?: TestDatabase; port?: number; env?: Record<string, string>; webDir?: string | null } = {},
): Promise<BoardServer> {
  const database = options.database ?? (await createTestDatabase());
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: String(options.port ?? 0),
    DATABASE_URL: database.url,
    ...options.env,
  });
  const orm = await createOrm(databaseSettings(config, database.url));
  const webDir = options.webDir === null ? undefined : (options.webDir ?? inject('webDir'));
  const desk = createApp({ orm, config, logger: pino({ level: config.LOG_LEVEL }), webDir });
  await desk.ready;
  await new Promise<void>((resolve) => desk.httpServer.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = desk.httpServer.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    database,
    desk,
    orm,
    stop: async () => {
      desk.httpServer.closeAllConnections();
      await desk.close();
      desk.httpServer.closeAllConnections();
      await new Promise<void>((resolve) => desk.httpServer.close(() => resolve()));
      await orm.close();
    },
  };
}
