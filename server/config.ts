import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const origins = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z
        .url({ error: 'must be a comma-separated list of origins like https://board.example.com' })
        .transform((url) => new URL(url).origin),
    ),
  );

const postgresUrl = z.string().refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
  message: 'must be a postgres:// or postgresql:// URL',
});

export const ConfigSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: postgresUrl.optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  DB_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).default(10_000),
  DB_ACQUIRE_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  DB_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).default(15_000),
  DB_STARTUP_TIMEOUT_MS: z.coerce.number().int().min(0).default(30_000),
  MIGRATE_ON_START: bool.default(true),
  REDIS_URL: z
    .string()
    .refine((value) => /^rediss?:\/\//.test(value) && URL.canParse(value), {
      message: 'must be a redis:// or rediss:// URL',
    })
    .optional(),
  /** Names the Redis stream and keys this board uses, so that several boards (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'may hold up to 64 letters, digits and _ . : - only')
    .default('ticketdesk'),
  CORS_ORIGINS: origins.default([]),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(64 * 1024),
  EVENT_REPLAY_WINDOW: z.coerce.number().int().min(1).default(10_000),
  RECOVERY_WINDOW_MS: z.coerce
    .number()
    .int()
    .min(0)
    .default(2 * 60_000),
  SOCKET_MAX_MESSAGE_BYTES: z.coerce
    .number()
    .int()
    .min(256)
    .default(4 * 1024),
  SOCKET_MESSAGES_PER_10S: z.coerce.number().int().min(1).default(50),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `auto`: readable lines in a terminal, JSON lines otherwise (log collectors). */
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  SEED_SAMPLE_TICKETS: bool.default(true),
});

export type Config = z.infer<typeof ConfigSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses settings from an environment; an empty string counts as unset. Throws a ConfigError naming every bad key. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = issue.path[0] === undefined ? '(environment)' : String(issue.path[0]);
        return `${key}: ${issue.message}`;
      }),
    );
  }
  return result.data;
}

let cached: Config | undefined;

/** The process's configuration, read from `process.env` once. */
export function loadConfig(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}
