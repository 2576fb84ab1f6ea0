/**
 * Milliseconds on the machine's monotonic clock (CLOCK_MONOTONIC), which every process on it shares.
 * Not `performance.timeOrigin + performance.now()`: timeOrigin is read from the wall clock when a
 * process starts, so a clock step between two processes' starts (seen here: 4.7 s) skews every delivery.
 */
export function now(): number {
  return Number(process.hrtime.bigint() / 1_000n) / 1_000;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Nearest-rank percentile of an unsorted sample; NaN when empty. */
export function percentile(sample: readonly number[], p: number): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** The middle value, or the mean of the two middle ones. */
export function median(sample: readonly number[]): number {
  if (sample.length === 0) return Number.NaN;
  const sorted = [...sample].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
