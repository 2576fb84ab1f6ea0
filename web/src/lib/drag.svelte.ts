import { TICKET_STATUSES, type Ticket, type TicketStatus } from '../../../shared/ticket.js';
import type { Columns, MoveTarget } from './board.svelte.js';

/** A card in flight: the columns as the drag shows them, frozen against live events until the drop. */
export class DragSession {
  #items = $state.raw<Columns | null>(null);
  #keyboard = $state(false);
  #ticketId: number | null = null;
  #origin: { status: TicketStatus; beforeId?: number; afterId?: number } | null = null;
  cancelled = false;

  get active(): boolean {
    return this.#items !== null;
  }

  get keyboard(): boolean {
    return this.#keyboard;
  }

  get ticketId(): number | null {
    return this.#ticketId;
  }

  items(status: TicketStatus): Ticket[] | null {
    return this.#items?.[status] ?? null;
  }

  begin(ticketId: number, shown: Columns, keyboard: boolean): void {
    this.#items = { ...shown };
    this.#keyboard = keyboard;
    this.#ticketId = ticketId;
    this.#origin = locate(shown, ticketId);
    this.cancelled = false;
  }

  update(status: TicketStatus, items: Ticket[]): void {
    if (this.#items) this.#items = { ...this.#items, [status]: items };
  }

  /** Ends the drag; returns where the card should go, or null when it did not move (or the drag was cancelled). */
  end(): { id: number; target: MoveTarget } | null {
    const items = this.#items;
    const id = this.#ticketId;
    const origin = this.#origin;
    const cancelled = this.cancelled;
    this.#items = null;
    this.#keyboard = false;
    this.#ticketId = null;
    this.#origin = null;
    this.cancelled = false;
    if (!items || id === null || cancelled) return null;
    const target = locate(items, id);
    if (!target) return null;
    if (
      origin &&
      origin.status === target.status &&
      origin.afterId === target.afterId &&
      origin.beforeId === target.beforeId
    ) {
      return null;
    }
    return { id, target };
  }
}

/** The card's place as the server wants it: after its upper neighbour, or before its lower one when it is first. */
export function locate(columns: Columns, id: number): MoveTarget | null {
  for (const status of TICKET_STATUSES) {
    const column = columns[status].filter((ticket) => !isShadow(ticket) || ticket.id === id);
    const index = column.findIndex((ticket) => ticket.id === id);
    if (index < 0) continue;
    const above = column[index - 1];
    const below = column[index + 1];
    if (above) return { status, afterId: above.id };
    if (below) return { status, beforeId: below.id };
    return { status };
  }
  return null;
}

function isShadow(ticket: Ticket): boolean {
  return (ticket as Ticket & { isDndShadowItem?: boolean }).isDndShadowItem === true;
}
