import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/database.js';
import { seedSampleTickets } from './db/seed.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<void> {
  const config = loadConfig();
  const pretty = config.LOG_FORMAT === 'pretty' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY);
  const logger = pino({
    level: config.LOG_LEVEL,
    ...(pretty
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
  const database = await openDatabase(config, logger);
  const desk = createApp({ orm: database.orm, config, logger, webDir: path.join(root, 'dist', 'web') });
  if (database.kind === 'embedded' && config.SEED_SAMPLE_TICKETS) {
    const created = await seedSampleTickets(desk.tickets, database.orm, { onlyIfNew: true });
    if (created) logger.info({ created }, 'first run: sample tickets added');
  }

  await desk.ready;
  await new Promise<void>((resolve) => desk.httpServer.listen(config.PORT, config.HOST, resolve));
  logger.info(
    `TicketDesk is serving on http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${config.PORT}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    force.unref();
    await desk.close();
    await new Promise<void>((resolve) => {
      desk.httpServer.close(() => resolve());
      desk.httpServer.closeIdleConnections();
    });
    await database.close();
    logger.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', (signal) => void stop(signal));
  process.on('SIGTERM', (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('TicketDesk could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
});
