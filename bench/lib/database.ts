import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateNKeysBetween } from 'fractional-indexing';
import pg from 'pg';
import { withDatabase } from '../../server/db/connection-options.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../server/db/embedded.js';
import { migrateDatabase } from '../../server/db/orm.js';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../shared/ticket.js';

/**
 * The PostgreSQL server of one bench run: BENCH_DATABASE_URL (or TEST_DATABASE_URL)
 * when set, otherwise an embedded one in a temporary folder. Each benchmark gets
 * a fresh database copied from one migrated template; everything is dropped at the end.
 */
export class BenchDatabases {
  private readonly created: string[] = [];
  private readonly prefix = `ticketdesk_bench_${process.pid}_${Date.now().toString(36)}`;
  private counter = 0;
  private template = '';

  private constructor(
    readonly serverUrl: string,
    readonly kind: 'external' | 'embedded',
    private readonly admin: pg.Client,
    private readonly embedded?: EmbeddedDatabase,
    private readonly dataDir?: string,
  ) {}

  static async start(): Promise<BenchDatabases> {
    const external = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL;
    let embedded: EmbeddedDatabase | undefined;
    let dataDir: string | undefined;
    if (!external) {
      dataDir = mkdtempSync(path.join(tmpdir(), 'ticketdesk-bench-'));
      embedded = await startEmbeddedPostgres({ dataDir, port: 0, database: 'ticketdesk' });
    }
    const serverUrl = external ?? embedded!.url;
    const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
    await admin.connect();
    const databases = new BenchDatabases(serverUrl, external ? 'external' : 'embedded', admin, embedded, dataDir);
    const template = await databases.createEmpty();
    await migrateDatabase(withDatabase(serverUrl, template));
    databases.template = template;
    return databases;
  }

  private async createEmpty(): Promise<string> {
    const name = `${this.prefix}_${this.counter++}`;
    await this.admin.query(`create database ${name}${this.template ? ` template ${this.template}` : ''}`);
    this.created.push(name);
    return name;
  }

  /** A fresh migrated database holding `tickets` tickets spread over the three columns (no events). */
  async createBoard(tickets: number): Promise<string> {
    const url = withDatabase(this.serverUrl, await this.createEmpty());
    if (tickets > 0) await seedTickets(url, tickets);
    return url;
  }

  async stop(): Promise<void> {
    for (const name of this.created.reverse()) {
      await this.admin.query(`drop database if exists ${name} with (force)`);
    }
    await this.admin.end();
    await this.embedded?.stop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Inserts tickets in one statement per column; ranks are real fractional-index keys in column order. */
async function seedTickets(url: string, count: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const [index, status] of TICKET_STATUSES.entries()) {
      const inColumn = Math.floor(count / TICKET_STATUSES.length) + (index < count % TICKET_STATUSES.length ? 1 : 0);
      const ranks = generateNKeysBetween(null, null, inColumn);
      await client.query(
        `insert into ticket (title, description, priority, status, rank, closed_at)
         select 'Incident ' || n || ': service degraded in region ' || (n % 7),
                'Customers report elevated error rates; on-call is investigating. Reference ' || n || '.',
                ($1::text[])[1 + n % 4], $2::ticket_status, ranks.rank,
                case when $2 = 'closed' then now() else null end
         from unnest($3::text[]) with ordinality as ranks(rank, n)`,
        [TICKET_PRIORITIES, status, ranks],
      );
    }
  } finally {
    await client.end();
  }
}
