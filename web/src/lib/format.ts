import type { TicketPriority, TicketStatus } from '../../../shared/ticket.js';

export const STATUS_LABEL: Record<TicketStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  closed: 'Closed',
};

export const PRIORITY_LABEL: Record<TicketPriority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Compact age for a card: "now", "5m", "3h", "2d", "6w". */
export function shortAge(iso: string, now: number): string {
  const elapsed = Math.max(0, now - Date.parse(iso));
  if (elapsed < MINUTE) return 'now';
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  if (elapsed < DAY) return `${Math.floor(elapsed / HOUR)}h`;
  if (elapsed < 14 * DAY) return `${Math.floor(elapsed / DAY)}d`;
  return `${Math.floor(elapsed / (7 * DAY))}w`;
}

export function longAge(iso: string, now: number): string {
  const age = shortAge(iso, now);
  if (age === 'now') return 'just now';
  const unit = { m: 'minute', h: 'hour', d: 'day', w: 'week' }[age.slice(-1)] ?? '';
  const count = Number(age.slice(0, -1));
  return `${count} ${unit}${count === 1 ? '' : 's'} ago`;
}

export function dateTime(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
