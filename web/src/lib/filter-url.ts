import { TICKET_PRIORITIES, type TicketPriority } from '../../../shared/ticket.js';
import type { BoardFilter } from './board.svelte.js';

/** `?q=disk&priority=high,critical` ⇄ the board filter, so a filtered board can be shared or reloaded. */
export function filterFromSearch(search: string): BoardFilter {
  const params = new URLSearchParams(search);
  const priorities = (params.get('priority') ?? '')
    .split(',')
    .filter((value): value is TicketPriority => (TICKET_PRIORITIES as readonly string[]).includes(value));
  return { text: params.get('q') ?? '', priorities: [...new Set(priorities)] };
}

export function searchWithFilter(search: string, filter: BoardFilter): string {
  const params = new URLSearchParams(search);
  if (filter.text.trim()) params.set('q', filter.text);
  else params.delete('q');
  if (filter.priorities.length) params.set('priority', filter.priorities.join(','));
  else params.delete('priority');
  const text = params.toString();
  return text ? `?${text}` : '';
}
