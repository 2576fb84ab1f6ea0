import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';

export interface PgConnectionOptions {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  ssl: false | ConnectionOptions;
  enableChannelBinding: boolean;
}

/**
 * Reads a postgres URL the way libpq does for the parts we honour: `sslmode`
 * (`disable`/`allow`/`prefer` stay plain, `require` encrypts, `verify-ca` and
 * `verify-full` also check the certificate), `sslrootcert`, and
 * `channel_binding=require` (Neon's URLs carry it).
 */
export function pgConnectionOptions(databaseUrl: string): PgConnectionOptions {
  const url = new URL(databaseUrl);
  const params = url.searchParams;
  const sslmode = params.get('sslmode') ?? (params.get('ssl') === 'true' ? 'require' : 'disable');
  const rootCert = params.get('sslrootcert');
  const ca = rootCert && rootCert !== 'system' ? readFileSync(rootCert, 'utf8') : undefined;
  let ssl: false | ConnectionOptions;
  switch (sslmode) {
    case 'disable':
    case 'allow':
    case 'prefer':
      ssl = false;
      break;
    case 'require':
      // libpq's require: encrypted, certificate checked only when a root certificate is given.
      ssl = ca ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false };
      break;
    case 'verify-ca':
      ssl = { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined };
      break;
    case 'verify-full':
      ssl = { ca, rejectUnauthorized: true, servername: url.hostname };
      break;
    default:
      throw new Error(
        `DATABASE_URL: sslmode=${sslmode} is not one of disable, allow, prefer, require, verify-ca, verify-full`,
      );
  }
  return {
    host: decodeURIComponent(url.hostname) || '127.0.0.1',
    port: url.port ? Number(url.port) : 5432,
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres',
    ssl,
    enableChannelBinding: params.get('channel_binding') === 'require',
  };
}

/** The same server with another database: used by tests and by the first-run database creation. */
export function withDatabase(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}
