import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { pino } from 'pino';
import { createApp, type TicketDeskApp } from '../app.js';
import { parseConfig, type Config } from '../config.js';
import { createOrm, databaseSettings } from '../db/orm.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface TestServer {
  /** e.g. http://127.0.0.1:43210 */
  baseUrl: string;
  config: Config;
  desk: TicketDeskApp;
  orm: MikroORM;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * A real server on 127.0.0.1 (port 0 unless given) over a database of its
 * own. `env` overrides settings as the environment would; `database` shares
 * one between servers (two instances of the same board, or a restart);
 * `webDir` serves a built board at `/`.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; database?: TestDatabase; port?: number; webDir?: string } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const config = parseConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    PORT: '0',
    DATABASE_URL: database.url,
    ...options.env,
  });
  const orm = await createOrm(databaseSettings(config, database.url));
  const desk = createApp({ orm, config, logger: pino({ level: config.LOG_LEVEL }), webDir: options.webDir });
  await desk.ready;
  await new Promise<void>((resolve) => desk.httpServer.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = desk.httpServer.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    desk,
    orm,
    database,
    close: async () => {
      // Sockets and keep-alive connections would hold the close open; a test's server stops at once.
      desk.httpServer.closeAllConnections();
      await desk.close();
      desk.httpServer.closeAllConnections();
      await new Promise<void>((resolve) => desk.httpServer.close(() => resolve()));
      await orm.close();
      if (!options.database) await database.drop();
    },
  };
}
