import { Child } from './child.js';

/** Board clients spread over a few helper processes; the first `urls.length` processes each take one server. */
export class ClientFleet {
  private readonly waiters = new Map<number, { remaining: number; resolve(): void }>();
  private readonly delivered = new Map<number, number>();

  private constructor(private readonly processes: Child[]) {
    for (const child of processes) {
      child.onMessage((message) => {
        if (message.type !== 'delivered') return;
        const seq = Number(message.seq);
        const count = (this.delivered.get(seq) ?? 0) + 1;
        this.delivered.set(seq, count);
        const waiter = this.waiters.get(seq);
        if (waiter && count >= waiter.remaining) {
          this.waiters.delete(seq);
          waiter.resolve();
        }
      });
    }
  }

  static async start(processCount: number): Promise<ClientFleet> {
    const processes = Array.from({ length: processCount }, () => Child.start('board-clients-process.ts'));
    await Promise.all(processes.map((child) => child.ready));
    return new ClientFleet(processes);
  }

  get pids(): number[] {
    return this.processes.map((child) => child.pid ?? 0);
  }

  /** Connects `count` clients in all, split evenly over the processes; process i connects to urls[i % urls.length]. */
  async connect(urls: string[], count: number, prefix: string): Promise<void> {
    await Promise.all(
      this.processes.map((child, index) => {
        const share = Math.floor(count / this.processes.length) + (index < count % this.processes.length ? 1 : 0);
        return child.request({
          type: 'connect',
          url: urls[index % urls.length],
          count: share,
          prefix: `${prefix}-${index}`,
        });
      }),
    );
  }

  /**
   * Waits until every client has been told of all `count` people and presence has been quiet for a while,
   * so that a measurement sees the board at rest rather than the presence burst that connecting causes.
   */
  async settlePresence(count: number, timeoutMs = 20_000): Promise<number> {
    const results = await Promise.all(
      this.processes.map((child) =>
        // The server spaces presence broadcasts 2 ms per socket apart: a shorter quiet could fall between two.
        child.request<{ settled: boolean; ms: number }>({
          type: 'settle',
          people: count,
          quietMs: Math.max(500, count * 2.5),
          timeoutMs,
        }),
      ),
    );
    if (results.some((result) => !result.settled)) throw new Error(`presence did not settle within ${timeoutMs} ms`);
    return Math.max(...results.map((result) => result.ms));
  }

  /** Resolves once every client has the event `seq`; false after `timeoutMs`. */
  waitFor(seq: number, timeoutMs: number): Promise<boolean> {
    if ((this.delivered.get(seq) ?? 0) >= this.processes.length) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters.delete(seq);
        resolve(false);
      }, timeoutMs);
      this.waiters.set(seq, {
        remaining: this.processes.length,
        resolve: () => {
          clearTimeout(timer);
          resolve(true);
        },
      });
    });
  }

  /** Every client's receive time per seq, and forgets them. */
  async collect(): Promise<Map<number, (number | null)[]>> {
    const parts = await Promise.all(
      this.processes.map((child) => child.request<Record<string, (number | null)[]>>({ type: 'collect' })),
    );
    const merged = new Map<number, (number | null)[]>();
    for (const part of parts) {
      for (const [seq, times] of Object.entries(part))
        merged.set(Number(seq), [...(merged.get(Number(seq)) ?? []), ...times]);
    }
    this.delivered.clear();
    return merged;
  }

  async disconnect(): Promise<void> {
    await Promise.all(this.processes.map((child) => child.request({ type: 'close' })));
    this.delivered.clear();
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes.map((child) => child.stop()));
  }
}
