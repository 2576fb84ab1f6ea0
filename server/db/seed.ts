import { RequestContext, type MikroORM } from '@mikro-orm/postgresql';
import type { NewTicket, TicketService } from '../tickets/ticket.service.js';

const SAMPLE_TICKETS: NewTicket[] = [
  {
    title: 'Checkout API returning 502 for EU customers',
    description: 'Error rate on /checkout jumped to 18% at 09:12 UTC in eu-west. Load balancer shows upstream resets.',
    priority: 'critical',
    status: 'in_progress',
  },
  {
    title: 'Password reset emails delayed by 20+ minutes',
    description: 'Mail queue depth is growing; provider reports throttling on our sending domain.',
    priority: 'high',
    status: 'open',
  },
  {
    title: 'Nightly billing export failed',
    description: 'Job exited with "disk quota exceeded" on the export volume.',
    priority: 'high',
    status: 'open',
  },
  {
    title: 'VPN drops every 30 minutes for the Lisbon office',
    description: 'Several people report reconnects; started after the firewall firmware update.',
    priority: 'medium',
    status: 'in_progress',
  },
  {
    title: 'Dashboard charts show no data for yesterday',
    description: 'Metrics pipeline lagging; backfill may be needed.',
    priority: 'medium',
    status: 'open',
  },
  {
    title: 'Certificate for status page expires in 5 days',
    description: 'Auto-renewal did not run; renew and check the cron.',
    priority: 'high',
    status: 'open',
  },
  { title: 'Printer on floor 3 out of toner', description: '', priority: 'low', status: 'open' },
  {
    title: 'Slow search on the help center',
    description: 'p95 latency up from 300 ms to 1.8 s after the index rebuild.',
    priority: 'medium',
    status: 'in_progress',
  },
  {
    title: 'Rotate leaked CI token',
    description: 'Token was printed in a public build log. Revoked; confirm no use since.',
    priority: 'critical',
    status: 'closed',
  },
  {
    title: 'New hire laptop setup for Dana',
    description: 'Standard engineering image plus design tools.',
    priority: 'low',
    status: 'closed',
  },
  {
    title: 'Database replica lag alerts',
    description: 'Replica lag peaked at 45 s during the reporting job window.',
    priority: 'medium',
    status: 'closed',
  },
];

/** Adds a sample board. With `onlyIfNew`, only to a database that has never had a ticket. */
export async function seedSampleTickets(
  tickets: TicketService,
  orm: MikroORM,
  options: { onlyIfNew: boolean },
): Promise<number> {
  return RequestContext.create(orm.em, async () => {
    if (options.onlyIfNew) {
      const [row] = await orm.em.execute<{ value: string }[]>('select value from board_seq');
      if (Number(row?.value ?? 0) > 0) return 0;
    }
    // Created in reverse so that each column reads top-down in the order above.
    for (const ticket of [...SAMPLE_TICKETS].reverse()) await tickets.create(ticket, { origin: 'seed' });
    return SAMPLE_TICKETS.length;
  });
}
