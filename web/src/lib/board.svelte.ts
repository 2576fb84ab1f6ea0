/* eslint-disable svelte/prefer-svelte-reactivity -- plain maps for bookkeeping, and sets replaced whole in $state.raw: cheaper than tracking 5,000 entries one by one */
import { generateKeyBetween } from 'fractional-indexing';
import type { BoardEvent } from '../../../shared/events.js';
import {
  TICKET_STATUSES,
  type BoardSnapshot,
  type Ticket,
  type TicketPriority,
  type TicketStatus,
} from '../../../shared/ticket.js';

export type Columns = Record<TicketStatus, Ticket[]>;

/** Where a card landed: the server places it before `beforeId` or after `afterId` in `status`. */
export interface MoveTarget {
  status: TicketStatus;
  beforeId?: number;
  afterId?: number;
}

/** What the board needs to undo an optimistic move the server refused. */
export interface PendingMove {
  id: number;
  previous: Ticket;
}

/** The last change someone else made to a ticket, so an open dialog can say who and what. */
export interface RemoteChange {
  id: number;
  seq: number;
  by: string;
  deleted: boolean;
}

export interface BoardFilter {
  text: string;
  priorities: TicketPriority[];
}

const HIGHLIGHT_MS = 2_000;

function emptyColumns(): Columns {
  return { open: [], in_progress: [], closed: [] };
}

/** Rank order by plain string comparison: ranks are byte-ordered keys, so localeCompare would be wrong. */
export function byRank(a: Ticket, b: Ticket): number {
  if (a.rank < b.rank) return -1;
  if (a.rank > b.rank) return 1;
  return a.id - b.id;
}

function insertByRank(column: Ticket[], ticket: Ticket): Ticket[] {
  let low = 0;
  let high = column.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (byRank(column[middle]!, ticket) < 0) low = middle + 1;
    else high = middle;
  }
  return [...column.slice(0, low), ticket, ...column.slice(low)];
}

function rankBetween(lower: string | null, upper: string | null): string {
  try {
    return generateKeyBetween(lower, upper);
  } catch {
    // Ranks we cannot interpret still need an order for the moment until the server's arrives.
    return lower === null ? `${upper ?? ''}` : `${lower}~`;
  }
}

export function matchesFilter(ticket: Ticket, filter: BoardFilter): boolean {
  if (filter.priorities.length > 0 && !filter.priorities.includes(ticket.priority)) return false;
  const text = filter.text.trim().toLowerCase();
  if (!text) return true;
  if (text.startsWith('#') && String(ticket.id) === text.slice(1)) return true;
  return ticket.title.toLowerCase().includes(text) || ticket.description.toLowerCase().includes(text);
}

/**
 * The board as this tab sees it: server state from live.ts (reset/apply),
 * plus this tab's optimistic moves until the server confirms or refuses them.
 */
export class BoardState {
  readonly clientId: string;
  #byId = new Map<number, Ticket>();
  #columns = $state.raw<Columns>(emptyColumns());
  #seq = $state(0);
  #loaded = $state(false);
  #highlighted = $state.raw<ReadonlySet<number>>(new Set());
  #lastRemoteChange = $state.raw<RemoteChange | null>(null);
  #filter = $state.raw<BoardFilter>({ text: '', priorities: [] });
  #timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Tickets moved here and not yet confirmed: their server version, so a stale echo does not undo the move. */
  #pending = new Map<number, number>();

  constructor(clientId: string) {
    this.clientId = clientId;
  }

  get loaded(): boolean {
    return this.#loaded;
  }

  get seq(): number {
    return this.#seq;
  }

  get allColumns(): Columns {
    return this.#columns;
  }

  get filter(): BoardFilter {
    return this.#filter;
  }

  get filtering(): boolean {
    return this.#filter.text.trim() !== '' || this.#filter.priorities.length > 0;
  }

  #visible = $derived.by((): Columns => {
    const columns = this.#columns;
    const filter = this.#filter;
    if (filter.text.trim() === '' && filter.priorities.length === 0) return columns;
    const visible = emptyColumns();
    for (const status of TICKET_STATUSES) visible[status] = columns[status].filter((t) => matchesFilter(t, filter));
    return visible;
  });

  /** Columns after the filter, each in rank order. */
  get columns(): Columns {
    return this.#visible;
  }

  #counts = $derived.by((): Record<TicketStatus, number> => ({
    open: this.#visible.open.length,
    in_progress: this.#visible.in_progress.length,
    closed: this.#visible.closed.length,
  }));

  get counts(): Record<TicketStatus, number> {
    return this.#counts;
  }

  get total(): number {
    const columns = this.#columns;
    return columns.open.length + columns.in_progress.length + columns.closed.length;
  }

  get highlighted(): ReadonlySet<number> {
    return this.#highlighted;
  }

  get lastRemoteChange(): RemoteChange | null {
    return this.#lastRemoteChange;
  }

  ticket(id: number): Ticket | undefined {
    // Reading the columns makes a caller's $derived follow the ticket.
    void this.#columns;
    return this.#byId.get(id);
  }

  setFilter(filter: Partial<BoardFilter>): void {
    this.#filter = { ...this.#filter, ...filter };
  }

  reset(snapshot: BoardSnapshot): void {
    this.#byId = new Map();
    const columns = emptyColumns();
    for (const status of TICKET_STATUSES) {
      columns[status] = [...snapshot.columns[status]].sort(byRank);
      for (const ticket of columns[status]) this.#byId.set(ticket.id, ticket);
    }
    this.#pending.clear();
    this.#columns = columns;
    this.#seq = snapshot.seq;
    this.#loaded = true;
  }

  apply(event: BoardEvent): void {
    this.#seq = Math.max(this.#seq, event.seq);
    const own = event.origin !== undefined && event.origin === this.clientId;
    if (event.type === 'ticket.deleted') {
      this.#pending.delete(event.id);
      this.#remove(event.id);
      if (!own) this.#lastRemoteChange = { id: event.id, seq: event.seq, by: actorName(event), deleted: true };
      return;
    }
    const ticket = event.ticket;
    if (own) this.#pending.delete(ticket.id);
    this.#put(ticket);
    if (!own) {
      this.#flash(ticket.id);
      this.#lastRemoteChange = { id: ticket.id, seq: event.seq, by: actorName(event), deleted: false };
    }
  }

  /** A ticket the server returned to our own write: newer than what we hold, so show it. */
  confirm(ticket: Ticket): void {
    this.#pending.delete(ticket.id);
    this.#put(ticket);
  }

  /** Puts a card where it was dropped at once; returns what `rollback` needs if the server refuses. */
  moveOptimistic(id: number, target: MoveTarget): PendingMove | null {
    const previous = this.#byId.get(id);
    if (!previous) return null;
    const column = this.#columns[target.status].filter((t) => t.id !== id);
    let lower: Ticket | undefined;
    let upper: Ticket | undefined;
    if (target.afterId !== undefined) {
      const index = column.findIndex((t) => t.id === target.afterId);
      lower = column[index];
      upper = index >= 0 ? column[index + 1] : undefined;
    } else if (target.beforeId !== undefined) {
      const index = column.findIndex((t) => t.id === target.beforeId);
      upper = column[index];
      lower = index > 0 ? column[index - 1] : undefined;
    } else {
      lower = column.at(-1);
    }
    const rank = rankBetween(lower?.rank ?? null, upper?.rank ?? null);
    this.#pending.set(id, previous.version);
    this.#put({ ...previous, status: target.status, rank }, /* force */ true);
    return { id, previous };
  }

  /** The server refused the move: show its state when it told us (it wins), else where the card was. */
  rollback(pending: PendingMove, current?: Ticket): void {
    this.#pending.delete(pending.id);
    const now = this.#byId.get(pending.id);
    const restore = current ?? pending.previous;
    if (now && now.version > restore.version) return;
    this.#put(restore, /* force */ true);
    this.#flash(pending.id);
  }

  /** Removes a ticket the server told us is gone (e.g. a 404 on our write). */
  forget(id: number): void {
    this.#pending.delete(id);
    this.#remove(id);
  }

  #put(ticket: Ticket, force = false): void {
    const existing = this.#byId.get(ticket.id);
    if (!force && existing && existing.version > ticket.version) return;
    if (!force && existing && this.#pending.has(ticket.id) && ticket.version <= this.#pending.get(ticket.id)!) return;
    this.#byId.set(ticket.id, ticket);
    const columns = { ...this.#columns };
    if (existing) columns[existing.status] = columns[existing.status].filter((t) => t.id !== ticket.id);
    columns[ticket.status] = insertByRank(columns[ticket.status], ticket);
    this.#columns = columns;
  }

  #remove(id: number): void {
    const existing = this.#byId.get(id);
    if (!existing) return;
    this.#byId.delete(id);
    this.#columns = { ...this.#columns, [existing.status]: this.#columns[existing.status].filter((t) => t.id !== id) };
  }

  #flash(id: number): void {
    const next = new Set(this.#highlighted);
    next.add(id);
    this.#highlighted = next;
    clearTimeout(this.#timers.get(id));
    this.#timers.set(
      id,
      setTimeout(() => {
        this.#timers.delete(id);
        const rest = new Set(this.#highlighted);
        rest.delete(id);
        this.#highlighted = rest;
      }, HIGHLIGHT_MS),
    );
  }
}

function actorName(event: BoardEvent): string {
  return event.actor?.name ?? 'Someone';
}
