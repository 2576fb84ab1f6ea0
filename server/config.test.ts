import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from './config.js';

describe('parseConfig', () => {
  it('has safe defaults for everything', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      CORS_ORIGINS: [],
      MIGRATE_ON_START: true,
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('reads and normalises values, treating empty strings as unset', () => {
    const config = parseConfig({
      PORT: '8080',
      DATABASE_URL: 'postgres://u:p@db.example:5432/tickets?sslmode=require',
      CORS_ORIGINS: 'https://board.example.com/, http://localhost:5173',
      MIGRATE_ON_START: 'false',
      REDIS_URL: '',
    });
    expect(config.PORT).toBe(8080);
    expect(config.CORS_ORIGINS).toEqual(['https://board.example.com', 'http://localhost:5173']);
    expect(config.MIGRATE_ON_START).toBe(false);
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('refuses bad values naming every bad key', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', CORS_ORIGINS: 'not a url', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'DATABASE_URL', 'CORS_ORIGINS', 'LOG_LEVEL']) expect(problems).toContain(key);
    expect((error as ConfigError).message).toMatch(/^Invalid configuration/);
  });
});
