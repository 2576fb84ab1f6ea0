import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../shared/ticket.js';

export const TicketEntity = defineEntity({
  name: 'Ticket',
  tableName: 'ticket',
  properties: {
    id: p.integer().primary().autoincrement(),
    title: p.string().length(200),
    description: p.text().default(''),
    priority: p.enum([...TICKET_PRIORITIES]).default('medium'),
    status: p
      .enum([...TICKET_STATUSES])
      .nativeEnumName('ticket_status')
      .default('open'),
    // collate "C" in the migration: fractional-index ranks compare byte by byte.
    rank: p.text(),
    version: p.integer().version(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
    closedAt: p.datetime().nullable(),
  },
});

export type TicketRecord = InferEntity<typeof TicketEntity>;
