// CI smoke run of the default install: no DATABASE_URL, so `npm start` runs on its embedded PostgreSQL.
// Starts it, creates and reads a ticket, stops it with SIGTERM, starts again and finds the ticket still there.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dataDir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-smoke-'));
const port = await new Promise((resolve) => {
  const server = createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  });
});
const base = `http://127.0.0.1:${port}`;
const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
delete env.DATABASE_URL;
delete env.REDIS_URL;

function fail(message) {
  console.error(`smoke: ${message}`);
  process.exitCode = 1;
}

async function startServer() {
  const child = spawn(process.execPath, ['scripts/start.mjs'], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/api/health`);
      if (response.ok) return { child, exited };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy within 120 s');
}

async function stopServer({ child, exited }) {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  const { code, signal } = await exited;
  clearTimeout(timer);
  if (code !== 0) fail(`server exited with ${code ?? signal} after SIGTERM`);
  const leftovers = execFileSync('ps', ['-eo', 'args'])
    .toString()
    .split('\n')
    .filter((line) => line.includes(dataDir));
  if (leftovers.length) fail(`embedded PostgreSQL still running after stop:\n${leftovers.join('\n')}`);
}

try {
  let server = await startServer();
  const created = await fetch(`${base}/api/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Smoke test ticket', priority: 'high' }),
  });
  if (created.status !== 201) fail(`create answered ${created.status}`);
  const ticket = await created.json();
  const read = await fetch(`${base}/api/tickets/${ticket.id}`);
  if (read.status !== 200 || (await read.json()).title !== 'Smoke test ticket') fail('could not read the ticket back');
  const page = await fetch(`${base}/`);
  if (!page.ok || !(await page.text()).includes('<div id="app"')) fail('the board page is not served at /');
  await stopServer(server);

  server = await startServer();
  const again = await fetch(`${base}/api/tickets/${ticket.id}`);
  if (again.status !== 200) fail(`after a restart the ticket answered ${again.status}: data did not survive`);
  await stopServer(server);
  if (!process.exitCode) console.log('smoke: embedded start, create, read, clean stop and restart all passed');
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
