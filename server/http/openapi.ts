import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { BoardEvent, EventsPage, EventsQuery } from '../../shared/events.js';
import {
  BoardSnapshot,
  CreateTicketBody,
  HistoryEntry,
  ListTicketsQuery,
  MoveTicketBody,
  PatchTicketBody,
  Problem,
  Ticket,
  TicketPage,
} from '../../shared/ticket.js';

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/** The OpenAPI 3.1 document, built from the same zod schemas that validate requests. */
export function openApiDocument(): object {
  const registry = new OpenAPIRegistry();
  const ticket = Ticket;
  const problem = Problem;
  registry.registerComponent('schemas', 'BoardEvent', BoardEvent as never);
  const problemResponse = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: problem } },
  });
  const idParams = z.object({ id: z.number().int().min(1) });
  const ifMatch = z.object({
    'if-match': z.string().optional().describe('"<version>": the write happens only at that version, else 412'),
    'x-client-id': z.string().optional().describe('echoed as `origin` on the events this write causes'),
    'x-actor-name': z
      .string()
      .optional()
      .describe('URI-encoded display name recorded as the actor (unverified until accounts exist)'),
  });
  const writeErrors = {
    400: problemResponse('Invalid body, id or header'),
    404: problemResponse('No such ticket'),
    412: problemResponse('If-Match is stale; `current` holds the ticket as it is'),
    503: problemResponse('The database is unavailable; retry'),
  };

  registry.registerPath({
    method: 'get',
    path: '/api/tickets',
    summary: 'List tickets by column, then rank',
    request: { query: ListTicketsQuery },
    responses: {
      200: { description: 'A page of tickets', content: json(TicketPage) },
      400: problemResponse('Bad query'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/tickets',
    summary: 'Create a ticket at the top of its column',
    request: {
      headers: ifMatch.pick({ 'x-client-id': true, 'x-actor-name': true }),
      body: { content: json(CreateTicketBody) },
    },
    responses: {
      201: { description: 'Created', content: json(ticket) },
      400: problemResponse('Invalid body'),
      413: problemResponse('Body too large'),
      415: problemResponse('Body is not JSON'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/tickets/{id}',
    request: { params: idParams },
    responses: {
      200: { description: 'The ticket; ETag is its version', content: json(ticket) },
      404: problemResponse('No such ticket'),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/api/tickets/{id}',
    summary: 'Change fields; a status change puts the ticket at the top of its new column',
    request: { params: idParams, headers: ifMatch, body: { content: json(PatchTicketBody) } },
    responses: { 200: { description: 'The changed ticket', content: json(ticket) }, ...writeErrors },
  });
  registry.registerPath({
    method: 'post',
    path: '/api/tickets/{id}/move',
    summary: 'Place a ticket in a column before or after a neighbour, or at its bottom',
    request: { params: idParams, headers: ifMatch, body: { content: json(MoveTicketBody) } },
    responses: { 200: { description: 'The moved ticket', content: json(ticket) }, ...writeErrors },
  });
  registry.registerPath({
    method: 'delete',
    path: '/api/tickets/{id}',
    request: { params: idParams, headers: ifMatch },
    responses: { 204: { description: 'Deleted' }, ...writeErrors },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/tickets/{id}/history',
    summary: 'Audit trail, oldest first; kept after the ticket is deleted',
    request: { params: idParams },
    responses: {
      200: { description: 'History', content: json(z.array(HistoryEntry)) },
      404: problemResponse('Never existed'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/board',
    summary: 'The whole board at one instant, with the seq of the last event it reflects',
    responses: { 200: { description: 'Board', content: json(BoardSnapshot) } },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/events',
    summary: 'Board events after a seq, for a client catching up',
    request: { query: EventsQuery },
    responses: {
      200: { description: 'Events in seq order', content: json(EventsPage) },
      400: problemResponse('Bad query'),
      410: problemResponse('Too far behind: reload /api/board'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/health',
    summary: 'Liveness and readiness',
    responses: {
      200: { description: 'Ready', content: json(z.object({ status: z.literal('ok') }).loose()) },
      503: {
        description: 'A dependency is down',
        content: json(z.object({ status: z.literal('unavailable') }).loose()),
      },
    },
  });

  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'TicketDesk API', version: '1.0.0', description: 'Realtime incident-ticket board' },
  });
}
