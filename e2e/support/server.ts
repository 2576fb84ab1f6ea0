import { inject } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../server/testing/test-database.js';
import { startTestServer, type TestServer } from '../../server/testing/test-server.js';

export interface BoardServer extends Omit<TestServer, 'close'> {
  port: number;
  /** Stops this server; the database stays for a restart. */
  stop(): Promise<void>;
}

/** The real server with the built board at `/`, on `port` (0 = any) over `database` (fresh when absent). */
export async function startBoardServer(
  options: { database?: TestDatabase; port?: number; env?: Record<string, string>; webDir?: string | null } = {},
): Promise<BoardServer> {
  const database = options.database ?? (await createTestDatabase());
  const webDir = options.webDir === null ? undefined : (options.webDir ?? inject('webDir'));
  const { close, ...server } = await startTestServer({ database, port: options.port, env: options.env, webDir });
  return { ...server, port: Number(new URL(server.baseUrl).port), stop: close };
}
