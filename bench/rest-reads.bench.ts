import { Child } from './lib/child.js';
import { median } from './lib/clock.js';
import type { Benchmark, ResultRow } from './lib/report.js';
import type { LoadResult, Workload } from './load-process.js';

const BOARD_TICKETS = 3_000;
const CONNECTIONS = 16;
const DURATION_MS = 2_000;
const MAX_REQUESTS = 100_000;

/** REST read throughput of our server against node:http + pg running the same SQL, both in their own processes. */
export const restReads: Benchmark = {
  name: 'reads',
  description: `GET /api/tickets?limit=50 and GET /api/tickets/:id on a ${BOARD_TICKETS}-ticket board`,
  async run({ databases, runs, log }) {
    const url = await databases.createBoard(BOARD_TICKETS);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const baseline = Child.start('baseline-rest-process.ts', { env: { DATABASE_URL: url } });
    const load = Child.start('load-process.ts');
    try {
      const [oursReady, baselineReady] = await Promise.all([ours.ready, baseline.ready, load.ready]);
      const ticketIds = Array.from({ length: BOARD_TICKETS }, (_, index) => index + 1);
      const measure = (port: number, workload: Workload, durationMs = DURATION_MS) =>
        load.request<LoadResult>({
          type: 'run',
          port,
          workload,
          connections: CONNECTIONS,
          durationMs,
          maxRequests: MAX_REQUESTS,
          ticketIds,
        });
      const rows: ResultRow[] = [];
      for (const workload of ['list', 'get'] as const) {
        // Warm both servers' JIT and pools before timing.
        await measure(Number(oursReady.port), workload, 500);
        await measure(Number(baselineReady.port), workload, 500);
        const oursRuns: LoadResult[] = [];
        const baselineRuns: LoadResult[] = [];
        for (let run = 0; run < runs; run++) {
          oursRuns.push(await measure(Number(oursReady.port), workload));
          baselineRuns.push(await measure(Number(baselineReady.port), workload));
        }
        for (const result of [...oursRuns, ...baselineRuns]) {
          if (result.failures > 0)
            throw new Error(`${workload}: ${result.failures} failed, e.g. ${result.firstFailure}`);
        }
        const oursRate = median(oursRuns.map((result) => result.perSecond));
        const baselineRate = median(baselineRuns.map((result) => result.perSecond));
        log(
          `${workload}: ours ${oursRuns.map((r) => r.perSecond.toFixed(0)).join('/')} req/s (p99 ${median(oursRuns.map((r) => r.p99)).toFixed(1)} ms), baseline ${baselineRuns.map((r) => r.perSecond.toFixed(0)).join('/')} req/s (p99 ${median(baselineRuns.map((r) => r.p99)).toFixed(1)} ms)`,
        );
        rows.push({
          metric: workload === 'list' ? 'GET /api/tickets?limit=50 throughput' : 'GET /api/tickets/:id throughput',
          unit: 'req/s',
          ours: oursRate,
          baseline: baselineRate,
          ratio: baselineRate / oursRate,
          target: '≤ 2.00x (≥ half)',
          pass: oursRate >= baselineRate / 2,
          samples: oursRuns.map((result) => result.perSecond),
        });
      }
      return rows;
    } finally {
      await Promise.all([ours.stop(), baseline.stop(), load.stop()]);
    }
  },
};
