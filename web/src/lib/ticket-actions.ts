import type { CreateTicketBody, PatchTicketBody, Ticket } from '../../../shared/ticket.js';
import { ApiError, type Api } from './api.js';
import type { BoardState, MoveTarget } from './board.svelte.js';
import type { Toasts } from './toasts.svelte.js';

/** Every write of the board goes through here: show it at once where it is safe, tell the user when refused. */
export class TicketActions {
  constructor(
    private readonly board: BoardState,
    private readonly api: Api,
    private readonly toasts: Toasts,
  ) {}

  async move(id: number, target: MoveTarget): Promise<void> {
    const ticket = this.board.ticket(id);
    if (!ticket) return;
    const pending = this.board.moveOptimistic(id, target);
    if (!pending) return;
    try {
      this.board.confirm(await this.api.moveTicket(id, target, ticket.version));
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        this.board.forget(id);
        this.toasts.show(`#${id} was deleted by someone else.`, 'error');
        return;
      }
      const current = error instanceof ApiError && error.status === 412 ? error.problem.current : undefined;
      this.board.rollback(pending, current);
      this.toasts.show(
        current
          ? `#${id} was changed by someone else first; showing their version.`
          : `Could not move #${id}: ${describe(error)}. It is back where it was.`,
        'error',
      );
    }
  }

  async create(body: CreateTicketBody): Promise<Ticket> {
    const ticket = await this.api.createTicket(body);
    this.board.confirm(ticket);
    return ticket;
  }

  /** Throws ApiError 412 (with `problem.current`) when someone else changed the ticket since `version`. */
  async update(id: number, patch: PatchTicketBody, version: number): Promise<Ticket> {
    const ticket = await this.api.updateTicket(id, patch, version);
    this.board.confirm(ticket);
    return ticket;
  }

  async remove(id: number, version: number): Promise<void> {
    await this.api.deleteTicket(id, version);
    this.board.forget(id);
  }
}

export function describe(error: unknown): string {
  if (error instanceof ApiError) return error.problem.detail || error.problem.title;
  return error instanceof Error ? error.message : 'something went wrong';
}
