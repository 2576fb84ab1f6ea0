export * from './ticket.js';
export * from './events.js';
