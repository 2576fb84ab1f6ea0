import { IsolationLevel, LockMode, type EntityManager, type MikroORM } from '@mikro-orm/postgresql';
import type { BoardEvent } from '../../shared/events.js';
import {
  TICKET_STATUSES,
  type Actor,
  type BoardSnapshot,
  type FieldChanges,
  type HistoryEntry,
  type Ticket,
  type TicketPage,
  type TicketPriority,
  type TicketStatus,
} from '../../shared/ticket.js';
import { appendEvent, readEventsAfter, readHistory, takeNextSeq } from '../events/event-log.js';
import { NotFoundProblem, PreconditionFailedProblem, ValidationProblem } from '../http/errors.js';
import { rankAtTop, rankBetween } from './rank.js';
import { TicketEntity, type TicketRecord } from './ticket.entity.js';
import { TICKET_COLUMNS, ticketFromEntity, ticketFromRow, type TicketRow } from './ticket.mapper.js';

/** Who asked for a write, carried onto its event. */
export interface WriteContext {
  origin?: string;
  actor?: Actor;
  /** From `If-Match`: the write happens only if the ticket is still at this version. */
  expectedVersion?: number;
}

export interface NewTicket {
  title: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
}

export interface TicketChanges {
  title?: string;
  description?: string;
  priority?: TicketPriority;
  status?: TicketStatus;
}

export interface TicketPlacement {
  status: TicketStatus;
  beforeId?: number;
  afterId?: number;
}

export interface TicketFilter {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  q?: string;
  limit: number;
  cursor?: string;
}

export type PublishCommitted = (event: BoardEvent) => void;

const TRACKED_FIELDS = ['title', 'description', 'priority', 'status', 'rank', 'closedAt'] as const;

/** The ticket rules. Every write takes the next board seq and appends its event in the same transaction. */
export class TicketService {
  constructor(
    private readonly orm: MikroORM,
    private readonly publish: PublishCommitted,
    private readonly replayWindow: number,
  ) {}

  private get em(): EntityManager {
    return this.orm.em;
  }

  async get(id: number): Promise<Ticket> {
    const [row] = await this.em.execute<TicketRow[]>(`select ${TICKET_COLUMNS} from ticket where id = ?`, [id]);
    if (!row) throw new NotFoundProblem(`ticket ${id} does not exist`);
    return ticketFromRow(row);
  }

  async list(filter: TicketFilter): Promise<TicketPage> {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.status?.length) {
      where.push('status in (?)');
      params.push(filter.status);
    }
    if (filter.priority?.length) {
      where.push('priority in (?)');
      params.push(filter.priority);
    }
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
      where.push('(title ilike ? or description ilike ?)');
      params.push(pattern, pattern);
    }
    if (filter.cursor !== undefined) {
      const after = decodeCursor(filter.cursor);
      where.push(`(status, rank) > (?::ticket_status, ? collate "C")`);
      params.push(after.status, after.rank);
    }
    params.push(filter.limit + 1);
    const rows = await this.em.execute<TicketRow[]>(
      `select ${TICKET_COLUMNS} from ticket ${where.length ? `where ${where.join(' and ')}` : ''} order by status, rank limit ?`,
      params,
    );
    const items = rows.slice(0, filter.limit).map(ticketFromRow);
    const last = items.at(-1);
    return { items, nextCursor: rows.length > filter.limit && last ? encodeCursor(last) : null };
  }

  /** The whole board and the seq of the last event reflected in it, read from one snapshot. */
  async board(): Promise<BoardSnapshot> {
    return this.em.transactional(
      async (tx) => {
        const [seqRow] = await tx.execute<{ value: string }[]>('select value from board_seq');
        const rows = await tx.execute<TicketRow[]>(`select ${TICKET_COLUMNS} from ticket order by status, rank`);
        const columns: BoardSnapshot['columns'] = { open: [], in_progress: [], closed: [] };
        for (const row of rows) columns[row.status].push(ticketFromRow(row));
        return { seq: Number(seqRow!.value), columns };
      },
      { isolationLevel: IsolationLevel.REPEATABLE_READ, readOnly: true },
    );
  }

  async eventsAfter(after: number, limit: number) {
    return readEventsAfter(this.em, after, limit, this.replayWindow);
  }

  async history(id: number): Promise<HistoryEntry[]> {
    const entries = await readHistory(this.em, id);
    if (entries.length === 0) throw new NotFoundProblem(`ticket ${id} never existed`);
    return entries;
  }

  async create(input: NewTicket, context: WriteContext = {}): Promise<Ticket> {
    return this.write(async (tx) => {
      await lockColumn(tx, input.status);
      const rank = rankAtTop(await edgeRank(tx, input.status, 'first'));
      const now = new Date();
      const entity = tx.create(TicketEntity, {
        ...input,
        rank,
        createdAt: now,
        updatedAt: now,
        closedAt: input.status === 'closed' ? now : null,
      });
      await tx.flush();
      const ticket = ticketFromEntity(entity);
      const changes = Object.fromEntries(
        TRACKED_FIELDS.filter((field) => ticket[field] !== null).map((field) => [field, [null, ticket[field]]]),
      ) as FieldChanges;
      return { type: 'ticket.created', at: ticket.createdAt, ticket, ...eventContext(context), changes };
    });
  }

  async update(id: number, changes: TicketChanges, context: WriteContext = {}): Promise<Ticket> {
    return this.write(async (tx) => {
      const entity = await loadForWrite(tx, id, context);
      const before = ticketFromEntity(entity);
      if (changes.title !== undefined) entity.title = changes.title;
      if (changes.description !== undefined) entity.description = changes.description;
      if (changes.priority !== undefined) entity.priority = changes.priority;
      if (changes.status !== undefined && changes.status !== entity.status) {
        await lockColumn(tx, changes.status);
        entity.rank = rankAtTop(await edgeRank(tx, changes.status, 'first'));
        setStatus(entity, changes.status);
      }
      return finishUpdate(tx, entity, before, context);
    });
  }

  async move(id: number, placement: TicketPlacement, context: WriteContext = {}): Promise<Ticket> {
    return this.write(async (tx) => {
      const entity = await loadForWrite(tx, id, context);
      const before = ticketFromEntity(entity);
      await lockColumn(tx, placement.status);
      const rank = await placementRank(tx, entity, placement);
      if (rank !== null) {
        entity.rank = rank;
        setStatus(entity, placement.status);
      }
      return finishUpdate(tx, entity, before, context);
    });
  }

  async remove(id: number, context: WriteContext = {}): Promise<void> {
    await this.write(async (tx) => {
      const entity = await loadForWrite(tx, id, context);
      const ticket = ticketFromEntity(entity);
      tx.remove(entity);
      const changes = Object.fromEntries(
        TRACKED_FIELDS.filter((field) => ticket[field] !== null).map((field) => [field, [ticket[field], null]]),
      ) as FieldChanges;
      await tx.flush();
      return { type: 'ticket.deleted', at: new Date().toISOString(), id, ...eventContext(context), changes };
    });
  }

  /**
   * Runs one write: `change` locks what it reads (the ticket's row, the
   * destination column's ranks), applies the change and describes it; then
   * the write takes the next seq, appends the event and commits. The seq row
   * stays locked only for those last statements, so writes to different
   * tickets overlap while seqs still follow commit order with no holes.
   * Only after the commit is the event published.
   */
  private async write(change: (tx: EntityManager) => Promise<DraftEvent>): Promise<Ticket> {
    let event: BoardEvent;
    try {
      event = await this.em.transactional(async (tx) => {
        const { changes, ...draft } = await change(tx);
        const seq = await takeNextSeq(tx);
        const committed = (
          draft.type === 'ticket.updated' ? { ...draft, seq, changes } : { ...draft, seq }
        ) as BoardEvent;
        appendEvent(tx, committed, changes);
        await tx.flush();
        return committed;
      });
    } catch (error) {
      if (error instanceof NoChange) return error.ticket;
      throw error;
    }
    this.publish(event);
    return (event.type === 'ticket.deleted' ? null : event.ticket) as Ticket;
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A change described before it has its seq. */
type DraftEvent = DistributiveOmit<BoardEvent, 'seq'> & { changes: FieldChanges };

/** Thrown inside a write that turns out to change nothing, so that its transaction (and seq) rolls back. */
class NoChange extends Error {
  constructor(readonly ticket: Ticket) {
    super('no change');
  }
}

function eventContext(context: WriteContext): { origin?: string; actor?: Actor } {
  return {
    ...(context.origin === undefined ? {} : { origin: context.origin }),
    ...(context.actor === undefined ? {} : { actor: context.actor }),
  };
}

async function loadForWrite(tx: EntityManager, id: number, context: WriteContext): Promise<TicketRecord> {
  // The row lock makes concurrent writes to one ticket take turns, so If-Match is checked against the latest version.
  const entity = await tx.findOne(TicketEntity, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!entity) throw new NotFoundProblem(`ticket ${id} does not exist`);
  if (context.expectedVersion !== undefined && entity.version !== context.expectedVersion) {
    throw new PreconditionFailedProblem(
      `ticket ${id} is at version ${entity.version}, not ${context.expectedVersion}: someone else changed it`,
      ticketFromEntity(entity),
    );
  }
  return entity;
}

function setStatus(entity: TicketRecord, status: TicketStatus): void {
  if (entity.status === status) return;
  entity.closedAt = status === 'closed' ? new Date() : null;
  entity.status = status;
}

async function finishUpdate(
  tx: EntityManager,
  entity: TicketRecord,
  before: Ticket,
  context: WriteContext,
): Promise<DraftEvent> {
  const draft = ticketFromEntity(entity);
  const changes: FieldChanges = {};
  for (const field of TRACKED_FIELDS) {
    if (draft[field] !== before[field]) changes[field] = [before[field], draft[field]];
  }
  if (Object.keys(changes).length === 0) throw new NoChange(before);
  await tx.flush();
  const ticket = ticketFromEntity(entity);
  return { type: 'ticket.updated', at: ticket.updatedAt, ticket, changes, ...eventContext(context) };
}

const RANK_LOCK_NAMESPACE = 0x7d5e;

/** Makes writers that compute ranks in one column take turns, so two can never pick the same spot. Held until commit. */
async function lockColumn(tx: EntityManager, status: TicketStatus): Promise<void> {
  await tx.execute('select pg_advisory_xact_lock(?, ?)', [RANK_LOCK_NAMESPACE, TICKET_STATUSES.indexOf(status)]);
}

async function edgeRank(tx: EntityManager, status: TicketStatus, edge: 'first' | 'last'): Promise<string | null> {
  const [row] = await tx.execute<{ rank: string }[]>(
    `select rank from ticket where status = ? order by rank ${edge === 'first' ? 'asc' : 'desc'} limit 1`,
    [status],
  );
  return row?.rank ?? null;
}

/**
 * The rank that puts `entity` right before `beforeId` / right after `afterId`
 * in column `status`, or at its bottom when the neighbour is not in that
 * column. `null` when the ticket already sits there.
 */
async function placementRank(
  tx: EntityManager,
  entity: TicketRecord,
  placement: TicketPlacement,
): Promise<string | null> {
  const neighbourId = placement.beforeId ?? placement.afterId;
  const [neighbour] =
    neighbourId === undefined || neighbourId === entity.id
      ? []
      : await tx.execute<{ rank: string }[]>('select rank from ticket where id = ? and status = ?', [
          neighbourId,
          placement.status,
        ]);
  let lower: string | null;
  let upper: string | null;
  if (neighbour && placement.beforeId !== undefined) {
    upper = neighbour.rank;
    lower = await adjacentRank(tx, placement.status, entity.id, upper, 'below');
  } else if (neighbour) {
    lower = neighbour.rank;
    upper = await adjacentRank(tx, placement.status, entity.id, lower, 'above');
  } else {
    lower = await adjacentRank(tx, placement.status, entity.id, null, 'below');
    upper = null;
  }
  const alreadyThere =
    entity.status === placement.status &&
    (lower === null || lower < entity.rank) &&
    (upper === null || entity.rank < upper);
  return alreadyThere ? null : rankBetween(lower, upper);
}

/** The nearest rank below / above `rank` in a column (the column's edge when `rank` is null), skipping the moving ticket. */
async function adjacentRank(
  tx: EntityManager,
  status: TicketStatus,
  movingId: number,
  rank: string | null,
  direction: 'below' | 'above',
): Promise<string | null> {
  const comparison = rank === null ? '' : `and rank ${direction === 'below' ? '<' : '>'} ? collate "C"`;
  const params: unknown[] = [status, movingId, ...(rank === null ? [] : [rank])];
  const [row] = await tx.execute<{ rank: string }[]>(
    `select rank from ticket where status = ? and id <> ? ${comparison} order by rank ${direction === 'below' ? 'desc' : 'asc'} limit 1`,
    params,
  );
  return row?.rank ?? null;
}

interface Cursor {
  status: TicketStatus;
  rank: string;
}

function encodeCursor(ticket: Ticket): string {
  return Buffer.from(JSON.stringify([ticket.status, ticket.rank])).toString('base64url');
}

function decodeCursor(cursor: string): Cursor {
  try {
    const [status, rank] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (TICKET_STATUSES.includes(status as TicketStatus) && typeof rank === 'string' && rank.length > 0) {
      return { status: status as TicketStatus, rank };
    }
  } catch {
    // falls through to the validation problem
  }
  throw new ValidationProblem('cursor is not one this API gave out', [
    { path: 'cursor', message: 'is not a cursor from nextCursor' },
  ]);
}
