import type { Logger } from 'pino';
import type { PresenceEntry } from '../../shared/events.js';
import type { BoardServer, BoardSocketData } from './types.js';

/** Avatar colours that each keep white initials at a contrast of at least 4.5:1 (WCAG AA). */
export const AVATAR_COLORS = [
  '#b91c1c',
  '#c2410c',
  '#a16207',
  '#15803d',
  '#047857',
  '#0f766e',
  '#0e7490',
  '#1d4ed8',
  '#4338ca',
  '#6d28d9',
  '#a21caf',
  '#be185d',
] as const;

/** A stable, readable colour for a client: the same id always gets the same colour. */
export function colorFor(clientId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < clientId.length; i++) {
    hash ^= clientId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return AVATAR_COLORS[(hash >>> 0) % AVATAR_COLORS.length]!;
}

export function defaultName(clientId: string): string {
  return `Guest ${clientId.slice(-4).toUpperCase()}`;
}

/** One entry per client, in a stable order, from every socket on the board. */
export function presenceList(sockets: Iterable<{ data: BoardSocketData }>): PresenceEntry[] {
  const people = new Map<string, PresenceEntry>();
  for (const { data } of sockets) {
    if (!data?.clientId || people.has(data.clientId)) continue;
    people.set(data.clientId, { clientId: data.clientId, name: data.name, color: data.color, viewing: data.viewing });
  }
  return [...people.values()].sort((a, b) => a.name.localeCompare(b.name) || a.clientId.localeCompare(b.clientId));
}

export interface Presence {
  /** Something changed on this instance: everyone, on every instance, hears about it soon. */
  changed(): void;
  close(): void;
}

/**
 * Coalesces presence changes into at most one broadcast per `intervalMs`
 * (longer on a crowded instance: 2 ms per socket).
 * Each instance sends the whole list to its own sockets, read across
 * instances with fetchSockets(); a change on one instance tells the others
 * to do the same, so no instance ever sends a list older than a change it heard of.
 */
export function createPresence(
  io: BoardServer,
  options: { clustered: boolean; intervalMs: number; logger: Logger },
): Presence {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let dirty = false;
  let tellOthers = false;
  let closed = false;

  const run = async () => {
    timer = undefined;
    running = true;
    dirty = false;
    try {
      if (tellOthers) {
        tellOthers = false;
        io.serverSideEmit('presence:changed');
      }
      let sockets;
      try {
        sockets = options.clustered ? await io.fetchSockets() : await io.local.fetchSockets();
      } catch (error) {
        options.logger.warn({ err: error }, 'presence: other instances did not answer; showing this one only');
        sockets = await io.local.fetchSockets();
      }
      if (!closed) io.local.volatile.emit('presence', presenceList(sockets));
    } finally {
      running = false;
      if (dirty) schedule();
    }
  };

  function schedule() {
    dirty = true;
    if (timer || running || closed) return;
    // Each broadcast goes to every socket with every entry: space them out as the board fills up.
    const interval = Math.max(options.intervalMs, io.sockets.sockets.size * 2);
    timer = setTimeout(() => void run(), interval);
  }

  if (options.clustered) io.on('presence:changed', schedule);

  return {
    changed() {
      if (options.clustered) tellOthers = true;
      schedule();
    },
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
    },
  };
}
