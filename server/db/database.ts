import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { createOrm, migrate } from './orm.js';

export interface Database {
  orm: MikroORM;
  /** `embedded` when we started PostgreSQL ourselves under DATA_DIR. */
  kind: 'embedded' | 'external';
  close(): Promise<void>;
}

/** Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset; then migrates if asked. */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: config.DATA_DIR,
        port: config.EMBEDDED_PG_PORT,
        database: 'ticketdesk',
        log: (line) => logger.debug({ component: 'embedded-postgres' }, line),
      });
  if (embedded) logger.info({ dataDir: config.DATA_DIR }, 'embedded PostgreSQL started');
  try {
    const orm = await createOrm({
      databaseUrl: config.DATABASE_URL ?? embedded!.url,
      poolMax: config.DB_POOL_MAX,
      connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
      acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
    });
    if (config.MIGRATE_ON_START) {
      const applied = await migrate(orm);
      if (applied.length) logger.info({ applied }, 'migrations applied');
    }
    return {
      orm,
      kind: embedded ? 'embedded' : 'external',
      close: async () => {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
