import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';

export interface RedisLink {
  adapter: ReturnType<typeof createAdapter>;
  /** 'ok' when Redis answers a PING within a second. */
  health(): Promise<'ok' | 'unavailable'>;
  close(): Promise<void>;
}

const HEALTH_TIMEOUT_MS = 1_000;

/**
 * Connects to Redis (failing start-up with a clear message when it cannot)
 * and builds the Streams adapter, which carries broadcasts between instances
 * and keeps connection-state recovery working across them.
 */
export async function connectRedis(
  url: string,
  options: { prefix: string; connectTimeoutMs: number; logger: Logger },
): Promise<RedisLink> {
  const client = createClient({
    url,
    socket: {
      connectTimeout: options.connectTimeoutMs,
      reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 3_000),
    },
  });
  let lastError = '';
  client.on('error', (error: Error) => {
    if (error.message !== lastError) options.logger.error({ err: error }, 'redis: connection problem');
    lastError = error.message;
  });
  client.on('ready', () => {
    if (lastError) options.logger.info('redis: connected again');
    lastError = '';
  });

  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`Redis at REDIS_URL did not answer within ${options.connectTimeoutMs} ms`)),
          options.connectTimeoutMs,
        );
      }),
    ]);
  } catch (error) {
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }

  const adapter = createAdapter(client, {
    streamName: `${options.prefix}:board`,
    channelPrefix: options.prefix,
    sessionKeyPrefix: `${options.prefix}:session:`,
    // Short blocking reads so that closing the adapter does not wait long for the reader to notice.
    blockTimeInMs: 1_000,
  });

  return {
    adapter,
    async health() {
      if (!client.isReady) return 'unavailable';
      let healthTimer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          client.ping(),
          new Promise((_resolve, reject) => {
            healthTimer = setTimeout(() => reject(new Error('timeout')), HEALTH_TIMEOUT_MS);
          }),
        ]);
        return 'ok';
      } catch {
        return 'unavailable';
      } finally {
        clearTimeout(healthTimer);
      }
    },
    async close() {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
