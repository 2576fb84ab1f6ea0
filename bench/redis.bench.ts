import { createClient } from 'redis';
import { Child } from './lib/child.js';
import { median } from './lib/clock.js';
import { ClientFleet } from './lib/fleet.js';
import { measureWrites, type BroadcastPlan, type DeliveryStats } from './lib/broadcast.js';
import type { Benchmark } from './lib/report.js';

const BOARD_TICKETS = 200;
const CLIENT_PROCESSES = 2;
const TICKET_IDS = Array.from({ length: 50 }, (_, index) => index + 1);

/** Leaves the shared Redis as it was: the run's stream and keys go. */
async function removeKeys(redisUrl: string, prefix: string): Promise<void> {
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) {
      if (keys.length) await client.del(keys);
    }
  } finally {
    client.destroy();
  }
}

/**
 * Broadcast p99 with clients split over two instances sharing Redis (writes through the first), against the
 * same clients on one instance without Redis, all on the same database.
 */
export const redis: Benchmark = {
  name: 'redis',
  description: 'two instances behind Redis (clients split, writes through one) against one instance without Redis',
  async run({ databases, clients, runs, log }) {
    const redisUrl = process.env.BENCH_REDIS_URL || process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
    const url = await databases.createBoard(BOARD_TICKETS);
    // A stream of this run's own, so that nothing else on the same Redis crosses it.
    const prefix = `ticketdesk-bench-${process.pid}-${Date.now()}`;
    const env = { DATABASE_URL: url, REDIS_URL: redisUrl, REDIS_PREFIX: prefix };
    const single = Child.start('server-process.ts', { env: { DATABASE_URL: url } });
    const first = Child.start('server-process.ts', { env });
    const second = Child.start('server-process.ts', { env });
    const fleet = await ClientFleet.start(CLIENT_PROCESSES);
    try {
      const [singleReady, firstReady, secondReady] = await Promise.all([single.ready, first.ready, second.ready]);
      const singlePort = Number(singleReady.port);
      const writePort = Number(firstReady.port);
      const singleUrl = `http://127.0.0.1:${singlePort}`;
      const firstUrl = `http://127.0.0.1:${firstReady.port}`;
      const secondUrl = `http://127.0.0.1:${secondReady.port}`;
      const plan: BroadcastPlan = { clients, writes: 30, warmup: 5, gapMs: 20, timeoutMs: 10_000 };
      // Unmeasured: lets both instances' JIT, pools and the Redis stream settle.
      const warm = { ...plan, clients: Math.min(clients, 200), writes: 20 };
      await fleet.connect([singleUrl], warm.clients, 'warm-one');
      await fleet.settlePresence(warm.clients);
      await measureWrites(singlePort, fleet, TICKET_IDS, warm);
      await fleet.disconnect();
      await fleet.connect([firstUrl, secondUrl], warm.clients, 'warm-two');
      await fleet.settlePresence(warm.clients);
      await measureWrites(writePort, fleet, TICKET_IDS, warm);
      await fleet.disconnect();
      const oneRuns: DeliveryStats[] = [];
      const twoRuns: DeliveryStats[] = [];
      for (let run = 0; run < runs; run++) {
        await fleet.connect([singleUrl], clients, `one${run}`);
        await fleet.settlePresence(clients);
        oneRuns.push(await measureWrites(singlePort, fleet, TICKET_IDS, plan));
        await fleet.disconnect();
        await fleet.connect([firstUrl, secondUrl], clients, `two${run}`);
        await fleet.settlePresence(clients);
        twoRuns.push(await measureWrites(writePort, fleet, TICKET_IDS, plan));
        await fleet.disconnect();
        log(
          `run ${run + 1}: one instance p50 ${oneRuns.at(-1)!.p50.toFixed(1)} p99 ${oneRuns.at(-1)!.p99.toFixed(1)} ms; two instances p50 ${twoRuns.at(-1)!.p50.toFixed(1)} p99 ${twoRuns.at(-1)!.p99.toFixed(1)} ms`,
        );
      }
      const one = median(oneRuns.map((stats) => stats.p99));
      const two = median(twoRuns.map((stats) => stats.p99));
      return [
        {
          metric: `broadcast p99, 2 instances + Redis, ${clients} clients`,
          unit: 'ms',
          ours: two,
          baseline: one,
          ratio: two / one,
          target: '≤ 1.50x of one instance',
          pass: two <= one * 1.5,
          samples: twoRuns.map((stats) => stats.p99),
        },
      ];
    } finally {
      await Promise.all([fleet.stop(), single.stop(), first.stop(), second.stop()]);
      await removeKeys(redisUrl, prefix);
    }
  },
};
