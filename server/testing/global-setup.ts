import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { withDatabase } from '../db/connection-options.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded.js';
import { migrateDatabase } from '../db/orm.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server where each test file creates its own database from `templateDatabase`. */
    serverUrl: string;
    templateDatabase: string;
  }
}

/**
 * Tests run against TEST_DATABASE_URL when it is set (CI: the machine's
 * PostgreSQL), otherwise against an embedded PostgreSQL in a temporary folder.
 * Either way one migrated template is made here, and every test file copies it.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    dataDir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-test-'));
    embedded = await startEmbeddedPostgres({ dataDir, port: 0, database: 'ticketdesk' });
    serverUrl = embedded.url;
  }
  const templateDatabase = `ticketdesk_template_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${templateDatabase}`);
  await migrateDatabase(withDatabase(serverUrl, templateDatabase));

  project.provide('serverUrl', serverUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    await admin.query(`drop database if exists ${templateDatabase} with (force)`);
    await admin.end();
    await embedded?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
