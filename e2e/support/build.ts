import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const viteConfig = fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url));

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
