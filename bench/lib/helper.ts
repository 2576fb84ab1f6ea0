/** The helper-process side of `Child`: answers requests, announces readiness, exits on SIGTERM. */
export function serveRequests(handler: (message: Record<string, unknown>) => Promise<unknown> | unknown): void {
  process.on('message', (raw) => {
    const message = raw as Record<string, unknown>;
    const replyTo = message.requestId;
    if (typeof replyTo !== 'number') return;
    Promise.resolve()
      .then(() => handler(message))
      .then(
        (result) => process.send?.({ replyTo, result }),
        (error: unknown) => process.send?.({ replyTo, error: error instanceof Error ? error.message : String(error) }),
      );
  });
}

export function announce(message: Record<string, unknown>): void {
  process.send?.({ type: 'ready', ...message });
}

export function onStop(stop: () => Promise<void> | void): void {
  let stopping = false;
  const run = () => {
    if (stopping) return;
    stopping = true;
    void Promise.resolve()
      .then(stop)
      .finally(() => process.exit(0));
  };
  process.on('SIGTERM', run);
  process.on('disconnect', run);
}

/** Memory after two full collections (the process must run with --expose-gc). */
export async function settledMemory(): Promise<{ rss: number; heapUsed: number; external: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let round = 0; round < 3; round++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}
