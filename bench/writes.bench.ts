import { Child } from './lib/child.js';
import { median } from './lib/clock.js';
import type { Benchmark } from './lib/report.js';
import type { LoadResult } from './load-process.js';

const BOARD_TICKETS = 3_000;
const CONNECTIONS = 8;
const DURATION_MS = 3_000;
const MAX_REQUESTS = 10_000;

function describe(result: LoadResult): string {
  return `${result.requests} writes, ${result.perSecond.toFixed(0)}/s, p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`;
}

/**
 * Write throughput and latency: half PATCH, half move, from several concurrent clients. The baseline runs
 * the same statements per write with node:http + pg, to show what the database alone allows on this machine.
 */
export const writes: Benchmark = {
  name: 'writes',
  description: `PATCH and move mix from ${CONNECTIONS} concurrent clients on a ${BOARD_TICKETS}-ticket board`,
  async run({ databases, runs, log }) {
    const url = await databases.createBoard(BOARD_TICKETS);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const baseline = Child.start('baseline-rest-process.ts', { env: { DATABASE_URL: url } });
    const load = Child.start('load-process.ts');
    try {
      const [oursReady, baselineReady] = await Promise.all([ours.ready, baseline.ready, load.ready]);
      const ticketIds = Array.from({ length: BOARD_TICKETS }, (_, index) => index + 1);
      const measure = async (port: number, durationMs: number, label: string) => {
        const result = await load.request<LoadResult>({
          type: 'run',
          port,
          workload: 'writes',
          connections: CONNECTIONS,
          durationMs,
          maxRequests: MAX_REQUESTS,
          ticketIds,
          label,
        });
        if (result.failures > 0) throw new Error(`${result.failures} writes failed, e.g. ${result.firstFailure}`);
        return result;
      };
      await measure(Number(oursReady.port), 2_000, 'warm-');
      await measure(Number(baselineReady.port), 1_000, 'warm-base-');
      const oursRuns: LoadResult[] = [];
      const baselineRuns: LoadResult[] = [];
      for (let run = 0; run < runs; run++) {
        oursRuns.push(await measure(Number(oursReady.port), DURATION_MS, `r${run}-`));
        baselineRuns.push(await measure(Number(baselineReady.port), DURATION_MS, `b${run}-`));
        log(`run ${run + 1}: ours ${describe(oursRuns.at(-1)!)}; baseline ${describe(baselineRuns.at(-1)!)}`);
      }
      const perSecond = median(oursRuns.map((result) => result.perSecond));
      const baselinePerSecond = median(baselineRuns.map((result) => result.perSecond));
      const p99 = median(oursRuns.map((result) => result.p99));
      const baselineP99 = median(baselineRuns.map((result) => result.p99));
      return [
        {
          metric: `write throughput (${CONNECTIONS} clients)`,
          unit: '/s',
          ours: perSecond,
          baseline: baselinePerSecond,
          ratio: baselinePerSecond / perSecond,
          target: '≥ 500/s',
          pass: perSecond >= 500,
          samples: oursRuns.map((result) => result.perSecond),
        },
        {
          metric: 'write latency p99',
          unit: 'ms',
          ours: p99,
          baseline: baselineP99,
          ratio: p99 / baselineP99,
          target: '< 50 ms',
          pass: p99 < 50,
          samples: oursRuns.map((result) => result.p99),
        },
      ];
    } finally {
      await Promise.all([ours.stop(), baseline.stop(), load.stop()]);
    }
  },
};
