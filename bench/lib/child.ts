import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** BENCH_CPU_PROF=<dir> writes a V8 CPU profile of every server process into <dir> when it exits. */
function profileFlags(file: string): string[] {
  const dir = process.env.BENCH_CPU_PROF;
  return dir && file === 'server-process.ts' ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(dir)] : [];
}

interface Reply {
  replyTo: number;
  result?: unknown;
  error?: string;
}

/** A benchmark helper process talking over IPC: `request()` gets one reply; other messages go to `onMessage`. */
export class Child {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private readonly listeners = new Set<(message: Record<string, unknown>) => void>();
  private readonly exited: Promise<void>;
  readonly ready: Promise<Record<string, unknown>>;

  private constructor(private readonly process: ChildProcess) {
    this.exited = new Promise((resolve) => process.once('exit', () => resolve()));
    this.ready = new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`helper process exited early (code ${code})`));
      process.once('exit', onExit);
      this.listeners.add((message) => {
        if (message.type === 'ready') {
          process.off('exit', onExit);
          resolve(message);
        }
      });
    });
    process.on('message', (raw) => {
      const message = raw as Record<string, unknown>;
      if (typeof message.replyTo === 'number') {
        const { replyTo, result, error } = message as unknown as Reply;
        const waiter = this.pending.get(replyTo);
        this.pending.delete(replyTo);
        if (error !== undefined) waiter?.reject(new Error(error));
        else waiter?.resolve(result);
        return;
      }
      for (const listener of this.listeners) listener(message);
    });
    process.once('exit', () => {
      for (const waiter of this.pending.values()) waiter.reject(new Error('helper process exited'));
      this.pending.clear();
    });
  }

  /** Runs `bench/<file>` under tsx with its own event loop. */
  static start(file: string, options: { env?: Record<string, string>; nodeFlags?: string[] } = {}): Child {
    const child = fork(path.join(REPO_ROOT, 'bench', file), [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx', ...(options.nodeFlags ?? []), ...profileFlags(file)],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new Child(child);
  }

  get pid(): number | undefined {
    return this.process.pid;
  }

  onMessage(listener: (message: Record<string, unknown>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  request<T>(message: Record<string, unknown>): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.process.send({ ...message, requestId: id });
    });
  }

  /** Asks the helper to exit, and kills it (by its pid) if it has not within a few seconds. */
  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill('SIGTERM');
    const timer = setTimeout(() => this.process.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}
