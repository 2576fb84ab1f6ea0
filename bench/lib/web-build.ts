import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from './child.js';

export const WEB_DIR = path.join(REPO_ROOT, 'dist', 'web');

/** Newest modification time (ms) of the files under `dir`, node_modules and dot folders skipped. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Why dist/web needs building, or undefined when it is newer than every source of the board (web/, shared/). */
export function webBuildStale(): string | undefined {
  const index = path.join(WEB_DIR, 'index.html');
  if (!existsSync(index)) return 'dist/web/index.html is missing';
  const sources = Math.max(
    newestMtime(path.join(REPO_ROOT, 'web')),
    newestMtime(path.join(REPO_ROOT, 'shared')),
    statSync(path.join(REPO_ROOT, 'package.json')).mtimeMs,
  );
  return statSync(index).mtimeMs < sources ? 'dist/web is older than web/ or shared/' : undefined;
}

/** `vite build` of the board into dist/web (same origin as the API) when missing or stale; returns the folder. */
export async function ensureWebBuild(log: (line: string) => void): Promise<string> {
  const reason = webBuildStale();
  if (!reason) return WEB_DIR;
  log(`building the board (${reason})`);
  const env = { ...process.env };
  delete env.VITE_API_URL;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['node_modules/vite/bin/vite.js', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'],
      { cwd: REPO_ROOT, env, stdio: ['ignore', 'inherit', 'inherit'] },
    );
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with code ${code}`))));
  });
  if (!existsSync(path.join(WEB_DIR, 'index.html'))) throw new Error('vite build left no dist/web/index.html');
  return WEB_DIR;
}
