import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import type { Actor, FieldChanges, Ticket } from '../../shared/ticket.js';
import type { BoardEventType } from '../../shared/events.js';

/** One committed change: the board's event log and every ticket's audit trail. */
export const BoardEventEntity = defineEntity({
  name: 'BoardEvent',
  tableName: 'board_event',
  properties: {
    seq: p.bigint('number').primary().autoincrement(false),
    type: p.type('text').$type<BoardEventType>(),
    ticketId: p.integer(),
    at: p.datetime(),
    origin: p.text().nullable(),
    actor: p.json<Actor>().nullable(),
    changes: p.json<FieldChanges>(),
    ticket: p.json<Ticket>().nullable(),
  },
});

export type BoardEventRecord = InferEntity<typeof BoardEventEntity>;
