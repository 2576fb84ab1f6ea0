import { Child } from './lib/child.js';
import { median } from './lib/clock.js';
import type { Benchmark } from './lib/report.js';
import type { LoadResult } from './load-process.js';

const BOARD_TICKETS = 3_000;
const CONNECTIONS = 8;
const DURATION_MS = 3_000;
const MAX_REQUESTS = 10_000;

/** Write throughput and latency: half PATCH, half move, from several concurrent clients. */
export const writes: Benchmark = {
  name: 'writes',
  description: `PATCH and move mix from ${CONNECTIONS} concurrent clients on a ${BOARD_TICKETS}-ticket board`,
  async run({ databases, runs, log }) {
    const url = await databases.createBoard(BOARD_TICKETS);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const load = Child.start('load-process.ts');
    try {
      const [ready] = await Promise.all([ours.ready, load.ready]);
      const ticketIds = Array.from({ length: BOARD_TICKETS }, (_, index) => index + 1);
      const measure = (durationMs: number, label: string) =>
        load.request<LoadResult>({
          type: 'run',
          port: Number(ready.port),
          workload: 'writes',
          connections: CONNECTIONS,
          durationMs,
          maxRequests: MAX_REQUESTS,
          ticketIds,
          label,
        });
      await measure(500, 'warm');
      const results: LoadResult[] = [];
      for (let run = 0; run < runs; run++) {
        const result = await measure(DURATION_MS, `r${run}-`);
        if (result.failures > 0) throw new Error(`${result.failures} writes failed, e.g. ${result.firstFailure}`);
        results.push(result);
        log(
          `run ${run + 1}: ${result.requests} writes, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`,
        );
      }
      const perSecond = median(results.map((result) => result.perSecond));
      const p99 = median(results.map((result) => result.p99));
      return [
        {
          metric: `write throughput (${CONNECTIONS} clients)`,
          unit: '/s',
          ours: perSecond,
          target: '≥ 500/s',
          pass: perSecond >= 500,
          samples: results.map((result) => result.perSecond),
        },
        {
          metric: 'write latency p99',
          unit: 'ms',
          ours: p99,
          target: '< 50 ms',
          pass: p99 < 50,
          samples: results.map((result) => result.p99),
        },
      ];
    } finally {
      await Promise.all([ours.stop(), load.stop()]);
    }
  },
};
