import type { Ticket, TicketPriority, TicketStatus } from '../../shared/ticket.js';
import type { TicketRecord } from './ticket.entity.js';

export function ticketFromEntity(entity: TicketRecord): Ticket {
  return {
    id: entity.id,
    title: entity.title,
    description: entity.description,
    priority: entity.priority,
    status: entity.status,
    rank: entity.rank,
    version: entity.version,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
    closedAt: entity.closedAt ? entity.closedAt.toISOString() : null,
  };
}

const iso = (column: string) => `to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as ${column}`;

/** Timestamps come out already in ISO 8601 (as Date#toISOString writes them), so reads do no date parsing. */
export const TICKET_COLUMNS = `id, title, description, priority, status, rank, version, ${iso('created_at')}, ${iso('updated_at')}, ${iso('closed_at')}`;

export interface TicketRow {
  id: number;
  title: string;
  description: string;
  priority: TicketPriority;
  status: TicketStatus;
  rank: string;
  version: number;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
}

export function ticketFromRow(row: TicketRow): Ticket {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    priority: row.priority,
    status: row.status,
    rank: row.rank,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    closedAt: row.closed_at,
  };
}
