import { describe, expect, it } from 'vitest';
import { CreateTicketBody, ListTicketsQuery, MoveTicketBody, PatchTicketBody } from './ticket.js';

describe('ticket schemas', () => {
  it('trims titles and fills defaults on create', () => {
    expect(CreateTicketBody.parse({ title: '  Outage  ' })).toEqual({
      title: 'Outage',
      description: '',
      priority: 'medium',
      status: 'open',
    });
  });

  it('rejects unknown fields, empty patches and moves naming both neighbours', () => {
    expect(CreateTicketBody.safeParse({ title: 'x', owner: 'me' }).success).toBe(false);
    expect(PatchTicketBody.safeParse({}).success).toBe(false);
    expect(MoveTicketBody.safeParse({ status: 'open', beforeId: 1, afterId: 2 }).success).toBe(false);
    expect(MoveTicketBody.parse({ status: 'closed', afterId: '7' })).toEqual({ status: 'closed', afterId: 7 });
  });

  it('reads list filters given repeated or as comma lists, without duplicates', () => {
    expect(ListTicketsQuery.parse({ status: ['open', 'closed,open'], priority: 'high,low' })).toMatchObject({
      status: ['open', 'closed'],
      priority: ['high', 'low'],
      limit: 100,
    });
    expect(ListTicketsQuery.safeParse({ limit: '501' }).success).toBe(false);
  });
});
