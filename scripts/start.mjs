// `npm start`: builds the board when its sources are newer than the build, then runs the server in this process.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
register();
const { ensureWebBuild } = await import(path.join(root, 'scripts', 'web-build.ts'));
await ensureWebBuild((line) => console.log(line));
await import(path.join(root, 'server', 'main.ts'));
