import { z } from 'zod';
import { Actor, ClientId, FieldChanges, Ticket } from './ticket.js';

const eventBase = {
  seq: z.number().int().min(1),
  at: z.iso.datetime(),
  origin: z.string().optional(),
  actor: Actor.optional(),
};

export const TicketCreated = z.object({ type: z.literal('ticket.created'), ...eventBase, ticket: Ticket });
export const TicketUpdated = z.object({
  type: z.literal('ticket.updated'),
  ...eventBase,
  ticket: Ticket,
  changes: FieldChanges,
});
export const TicketDeleted = z.object({ type: z.literal('ticket.deleted'), ...eventBase, id: z.number().int() });

export const BoardEvent = z
  .discriminatedUnion('type', [TicketCreated, TicketUpdated, TicketDeleted])
  .meta({ id: 'BoardEvent' });
export type BoardEvent = z.infer<typeof BoardEvent>;
export type BoardEventType = BoardEvent['type'];

export const EVENTS_LIMIT_MAX = 1000;

export const EventsQuery = z.strictObject({
  after: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more'),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(EVENTS_LIMIT_MAX, `must be at most ${EVENTS_LIMIT_MAX}`)
    .default(EVENTS_LIMIT_MAX),
});

/** `seq` is the newest event on the board; when it is above the last event returned, there are more to fetch. */
export const EventsPage = z.object({ events: z.array(BoardEvent), seq: z.number().int() });
export type EventsPage = z.infer<typeof EventsPage>;

export const PRESENCE_NAME_MAX = 60;

export const PresenceUpdate = z.strictObject({
  name: z.string().trim().min(1).max(PRESENCE_NAME_MAX).optional(),
  viewing: z.number().int().min(1).nullable().optional(),
});
export type PresenceUpdate = z.infer<typeof PresenceUpdate>;

/** The socket handshake's `auth`: the same id the client sends as X-Client-Id, and its presence so far. */
export const HandshakeAuth = z.object({
  clientId: ClientId,
  name: PresenceUpdate.shape.name,
  viewing: PresenceUpdate.shape.viewing,
});
export type HandshakeAuth = z.input<typeof HandshakeAuth>;

export const PresenceEntry = z.object({
  clientId: z.string(),
  name: z.string(),
  color: z.string(),
  viewing: z.number().int().nullable(),
});
export type PresenceEntry = z.infer<typeof PresenceEntry>;

/** What the server sends when it refuses a socket message, instead of dropping it silently. */
export interface SocketProblem {
  event: string;
  status: number;
  title: string;
  detail: string;
}

export interface ServerToClientEvents {
  'board:event': (event: BoardEvent) => void;
  presence: (people: PresenceEntry[]) => void;
  'message:refused': (problem: SocketProblem) => void;
}

export interface ClientToServerEvents {
  'presence:update': (update: PresenceUpdate) => void;
}
