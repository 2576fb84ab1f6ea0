// `npm run seed`: adds the sample tickets to the configured database (live boards see them arrive).
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { createApp } from '../app.js';
import { openDatabase } from './database.js';
import { seedSampleTickets } from './seed.js';

try {
  const config = loadConfig();
  const logger = pino({ level: config.LOG_LEVEL });
  const database = await openDatabase(config, logger);
  const desk = createApp({ orm: database.orm, config, logger });
  const created = await seedSampleTickets(desk.tickets, database.orm, { onlyIfNew: false });
  await desk.close();
  await database.close();
  console.log(`Added ${created} sample tickets.`);
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Seeding failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
