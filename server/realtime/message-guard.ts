import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ClientToServerEvents } from '../../shared/events.js';
import { refuse } from './refusal.js';
import type { BoardSocket } from './types.js';

const KNOWN_EVENTS = new Set<string>(['presence:update'] satisfies (keyof ClientToServerEvents)[]);
const RATE_WINDOW_SECONDS = 10;

export interface MessageLimits {
  maxMessageBytes: number;
  messagesPer10s: number;
}

/**
 * The checks every incoming socket message passes before its handler sees it:
 * a known event, a payload within the size cap, and the sender's rate.
 * Each refusal is a `message:refused`; a flood gets one per rate window.
 */
export function createMessageGuard(limits: MessageLimits) {
  const limiter = new RateLimiterMemory({ points: limits.messagesPer10s, duration: RATE_WINDOW_SECONDS });

  return function guard(socket: BoardSocket): void {
    let floodNoticeUntil = 0;
    socket.use(([event, ...args], next) => {
      limiter.consume(socket.data.clientId).then(
        () => {
          if (!KNOWN_EVENTS.has(event)) {
            refuse(socket, {
              event,
              status: 400,
              title: 'Unknown event',
              detail: `the board does not take "${event}"`,
            });
            return;
          }
          const bytes = Buffer.byteLength(JSON.stringify(args));
          if (bytes > limits.maxMessageBytes) {
            refuse(socket, {
              event,
              status: 413,
              title: 'Message too large',
              detail: `the message is ${bytes} bytes; the limit is ${limits.maxMessageBytes}`,
            });
            return;
          }
          next();
        },
        (rejection: unknown) => {
          if (!(rejection instanceof RateLimiterRes)) {
            next(rejection instanceof Error ? rejection : new Error(String(rejection)));
            return;
          }
          if (Date.now() < floodNoticeUntil) return;
          floodNoticeUntil = Date.now() + rejection.msBeforeNext;
          refuse(socket, {
            event,
            status: 429,
            title: 'Too many messages',
            detail: `at most ${limits.messagesPer10s} messages per ${RATE_WINDOW_SECONDS} s; try again in ${Math.ceil(rejection.msBeforeNext / 1000)} s`,
          });
        },
      );
    });
  };
}
