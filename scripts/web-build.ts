import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const viteConfig = path.join(root, 'web', 'vite.config.ts');

/** Where the server finds the built board (same origin as the API). */
export const DIST_WEB = path.join(root, 'dist', 'web');

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

/** Why dist/web needs building, or undefined when it is newer than every source of the board. */
export function webBuildStale(): string | undefined {
  const index = path.join(DIST_WEB, 'index.html');
  if (!existsSync(index)) return 'dist/web/index.html is missing';
  const sources = Math.max(
    newestMtime(path.join(root, 'web')),
    newestMtime(path.join(root, 'shared')),
    statSync(path.join(root, 'package.json')).mtimeMs,
  );
  return statSync(index).mtimeMs < sources ? 'dist/web is older than web/ or shared/' : undefined;
}

/** `vite build` of the board into `outDir`; `apiUrl` makes the static build for another origin (VITE_API_URL). */
export async function buildBoard(outDir: string, apiUrl?: string): Promise<void> {
  const previous = process.env.VITE_API_URL;
  if (apiUrl) process.env.VITE_API_URL = apiUrl;
  else delete process.env.VITE_API_URL;
  try {
    await build({ configFile: viteConfig, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } finally {
    if (previous === undefined) delete process.env.VITE_API_URL;
    else process.env.VITE_API_URL = previous;
  }
}

/** Builds dist/web when it is missing or older than its sources; returns the folder. */
export async function ensureWebBuild(log: (line: string) => void): Promise<string> {
  const reason = webBuildStale();
  if (reason) {
    log(`Building the board (${reason})…`);
    await buildBoard(DIST_WEB);
  }
  return DIST_WEB;
}
