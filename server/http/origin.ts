import cors from 'cors';
import type { RequestHandler } from 'express';
import { HttpProblem } from './errors.js';

/** True when `origin` is this server's own (same host) or one of the allowed origins. */
export function isAllowedOrigin(origin: string, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.includes(origin)) return true;
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

/**
 * CORS for the origins in CORS_ORIGINS, and a 403 for any other foreign
 * origin, so that a page elsewhere can neither read nor write.
 */
export function originPolicy(allowed: readonly string[]): RequestHandler {
  const corsHandler = cors({
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.includes(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Content-Type', 'If-Match', 'X-Client-Id', 'X-Actor-Name'],
    exposedHeaders: ['ETag', 'Location', 'Retry-After'],
    maxAge: 600,
  });
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined) {
      // Scripts and same-origin GETs send no Origin: nothing to check, and no CORS work on the hot path.
      if (allowed.length) res.setHeader('Vary', 'Origin');
      next();
      return;
    }
    if (!isAllowedOrigin(origin, req.get('host'), allowed)) {
      next(new HttpProblem(403, 'Forbidden', `origin ${origin} is not allowed; add it to CORS_ORIGINS`));
      return;
    }
    corsHandler(req, res, next);
  };
}
