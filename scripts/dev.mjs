// Development: the API server (restarts on change) and Vite (hot reload, proxying /api and /socket.io to it).
import { spawn } from 'node:child_process';

const apiPort = process.env.PORT ?? '3000';
const env = { ...process.env, PORT: apiPort, API_PROXY_TARGET: `http://127.0.0.1:${apiPort}` };
const children = [
  spawn('npx', ['tsx', 'watch', 'server/main.ts'], { stdio: 'inherit', env }),
  spawn('npx', ['vite', '--config', 'web/vite.config.ts'], { stdio: 'inherit', env }),
];

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
process.on('SIGINT', () => stop(0));
process.on('SIGTERM', () => stop(0));
