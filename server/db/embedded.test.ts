import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from './embedded.js';

const dir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-embedded-'));
// mkdtemp makes a 0700 folder; PostgreSQL runs as its own user when we are root and must reach inside.
chmodSync(dir, 0o755);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data across restarts, and takes over from a server a crashed process left running', async () => {
    const dataDir = path.join(dir, 'data');
    const first = await startEmbeddedPostgres({ dataDir, port: 0, database: 'ticketdesk' });
    await query(first.url, "create table note (body text); insert into note values ('kept')");
    await first.stop();

    const second = await startEmbeddedPostgres({ dataDir, port: 0, database: 'ticketdesk' });
    expect(await query(second.url, 'select body from note')).toEqual([{ body: 'kept' }]);
    // `second` is never stopped, as if its process had crashed: the next start must cope.
    const third = await startEmbeddedPostgres({ dataDir, port: 0, database: 'ticketdesk' });
    expect(await query(third.url, 'select body from note')).toEqual([{ body: 'kept' }]);
    await third.stop();
  }, 60_000);
});
