import { Child } from './lib/child.js';
import { median, sleep } from './lib/clock.js';
import { ClientFleet } from './lib/fleet.js';
import type { Benchmark } from './lib/report.js';

const CLIENT_PROCESSES = 2;
const KB = 1024;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  sockets: number;
}

interface PerConnection {
  rss: number;
  heap: number;
}

/** Server memory added by each idle connected client, after full collections, with the clients in other processes. */
async function perConnection(
  server: Child,
  fleet: ClientFleet,
  url: string,
  clients: number,
  presence: boolean,
): Promise<PerConnection> {
  const before = await server.request<Memory>({ type: 'memory' });
  await fleet.connect([url], clients, 'idle');
  if (presence) await fleet.settlePresence(clients);
  await sleep(500);
  const after = await server.request<Memory>({ type: 'memory' });
  await fleet.disconnect();
  if (after.sockets - before.sockets !== clients) {
    throw new Error(`expected ${clients} connections on the server, saw ${after.sockets - before.sockets}`);
  }
  return {
    rss: (after.rss - before.rss) / clients / KB,
    heap: (after.heapUsed + after.external - before.heapUsed - before.external) / clients / KB,
  };
}

export const memory: Benchmark = {
  name: 'memory',
  description: 'server memory per idle board connection (RSS and heap+external after GC), against bare Socket.IO',
  async run({ databases, clients, runs, log }) {
    const url = await databases.createBoard(50);
    const ours = Child.start('server-process.ts', { env: { DATABASE_URL: url }, nodeFlags: ['--expose-gc'] });
    const bare = Child.start('baseline-socket-process.ts', { nodeFlags: ['--expose-gc'] });
    const fleet = await ClientFleet.start(CLIENT_PROCESSES);
    try {
      const [oursReady, bareReady] = await Promise.all([ours.ready, bare.ready]);
      const oursRuns: PerConnection[] = [];
      const bareRuns: PerConnection[] = [];
      // The first connections also grow pools and caches that later ones reuse: warm both once.
      await perConnection(ours, fleet, `http://127.0.0.1:${oursReady.port}`, Math.min(clients, 100), true);
      await perConnection(bare, fleet, `http://127.0.0.1:${bareReady.port}`, Math.min(clients, 100), false);
      for (let run = 0; run < runs; run++) {
        oursRuns.push(await perConnection(ours, fleet, `http://127.0.0.1:${oursReady.port}`, clients, true));
        bareRuns.push(await perConnection(bare, fleet, `http://127.0.0.1:${bareReady.port}`, clients, false));
        const [o, b] = [oursRuns.at(-1)!, bareRuns.at(-1)!];
        log(
          `run ${run + 1}: ours RSS ${o.rss.toFixed(1)} KB, heap ${o.heap.toFixed(1)} KB; bare RSS ${b.rss.toFixed(1)} KB, heap ${b.heap.toFixed(1)} KB per connection`,
        );
      }
      const oursRss = median(oursRuns.map((run) => run.rss));
      const bareRss = median(bareRuns.map((run) => run.rss));
      const oursHeap = median(oursRuns.map((run) => run.heap));
      const bareHeap = median(bareRuns.map((run) => run.heap));
      return [
        {
          metric: `RSS per idle connection (${clients})`,
          unit: 'KB',
          ours: oursRss,
          baseline: bareRss,
          ratio: oursRss / bareRss,
          target: '≤ 40 KB',
          pass: oursRss <= 40,
          samples: oursRuns.map((run) => run.rss),
        },
        {
          metric: `heap+external per idle connection`,
          unit: 'KB',
          ours: oursHeap,
          baseline: bareHeap,
          ratio: oursHeap / bareHeap,
          target: '≤ 40 KB',
          pass: oursHeap <= 40,
          samples: oursRuns.map((run) => run.heap),
        },
      ];
    } finally {
      await Promise.all([fleet.stop(), ours.stop(), bare.stop()]);
    }
  },
};
