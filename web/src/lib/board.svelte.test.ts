import { describe, expect, it } from 'vitest';
import type { BoardEvent } from '../../../shared/events.js';
import type { BoardSnapshot, Ticket } from '../../../shared/ticket.js';
import { BoardState } from './board.svelte.js';

const at = '2026-01-01T00:00:00.000Z';

function ticket(id: number, fields: Partial<Ticket> = {}): Ticket {
  return {
    id,
    title: `Ticket ${id}`,
    description: '',
    priority: 'medium',
    status: 'open',
    rank: 'a0',
    version: 1,
    createdAt: at,
    updatedAt: at,
    closedAt: null,
    ...fields,
  };
}

function snapshot(tickets: Ticket[], seq = tickets.length): BoardSnapshot {
  return {
    seq,
    columns: {
      open: tickets.filter((t) => t.status === 'open'),
      in_progress: tickets.filter((t) => t.status === 'in_progress'),
      closed: tickets.filter((t) => t.status === 'closed'),
    },
  };
}

function ids(tickets: Ticket[]): number[] {
  return tickets.map((t) => t.id);
}

function updated(seq: number, next: Ticket, origin?: string): BoardEvent {
  return { type: 'ticket.updated', seq, at, ticket: next, changes: {}, ...(origin ? { origin } : {}) };
}

describe('BoardState', () => {
  it('orders each column by rank with plain string comparison, not locale order', () => {
    const board = new BoardState('me');
    // Byte order puts upper case before lower case; localeCompare would not.
    board.reset(snapshot([ticket(1, { rank: 'a' }), ticket(2, { rank: 'Z' }), ticket(3, { rank: 'a0' })]));
    expect(ids(board.columns.open)).toEqual([2, 1, 3]);
    expect(board.counts).toEqual({ open: 3, in_progress: 0, closed: 0 });
    expect(board.seq).toBe(3);
  });

  it('applies created, updated and deleted events in place and highlights other people’s changes', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' })]));
    board.apply({ type: 'ticket.created', seq: 3, at, ticket: ticket(3, { rank: 'a0' }), origin: 'someone-else' });
    expect(ids(board.columns.open)).toEqual([3, 1, 2]);
    expect(board.highlighted.has(3)).toBe(true);

    board.apply(updated(4, ticket(1, { status: 'closed', rank: 'a0', version: 2 })));
    expect(ids(board.columns.open)).toEqual([3, 2]);
    expect(ids(board.columns.closed)).toEqual([1]);

    board.apply({ type: 'ticket.deleted', seq: 5, at, id: 2 });
    expect(ids(board.columns.open)).toEqual([3]);
    expect(board.counts).toEqual({ open: 1, in_progress: 0, closed: 1 });
    expect(board.seq).toBe(5);
    expect(board.lastRemoteChange).toMatchObject({ id: 2, deleted: true, by: 'Someone' });
  });

  it('ignores an event older than the ticket it already holds', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { title: 'new', version: 3 })]));
    board.apply(updated(2, ticket(1, { title: 'old', version: 2 })));
    expect(board.ticket(1)?.title).toBe('new');
  });

  it('moves a card at once, then keeps it there when its own event confirms without a flash', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' }), ticket(3, { rank: 'a3' })]));
    const pending = board.moveOptimistic(3, { status: 'open', beforeId: 1 });
    expect(pending).not.toBeNull();
    expect(ids(board.columns.open)).toEqual([3, 1, 2]);

    board.apply(updated(4, ticket(3, { rank: 'a0', version: 2 }), 'me'));
    expect(ids(board.columns.open)).toEqual([3, 1, 2]);
    expect(board.highlighted.has(3)).toBe(false);
  });

  it('does not let a stale echo undo a pending move', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' })]));
    board.moveOptimistic(1, { status: 'in_progress' });
    board.apply(updated(3, ticket(1, { rank: 'a1', version: 1 })));
    expect(ids(board.columns.in_progress)).toEqual([1]);
  });

  it('rolls a refused move back to where the card was', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' })]));
    const pending = board.moveOptimistic(1, { status: 'closed' })!;
    expect(ids(board.columns.closed)).toEqual([1]);
    board.rollback(pending);
    expect(ids(board.columns.open)).toEqual([1, 2]);
    expect(board.columns.closed).toEqual([]);
  });

  it('shows the server’s version when the refusal says someone else moved it first', () => {
    const board = new BoardState('me');
    board.reset(snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' })]));
    const pending = board.moveOptimistic(1, { status: 'closed' })!;
    board.rollback(pending, ticket(1, { status: 'in_progress', rank: 'a0', version: 2 }));
    expect(ids(board.columns.in_progress)).toEqual([1]);
    expect(board.columns.closed).toEqual([]);
    expect(ids(board.columns.open)).toEqual([2]);
  });

  it('places a card after its upper neighbour, between two existing ranks', () => {
    const board = new BoardState('me');
    board.reset(
      snapshot([ticket(1, { rank: 'a1' }), ticket(2, { rank: 'a2' }), ticket(3, { rank: 'a3', status: 'closed' })]),
    );
    board.moveOptimistic(3, { status: 'open', afterId: 1 });
    expect(ids(board.columns.open)).toEqual([1, 3, 2]);
  });

  it('filters by text (title, description, #id) and by priority over the whole board', () => {
    const board = new BoardState('me');
    board.reset(
      snapshot([
        ticket(1, { title: 'Disk full', priority: 'high' }),
        ticket(2, { title: 'Printer', description: 'the DISK tray', priority: 'low', status: 'closed' }),
        ticket(3, { title: 'VPN', priority: 'critical' }),
      ]),
    );
    board.setFilter({ text: 'disk' });
    expect(ids(board.columns.open)).toEqual([1]);
    expect(ids(board.columns.closed)).toEqual([2]);
    expect(board.counts).toEqual({ open: 1, in_progress: 0, closed: 1 });

    board.setFilter({ priorities: ['low'] });
    expect(ids(board.columns.open)).toEqual([]);
    expect(ids(board.columns.closed)).toEqual([2]);

    board.setFilter({ text: '#3', priorities: [] });
    expect(ids(board.columns.open)).toEqual([3]);
    expect(board.total).toBe(3);
  });
});
