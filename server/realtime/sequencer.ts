import type { BoardEvent } from '../../shared/events.js';

export interface Sequencer {
  publish(event: BoardEvent): void;
  close(): void;
}

/**
 * Passes committed events on in seq order. An event whose predecessor has
 * not been published yet waits at most `holdMs` for it, then goes anyway:
 * clients fill real gaps themselves, so lateness never becomes loss.
 * With `holdMs` 0 (several instances, where gaps belong to other writers) it
 * passes everything straight through.
 */
export function createSequencer(emit: (event: BoardEvent) => void, holdMs: number): Sequencer {
  let last: number | undefined;
  const held = new Map<number, BoardEvent>();
  let timer: NodeJS.Timeout | undefined;

  const send = (event: BoardEvent) => {
    emit(event);
    if (last === undefined || event.seq > last) last = event.seq;
  };

  const drain = () => {
    while (last !== undefined && held.has(last + 1)) {
      const next = held.get(last + 1)!;
      held.delete(next.seq);
      send(next);
    }
    if (held.size === 0 && timer) {
      clearTimeout(timer);
      timer = undefined;
    }
  };

  const flushHeld = () => {
    timer = undefined;
    const events = [...held.values()].sort((a, b) => a.seq - b.seq);
    held.clear();
    for (const event of events) send(event);
  };

  return {
    publish(event) {
      if (holdMs <= 0 || last === undefined || event.seq <= last + 1) {
        send(event);
        drain();
        return;
      }
      held.set(event.seq, event);
      timer ??= setTimeout(flushHeld, holdMs);
    },
    close() {
      if (timer) clearTimeout(timer);
      flushHeld();
    },
  };
}
