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

export const TICKET_COLUMNS =
  'id, title, description, priority, status, rank, version, created_at, updated_at, closed_at';

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
    createdAt: new Date(row.created_at).toISOString(),
    updatedAt: new Date(row.updated_at).toISOString(),
    closedAt: row.closed_at === null ? null : new Date(row.closed_at).toISOString(),
  };
}
