import { describe, expect, it } from 'vitest';
import { pgConnectionOptions, withDatabase } from './connection-options.js';

describe('pgConnectionOptions', () => {
  it('reads host, port, credentials and database', () => {
    const options = pgConnectionOptions('postgres://alice:s%40cret@db.example:6543/tickets');
    expect(options).toMatchObject({
      host: 'db.example',
      port: 6543,
      user: 'alice',
      password: 's@cret',
      database: 'tickets',
      ssl: false,
    });
  });

  it('follows libpq sslmode: require encrypts without verifying, verify-full verifies the host', () => {
    expect(pgConnectionOptions('postgres://h/db?sslmode=require').ssl).toEqual({ rejectUnauthorized: false });
    expect(pgConnectionOptions('postgres://h/db?sslmode=verify-full').ssl).toMatchObject({
      rejectUnauthorized: true,
      servername: 'h',
    });
    expect(pgConnectionOptions('postgres://h/db?sslmode=prefer').ssl).toBe(false);
    expect(() => pgConnectionOptions('postgres://h/db?sslmode=sometimes')).toThrow(/sslmode=sometimes/);
  });

  it('turns on channel binding for Neon-style URLs', () => {
    const neon = pgConnectionOptions('postgresql://u:p@ep-x.neon.tech/neondb?sslmode=require&channel_binding=require');
    expect(neon.enableChannelBinding).toBe(true);
    expect(neon.ssl).not.toBe(false);
  });

  it('swaps the database keeping everything else', () => {
    expect(withDatabase('postgres://u:p@h:1/a?sslmode=require', 'b')).toBe('postgres://u:p@h:1/b?sslmode=require');
  });
});
