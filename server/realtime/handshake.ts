import type { IncomingMessage } from 'node:http';
import { HandshakeAuth } from '../../shared/events.js';
import { isAllowedOrigin } from '../http/origin.js';
import { colorFor, defaultName } from './presence.js';
import type { BoardSocket } from './types.js';

/** Engine-level gate: a browser on a foreign origin never gets a connection. */
export function originGate(allowed: readonly string[]) {
  return (request: IncomingMessage, callback: (error: string | null | undefined, success: boolean) => void) => {
    const origin = request.headers.origin;
    const ok = origin === undefined || isAllowedOrigin(origin, request.headers.host, allowed);
    callback(ok ? null : `origin ${origin} is not allowed; add it to CORS_ORIGINS`, ok);
  };
}

export class HandshakeError extends Error {
  readonly data: { status: number; title: string; detail: string };
  constructor(detail: string) {
    super(detail);
    this.data = { status: 400, title: 'Invalid handshake', detail };
  }
}

/** Namespace middleware: validates `auth` and gives the socket its presence entry. */
export function acceptHandshake(socket: BoardSocket, next: (error?: Error) => void): void {
  const parsed = HandshakeAuth.safeParse(socket.handshake.auth ?? {});
  if (!parsed.success) {
    const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'auth'}: ${issue.message}`).join('; ');
    next(new HandshakeError(`auth ${detail}`));
    return;
  }
  const { clientId, name, viewing } = parsed.data;
  socket.data = { clientId, name: name ?? defaultName(clientId), color: colorFor(clientId), viewing: viewing ?? null };
  next();
}
