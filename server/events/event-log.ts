import { IsolationLevel, type EntityManager } from '@mikro-orm/postgresql';
import type { BoardEvent } from '../../shared/events.js';
import type { FieldChanges, HistoryEntry } from '../../shared/ticket.js';
import { GoneProblem } from '../http/errors.js';
import { BoardEventEntity } from './board-event.entity.js';

/**
 * Takes the next board seq, as a write's last step before its event and
 * commit. The row lock it holds until commit hands seqs out in commit order,
 * and a rollback gives its seq back, so the log has no holes.
 */
export async function takeNextSeq(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ value: string }[]>('update board_seq set value = value + 1 returning value');
  return Number(row!.value);
}

/** Queues the event's row in the unit of work; it is written by the transaction's flush. */
export function appendEvent(em: EntityManager, event: BoardEvent, changes: FieldChanges): void {
  em.create(BoardEventEntity, {
    seq: event.seq,
    type: event.type,
    ticketId: event.type === 'ticket.deleted' ? event.id : event.ticket.id,
    at: new Date(event.at),
    origin: event.origin ?? null,
    actor: event.actor ?? null,
    changes,
    ticket: event.type === 'ticket.deleted' ? null : event.ticket,
  });
}

interface EventRow {
  seq: string;
  type: BoardEvent['type'];
  ticket_id: number;
  at: string;
  origin: string | null;
  actor: BoardEvent['actor'] | null;
  changes: Record<string, [unknown, unknown]>;
  ticket: (BoardEvent & { type: 'ticket.created' })['ticket'] | null;
}

function toBoardEvent(row: EventRow): BoardEvent {
  const base = {
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    ...(row.origin === null ? {} : { origin: row.origin }),
    ...(row.actor ? { actor: row.actor } : {}),
  };
  switch (row.type) {
    case 'ticket.created':
      return { type: row.type, ...base, ticket: row.ticket! };
    case 'ticket.updated':
      return { type: row.type, ...base, ticket: row.ticket!, changes: row.changes };
    case 'ticket.deleted':
      return { type: row.type, ...base, id: row.ticket_id };
  }
}

export async function currentSeq(em: EntityManager): Promise<number> {
  const [row] = await em.execute<{ value: string }[]>('select value from board_seq');
  return Number(row!.value);
}

/**
 * The events after `after`, oldest first. A client further behind than the
 * replay window (or ahead of the board, after a reset) must reload the board.
 */
export async function readEventsAfter(
  em: EntityManager,
  after: number,
  limit: number,
  replayWindow: number,
): Promise<{ events: BoardEvent[]; seq: number }> {
  return em.transactional(
    async (tx) => {
      const seq = await currentSeq(tx);
      if (after > seq) {
        throw new GoneProblem(`seq ${after} is ahead of this board (its newest event is ${seq}); reload the board`);
      }
      if (seq - after > replayWindow) {
        throw new GoneProblem(
          `seq ${after} is older than the ${replayWindow} events kept for catching up; reload the board`,
        );
      }
      const rows = await tx.execute<EventRow[]>(
        'select seq, type, ticket_id, at, origin, actor, changes, ticket from board_event where seq > ? order by seq limit ?',
        [after, limit],
      );
      return { events: rows.map(toBoardEvent), seq };
    },
    { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
  );
}

export async function readHistory(em: EntityManager, ticketId: number): Promise<HistoryEntry[]> {
  const rows = await em.execute<EventRow[]>(
    'select seq, type, ticket_id, at, origin, actor, changes, ticket from board_event where ticket_id = ? order by seq',
    [ticketId],
  );
  return rows.map((row) => ({
    seq: Number(row.seq),
    type: row.type,
    at: new Date(row.at).toISOString(),
    actor: row.actor ?? null,
    origin: row.origin,
    changes: row.changes,
  }));
}
