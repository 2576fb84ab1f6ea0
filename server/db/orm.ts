import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { Migrator } from '@mikro-orm/migrations';
import { BoardEventEntity } from '../events/board-event.entity.js';
import { TicketEntity } from '../tickets/ticket.entity.js';
import { pgConnectionOptions } from './connection-options.js';
import { migrationsList } from './migration-list.js';

export interface DatabaseSettings {
  databaseUrl: string;
  poolMax: number;
  connectTimeoutMs: number;
  acquireTimeoutMs: number;
  statementTimeoutMs: number;
}

export function ormOptions(settings: DatabaseSettings): Options {
  const { ssl, enableChannelBinding, ...connection } = pgConnectionOptions(settings.databaseUrl);
  return defineConfig({
    entities: [TicketEntity, BoardEventEntity],
    extensions: [Migrator],
    host: connection.host,
    port: connection.port,
    user: connection.user,
    password: connection.password,
    dbName: connection.database,
    pool: { min: 0, max: settings.poolMax, idleTimeoutMillis: 30_000 },
    driverOptions: {
      connection: {
        ssl,
        enableChannelBinding,
        connectionTimeoutMillis: settings.connectTimeoutMs,
        statement_timeout: settings.statementTimeoutMs,
        keepAlive: true,
        application_name: 'ticketdesk',
      },
      // A request waits this long for a pooled connection, then gets a 503 instead of hanging.
      acquireConnectionTimeout: settings.acquireTimeoutMs,
    },
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    forceUtcTimezone: true,
    ensureDatabase: false,
    debug: false,
  });
}

/** The pool and timeout settings of `config`, for the database at `databaseUrl`. */
export function databaseSettings(config: Config, databaseUrl: string): DatabaseSettings {
  return {
    databaseUrl,
    poolMax: config.DB_POOL_MAX,
    connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
    acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
  };
}

export async function createOrm(settings: DatabaseSettings): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings));
}

export async function migrate(orm: MikroORM): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((migration) => migration.name);
}

/** Brings the database at `databaseUrl` up to date on a short-lived connection of its own (templates, tools). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const orm = await createOrm({
    databaseUrl,
    poolMax: 2,
    connectTimeoutMs: 5_000,
    acquireTimeoutMs: 5_000,
    statementTimeoutMs: 60_000,
  });
  try {
    await migrate(orm);
  } finally {
    await orm.close();
  }
}
