import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './embedded.js';
import { createOrm } from './orm.js';

// A PostgreSQL of this test's own with a self-signed certificate: the shared test server may not have TLS on.
let dir: string;
let embedded: EmbeddedDatabase;

function postgresOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString());
  return { uid, gid };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-ssl-'));
  chmodSync(dir, 0o755);
  const key = path.join(dir, 'server.key');
  const cert = path.join(dir, 'server.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  chmodSync(key, 0o600);
  chmodSync(cert, 0o644);
  // Started once without the certificate to create the postgres user, then given the key it must own.
  embedded = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), port: 0, database: 'ticketdesk' });
  await embedded.stop();
  const owner = postgresOwner();
  if (owner) chownSync(key, owner.uid, owner.gid);
  embedded = await startEmbeddedPostgres({
    dataDir: path.join(dir, 'data'),
    port: 0,
    database: 'ticketdesk',
    postgresFlags: ['-c', 'ssl=on', '-c', `ssl_cert_file=${cert}`, '-c', `ssl_key_file=${key}`],
  });
}, 60_000);

afterAll(async () => {
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function connectionIsEncrypted(databaseUrl: string): Promise<boolean> {
  let orm: MikroORM | undefined;
  try {
    orm = await createOrm({
      databaseUrl,
      poolMax: 1,
      connectTimeoutMs: 5_000,
      acquireTimeoutMs: 5_000,
      statementTimeoutMs: 5_000,
    });
    const [row] = await orm.em
      .fork()
      .execute<{ ssl: boolean }[]>('select ssl from pg_stat_ssl where pid = pg_backend_pid()');
    return row!.ssl;
  } finally {
    await orm?.close();
  }
}

describe('DATABASE_URL and TLS', () => {
  it('encrypts the connection when the URL says sslmode=require', async () => {
    expect(await connectionIsEncrypted(`${embedded.url}?sslmode=require`)).toBe(true);
  });

  it('stays plain with sslmode=disable (the server allows both)', async () => {
    expect(await connectionIsEncrypted(`${embedded.url}?sslmode=disable`)).toBe(false);
  });

  it('verifies the certificate with verify-full: trusted root passes, an unknown one is refused', async () => {
    const cert = path.join(dir, 'server.crt');
    expect(await connectionIsEncrypted(`${embedded.url}?sslmode=verify-full&sslrootcert=${cert}`)).toBe(true);
    await expect(connectionIsEncrypted(`${embedded.url}?sslmode=verify-full`)).rejects.toThrow(
      /self[- ]signed|certificate/i,
    );
  });
});
