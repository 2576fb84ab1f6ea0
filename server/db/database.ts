import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { startEmbeddedPostgres } from './embedded.js';
import { createOrm, databaseSettings, migrate } from './orm.js';

export interface Database {
  orm: MikroORM;
  /** `embedded` when we started PostgreSQL ourselves under DATA_DIR. */
  kind: 'embedded' | 'external';
  close(): Promise<void>;
}

/**
 * Waits for the database to answer: a Neon compute asleep, or a server still
 * starting, should delay the start, not fail it.
 */
async function waitForDatabase(orm: MikroORM, timeoutMs: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const check = await orm.checkConnection();
    if (check.ok) return;
    if (Date.now() >= deadline) {
      throw new Error(`the database did not answer within ${timeoutMs} ms: ${check.reason}`);
    }
    logger.warn({ attempt, reason: check.reason }, 'database not reachable yet; retrying');
    await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5_000)));
  }
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
    const orm = await createOrm(databaseSettings(config, config.DATABASE_URL ?? embedded!.url));
    await waitForDatabase(orm, config.DB_STARTUP_TIMEOUT_MS, logger);
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
