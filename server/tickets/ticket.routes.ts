import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { EventsQuery } from '../../shared/events.js';
import {
  ActorName,
  ClientId,
  CreateTicketBody,
  ListTicketsQuery,
  MoveTicketBody,
  PatchTicketBody,
  TicketId,
  type Ticket,
} from '../../shared/ticket.js';
import { ValidationProblem } from '../http/errors.js';
import { sendJson } from '../http/send-json.js';
import { parseInput } from '../http/validate.js';
import type { TicketService, WriteContext } from './ticket.service.js';

const IdParams = z.strictObject({ id: TicketId });

function ticketId(req: Request): number {
  return parseInput(IdParams, req.params, 'params').id;
}

/** `If-Match: "3"` (or `W/"3"`) makes a write conditional on version 3; `*` only asks that the ticket exists. */
function expectedVersion(req: Request): number | undefined {
  const header = req.get('if-match');
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  if (!match) {
    throw new ValidationProblem('If-Match must be the ticket\'s ETag, like "3"', [
      { path: 'If-Match', message: 'must be an ETag like "3"' },
    ]);
  }
  return Number(match[1]);
}

function writeContext(req: Request): WriteContext {
  const clientId = req.get('x-client-id');
  const origin = clientId === undefined ? undefined : parseInput(ClientId, clientId, 'headers');
  const version = expectedVersion(req);
  const actorName = req.get('x-actor-name');
  const name = actorName === undefined ? undefined : parseInput(ActorName, actorName, 'headers');
  return {
    ...(origin === undefined ? {} : { origin }),
    ...(name === undefined ? {} : { actor: { id: null, name } }),
    ...(version === undefined ? {} : { expectedVersion: version }),
  };
}

function sendTicket(req: Request, res: Response, ticket: Ticket, status = 200): void {
  sendJson(req, res, ticket, { status, etag: `"${ticket.version}"` });
}

/** HTTP only: parse with the shared schemas, call the service, map the result. */
export function ticketRoutes(tickets: TicketService): Router {
  const router = Router();

  router.get('/tickets', async (req, res) => {
    sendJson(req, res, await tickets.list(parseInput(ListTicketsQuery, req.query, 'query')));
  });

  router.post('/tickets', async (req, res) => {
    const context = writeContext(req);
    const ticket = await tickets.create(parseInput(CreateTicketBody, req.body, 'body'), context);
    res.setHeader('Location', `/api/tickets/${ticket.id}`);
    sendTicket(req, res, ticket, 201);
  });

  router.get('/tickets/:id', async (req, res) => {
    sendTicket(req, res, await tickets.get(ticketId(req)));
  });

  router.patch('/tickets/:id', async (req, res) => {
    const id = ticketId(req);
    const context = writeContext(req);
    sendTicket(req, res, await tickets.update(id, parseInput(PatchTicketBody, req.body, 'body'), context));
  });

  router.post('/tickets/:id/move', async (req, res) => {
    const id = ticketId(req);
    const context = writeContext(req);
    sendTicket(req, res, await tickets.move(id, parseInput(MoveTicketBody, req.body, 'body'), context));
  });

  router.delete('/tickets/:id', async (req, res) => {
    const id = ticketId(req);
    await tickets.remove(id, writeContext(req));
    res.status(204).end();
  });

  router.get('/tickets/:id/history', async (req, res) => {
    res.json(await tickets.history(ticketId(req)));
  });

  router.get('/board', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    sendJson(req, res, await tickets.board());
  });

  router.get('/events', async (req, res) => {
    const query = parseInput(EventsQuery, req.query, 'query');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await tickets.eventsAfter(query.after, query.limit));
  });

  return router;
}
