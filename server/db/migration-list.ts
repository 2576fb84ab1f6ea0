import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261204000000_tickets_and_event_log } from './migrations/Migration20261204000000_tickets_and_event_log.js';

/** Imported statically so that tsx, Vitest and the compiled build all load the same migrations. */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261204000000_tickets_and_event_log', class: Migration20261204000000_tickets_and_event_log },
];
