import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config.js';
import { startTcpProxy } from '../testing/tcp-proxy.js';
import { createTestDatabase } from '../testing/test-database.js';
import { openDatabase } from './database.js';

const logger = pino({ level: 'silent' });

describe('openDatabase', () => {
  it('waits for a database that is not up yet, then migrates and serves', async () => {
    const database = await createTestDatabase();
    const direct = new URL(database.url);
    const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
    await proxy.cut();
    const proxied = new URL(database.url);
    proxied.port = String(proxy.port);
    try {
      const config = parseConfig({
        DATABASE_URL: proxied.toString(),
        DB_CONNECT_TIMEOUT_MS: '500',
        DB_STARTUP_TIMEOUT_MS: '20000',
      });
      const opening = openDatabase(config, logger);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await proxy.restore();
      const opened = await opening;
      const [row] = await opened.orm.em.fork().execute<{ value: string }[]>('select value from board_seq');
      expect(row?.value).toBe('0');
      await opened.close();
    } finally {
      await proxy.close();
      await database.drop();
    }
  });

  it('gives up with a clear message when the database never answers', async () => {
    const config = parseConfig({
      DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      DB_CONNECT_TIMEOUT_MS: '200',
      DB_STARTUP_TIMEOUT_MS: '600',
    });
    await expect(openDatabase(config, logger)).rejects.toThrow(/did not answer within 600 ms/);
  });
});
