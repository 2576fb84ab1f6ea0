import { describe, expect, it } from 'vitest';
import { rankAtTop, rankBetween } from './rank.js';

describe('ranks', () => {
  it('orders by plain string comparison', () => {
    const middle = rankBetween(null, null);
    const top = rankAtTop(middle);
    const below = rankBetween(middle, null);
    const between = rankBetween(top, middle);
    expect([below, middle, between, top].sort()).toEqual([top, between, middle, below]);
  });

  it('keeps finding room between close neighbours without growing fast', () => {
    let lower = rankBetween(null, null);
    const upper = rankBetween(lower, null);
    for (let i = 0; i < 200; i++) {
      const next = rankBetween(lower, upper);
      expect(lower < next && next < upper).toBe(true);
      lower = next;
    }
    expect(lower.length).toBeLessThan(60);
  });

  it('refuses neighbours out of order', () => {
    expect(() => rankBetween('b', 'a')).toThrow();
  });
});
