import { Child } from './lib/child.js';
import { median } from './lib/clock.js';
import { ClientFleet } from './lib/fleet.js';
import {
  measureBareEmits,
  measureWrites,
  sampleEvent,
  type BroadcastPlan,
  type DeliveryStats,
} from './lib/broadcast.js';
import type { Benchmark, ResultRow } from './lib/report.js';

const BOARD_TICKETS = 200;
const CLIENT_PROCESSES = 2;
const TICKET_IDS = Array.from({ length: 50 }, (_, index) => index + 1);

function describe(stats: DeliveryStats): string {
  const write = stats.writeP50 === undefined ? '' : `PATCH response p50 ${stats.writeP50.toFixed(1)}, `;
  return `${write}p50 ${stats.p50.toFixed(1)} p99 ${stats.p99.toFixed(1)} max ${stats.max.toFixed(1)} ms`;
}

/** One write reaching N board clients, against a bare Socket.IO broadcast of the same event to the same clients. */
export const broadcast: Benchmark = {
  name: 'broadcast',
  description: 'PATCH → board:event on every connected client, against a bare io.emit of the same event',
  async run({ databases, clients, runs, log }) {
    const url = await databases.createBoard(BOARD_TICKETS);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const bare = Child.start('baseline-socket-process.ts');
    const fleet = await ClientFleet.start(CLIENT_PROCESSES);
    try {
      const [oursReady, bareReady] = await Promise.all([ours.ready, bare.ready]);
      const oursPort = Number(oursReady.port);
      const event = await sampleEvent(oursPort, TICKET_IDS[0]!);
      const rows: ResultRow[] = [];
      // Unmeasured: lets both servers' JIT and pools settle before the first timed phase.
      const warm: BroadcastPlan = { clients: 100, writes: 20, warmup: 0, gapMs: 5, timeoutMs: 10_000 };
      await fleet.connect([`http://127.0.0.1:${bareReady.port}`], warm.clients, 'warm-bare');
      await measureBareEmits(bare, fleet, event, warm);
      await fleet.disconnect();
      await fleet.connect([`http://127.0.0.1:${oursPort}`], warm.clients, 'warm-board');
      await fleet.settlePresence(warm.clients);
      await measureWrites(oursPort, fleet, TICKET_IDS, warm);
      await fleet.disconnect();
      for (const count of [...new Set([100, clients])]) {
        const plan: BroadcastPlan = {
          clients: count,
          writes: count > 500 ? 30 : 50,
          warmup: 5,
          gapMs: 20,
          timeoutMs: 10_000,
        };
        const oursRuns: DeliveryStats[] = [];
        const bareRuns: DeliveryStats[] = [];
        for (let run = 0; run < runs; run++) {
          await fleet.connect([`http://127.0.0.1:${bareReady.port}`], count, `bare${run}`);
          bareRuns.push(await measureBareEmits(bare, fleet, event, plan));
          await fleet.disconnect();
          await fleet.connect([`http://127.0.0.1:${oursPort}`], count, `board${run}`);
          const settleMs = await fleet.settlePresence(count);
          oursRuns.push(await measureWrites(oursPort, fleet, TICKET_IDS, plan, ours));
          await fleet.disconnect();
          log(
            `${count} clients, run ${run + 1}: ours ${describe(oursRuns.at(-1)!)} (from io.emit: ${describe(oursRuns.at(-1)!.fanout!)}); bare ${describe(bareRuns.at(-1)!)}; presence at rest ${settleMs.toFixed(0)} ms after connecting`,
          );
        }
        const missing = [...oursRuns, ...bareRuns].reduce((sum, stats) => sum + stats.missing, 0);
        if (missing > 0) throw new Error(`${missing} deliveries missing at ${count} clients`);
        const oursP99 = median(oursRuns.map((stats) => stats.p99));
        const fanoutP99 = median(oursRuns.map((stats) => stats.fanout!.p99));
        const bareP99 = median(bareRuns.map((stats) => stats.p99));
        const oursP50 = median(oursRuns.map((stats) => stats.p50));
        rows.push(
          {
            metric: `write → every client p50, ${count} clients`,
            unit: 'ms',
            ours: oursP50,
            target: 'reported',
            samples: oursRuns.map((stats) => stats.p50),
          },
          {
            metric: `write → every client p99, ${count} clients`,
            unit: 'ms',
            ours: oursP99,
            // Shown for honesty: this includes the durable PostgreSQL write that a bare emit does not make.
            baseline: bareP99,
            ratio: oursP99 / bareP99,
            target: '< 100 ms',
            pass: oursP99 < 100,
            samples: oursRuns.map((stats) => stats.p99),
          },
          {
            metric: `fan-out p99 (from emit) vs bare io.emit, ${count} clients`,
            unit: 'ms',
            ours: fanoutP99,
            baseline: bareP99,
            ratio: fanoutP99 / bareP99,
            target: '≤ 1.30x',
            pass: fanoutP99 <= bareP99 * 1.3,
            samples: oursRuns.map((stats) => stats.fanout!.p99),
          },
        );
      }
      return rows;
    } finally {
      await Promise.all([fleet.stop(), ours.stop(), bare.stop()]);
    }
  },
};
