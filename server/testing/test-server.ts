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
 * A real server on port 0 over a database of its own. `env` overrides
 * settings as the environment would; `database` shares one between servers
 * (two instances of the same board).
 */
export async function startTestServer(
  options: { env?: Record<string, string>; database?: TestDatabase } = {},
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
  const desk = createApp({ orm, config, logger: pino({ level: config.LOG_LEVEL }) });
  await desk.ready;
  await new Promise<void>((resolve) => desk.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = desk.httpServer.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    desk,
    orm,
    database,
    close: async () => {
      await desk.close();
      desk.httpServer.closeAllConnections();
      await new Promise<void>((resolve) => desk.httpServer.close(() => resolve()));
      await orm.close();
      if (!options.database) await database.drop();
    },
  };
}
