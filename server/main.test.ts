import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '../shared/ticket.js';
import { freePort } from './db/embedded.js';
import { createTestDatabase, type TestDatabase } from './testing/test-database.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function waitForHealth(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${baseUrl}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
}

describe('the server process', () => {
  it('on SIGTERM finishes the request in flight, then exits cleanly', async () => {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), LOG_LEVEL: 'warn', REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const blocker = new pg.Client({ connectionString: database.url });
    try {
      await waitForHealth(baseUrl);
      await blocker.connect();
      await blocker.query('begin');
      await blocker.query('select value from board_seq for update');

      const inFlight = fetch(`${baseUrl}/api/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ title: 'Written during shutdown' }),
      });
      await new Promise((resolve) => setTimeout(resolve, 300));
      child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(child.exitCode).toBeNull();
      await blocker.query('rollback');

      const response = await inFlight;
      expect(response.status).toBe(201);
      const ticket = (await response.json()) as Ticket;
      expect(await exited).toBe(0);

      const { rows } = await blocker.query('select title from ticket where id = $1', [ticket.id]);
      expect(rows).toEqual([{ title: 'Written during shutdown' }]);
    } finally {
      await blocker.end();
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });

  it('refuses to start on bad settings, naming each one', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { ...process.env, PORT: 'eighty', DATABASE_URL: 'mysql://nope', REDIS_URL: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (exitCode) => resolve(exitCode)));
    expect(code).toBe(1);
    expect(stderr).toContain('PORT');
    expect(stderr).toContain('DATABASE_URL');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
