// For the MikroORM CLI (`npx tsx ./node_modules/@mikro-orm/cli/cli.js …`); the server builds its own from server/config.ts.
import { loadConfig } from './server/config.js';
import { ormOptions } from './server/db/orm.js';

const config = loadConfig();
if (!config.DATABASE_URL) {
  throw new Error('The MikroORM CLI needs DATABASE_URL (the direct, not the pooled, URL on Neon).');
}

export default ormOptions({
  databaseUrl: config.DATABASE_URL,
  poolMax: 2,
  connectTimeoutMs: config.DB_CONNECT_TIMEOUT_MS,
  acquireTimeoutMs: config.DB_ACQUIRE_TIMEOUT_MS,
  statementTimeoutMs: 0,
});
