// `npm run migrate`: applies pending migrations to DATABASE_URL (or the embedded database) and exits.
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../config.js';
import { openDatabase } from './database.js';

try {
  const config = { ...loadConfig(), MIGRATE_ON_START: true };
  const database = await openDatabase(config, pino({ level: config.LOG_LEVEL }));
  await database.close();
  console.log('Migrations are up to date.');
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : `Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
