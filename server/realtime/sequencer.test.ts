import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BoardEvent } from '../../shared/events.js';
import { createSequencer } from './sequencer.js';

const deleted = (seq: number): BoardEvent => ({ type: 'ticket.deleted', seq, at: new Date(0).toISOString(), id: seq });

describe('sequencer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lets an event overtaken by a later one go first', () => {
    const sent: number[] = [];
    const sequencer = createSequencer((event) => sent.push(event.seq), 100);
    for (const seq of [1, 3, 4, 2, 5]) sequencer.publish(deleted(seq));
    expect(sent).toEqual([1, 2, 3, 4, 5]);
  });

  it('sends held events after the hold time when their predecessor never comes, and late ones at once', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const sequencer = createSequencer((event) => sent.push(event.seq), 100);
    sequencer.publish(deleted(7));
    sequencer.publish(deleted(10));
    sequencer.publish(deleted(9));
    expect(sent).toEqual([7]);
    vi.advanceTimersByTime(100);
    expect(sent).toEqual([7, 9, 10]);
    sequencer.publish(deleted(8));
    sequencer.publish(deleted(11));
    expect(sent).toEqual([7, 9, 10, 8, 11]);
  });

  it('passes everything straight through with no hold time', () => {
    const sent: number[] = [];
    const sequencer = createSequencer((event) => sent.push(event.seq), 0);
    for (const seq of [1, 3, 2]) sequencer.publish(deleted(seq));
    expect(sent).toEqual([1, 3, 2]);
  });

  it('flushes what it holds when closed', () => {
    const sent: number[] = [];
    const sequencer = createSequencer((event) => sent.push(event.seq), 100);
    sequencer.publish(deleted(1));
    sequencer.publish(deleted(3));
    sequencer.close();
    expect(sent).toEqual([1, 3]);
  });
});
