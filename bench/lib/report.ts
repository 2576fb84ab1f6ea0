import type { BenchDatabases } from './database.js';

export interface BenchOptions {
  databases: BenchDatabases;
  /** Board clients for the broadcast, memory and Redis benchmarks. */
  clients: number;
  /** Repetitions of each measurement; the median is reported. */
  runs: number;
  log(line: string): void;
}

export interface ResultRow {
  metric: string;
  unit: string;
  ours: number;
  baseline?: number;
  /** ours / baseline, or baseline / ours for throughputs, so that the target reads "at most". */
  ratio?: number;
  target: string;
  /** Absent for figures that are only reported. */
  pass?: boolean;
  /** Every run's figure, for the noise note. */
  samples?: number[];
}

export interface Benchmark {
  name: string;
  description: string;
  run(options: BenchOptions): Promise<ResultRow[]>;
}

function format(value: number | undefined, digits = 1): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value >= 100 ? value.toFixed(0) : value.toFixed(digits);
}

export function formatTable(rows: readonly ResultRow[]): string {
  const header = ['metric', 'ours', 'baseline', 'ratio', 'target', 'result'];
  const lines = rows.map((row) => [
    row.metric,
    `${format(row.ours)} ${row.unit}`,
    row.baseline === undefined ? '—' : `${format(row.baseline)} ${row.unit}`,
    row.ratio === undefined ? '—' : `${row.ratio.toFixed(2)}x`,
    row.target,
    row.pass === undefined ? '—' : row.pass ? 'pass' : 'FAIL',
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...lines.map((line) => line[column]!.length)));
  const render = (cells: string[]) => `| ${cells.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [render(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(render)].join(
    '\n',
  );
}
