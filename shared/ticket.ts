import { z } from 'zod';

export const TICKET_STATUSES = ['open', 'in_progress', 'closed'] as const;
export const TICKET_PRIORITIES = ['low', 'medium', 'high', 'critical'] as const;

export const TicketStatus = z.enum(TICKET_STATUSES);
export type TicketStatus = z.infer<typeof TicketStatus>;

export const TicketPriority = z.enum(TICKET_PRIORITIES);
export type TicketPriority = z.infer<typeof TicketPriority>;

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 10_000;

export const TicketId = z.coerce
  .number({ error: 'must be a ticket id' })
  .int('must be a whole number')
  .min(1, 'must be a positive id')
  .max(2_147_483_647, 'is out of range');

const title = z
  .string({ error: 'must be a string' })
  .trim()
  .min(1, 'must not be empty')
  .max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`);
const description = z
  .string({ error: 'must be a string' })
  .max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`);

export const Ticket = z
  .object({
    id: z.number().int(),
    title: z.string(),
    description: z.string(),
    priority: TicketPriority,
    status: TicketStatus,
    rank: z.string(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    closedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Ticket' });
export type Ticket = z.infer<typeof Ticket>;

export const CreateTicketBody = z.strictObject({
  title,
  description: description.default(''),
  priority: TicketPriority.default('medium'),
  status: TicketStatus.default('open'),
});
export type CreateTicketBody = z.input<typeof CreateTicketBody>;

export const PatchTicketBody = z
  .strictObject({
    title: title.optional(),
    description: description.optional(),
    priority: TicketPriority.optional(),
    status: TicketStatus.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, {
    message: 'name at least one of title, description, priority, status',
  });
export type PatchTicketBody = z.input<typeof PatchTicketBody>;

export const MoveTicketBody = z
  .strictObject({
    status: TicketStatus,
    beforeId: TicketId.optional(),
    afterId: TicketId.optional(),
  })
  .refine((body) => body.beforeId === undefined || body.afterId === undefined, {
    message: 'give beforeId or afterId, not both',
  });
export type MoveTicketBody = z.input<typeof MoveTicketBody>;

/** A query value given once, repeated, or as a comma list: `?status=open&status=closed` or `?status=open,closed`. */
function listOf<T extends z.ZodType<string>>(item: T) {
  return z.preprocess(
    (value) => {
      const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
      return values.flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');
    },
    z.array(item).transform((items) => [...new Set(items)]),
  );
}

export const LIST_LIMIT_MAX = 500;

export const ListTicketsQuery = z.strictObject({
  status: listOf(TicketStatus).optional(),
  priority: listOf(TicketPriority).optional(),
  q: z.string().trim().max(TITLE_MAX, `must be at most ${TITLE_MAX} characters`).optional(),
  limit: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(LIST_LIMIT_MAX, `must be at most ${LIST_LIMIT_MAX}`)
    .default(100),
  cursor: z.string().max(500, 'is not a cursor from this API').optional(),
});
export type ListTicketsQuery = z.input<typeof ListTicketsQuery>;

export const TicketPage = z.object({
  items: z.array(Ticket),
  nextCursor: z.string().nullable(),
});
export type TicketPage = z.infer<typeof TicketPage>;

export const BoardColumns = z.object({
  open: z.array(Ticket),
  in_progress: z.array(Ticket),
  closed: z.array(Ticket),
});

export const BoardSnapshot = z.object({
  seq: z.number().int(),
  columns: BoardColumns,
});
export type BoardSnapshot = z.infer<typeof BoardSnapshot>;

/** The fields whose changes are recorded, each as `[old, new]`. */
export const FieldChanges = z.record(z.string(), z.tuple([z.unknown(), z.unknown()]));
export type FieldChanges = z.infer<typeof FieldChanges>;

export const Actor = z.object({ id: z.number().int().nullable(), name: z.string() });
export type Actor = z.infer<typeof Actor>;

export const HistoryEntry = z.object({
  seq: z.number().int(),
  type: z.enum(['ticket.created', 'ticket.updated', 'ticket.deleted']),
  at: z.iso.datetime(),
  actor: Actor.nullable(),
  origin: z.string().nullable(),
  changes: FieldChanges,
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    current: Ticket.optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof Problem>;

/** `X-Client-Id`: an opaque id a client picks to recognise its own changes in the events. */
export const ClientId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'may hold letters, digits and _ . : - only');

export const ACTOR_NAME_MAX = 60;

/**
 * `X-Actor-Name` (URI-encoded, as headers carry Latin-1 only): the display name
 * a board user gave, recorded as the actor of their writes. Until accounts
 * exist it is the client's word, not a verified identity.
 */
export const ActorName = z
  .string()
  .transform((value, context) => {
    try {
      return decodeURIComponent(value).trim();
    } catch {
      context.addIssue({ code: 'custom', message: 'must be URI-encoded text' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(ACTOR_NAME_MAX, `must be at most ${ACTOR_NAME_MAX} characters`)
      .regex(/^[^\p{Cc}]+$/u, 'must not hold control characters'),
  );
