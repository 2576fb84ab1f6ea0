import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../shared/ticket.js';
import { locate } from './drag.svelte.js';

const card = (id: number) => ({ id }) as Ticket;

describe('locate', () => {
  it('names the upper neighbour, or the lower one for the first card, or none in an empty column', () => {
    const columns = { open: [card(1), card(2), card(3)], in_progress: [card(4), card(5)], closed: [card(6)] };
    expect(locate(columns, 2)).toEqual({ status: 'open', afterId: 1 });
    expect(locate(columns, 4)).toEqual({ status: 'in_progress', beforeId: 5 });
    expect(locate(columns, 6)).toEqual({ status: 'closed' });
    expect(locate(columns, 99)).toBeNull();
  });
});
