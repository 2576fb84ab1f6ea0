import type { Request, Response } from 'express';

/**
 * Writes a JSON answer straight to the socket. Express's res.json re-parses
 * the content type and checks freshness on every call, a large share of a
 * small read's cost; here the only conditional case, a GET whose
 * If-None-Match names the current ETag, answers 304.
 */
export function sendJson(
  req: Request,
  res: Response,
  body: unknown,
  options: { status?: number; etag?: string } = {},
): void {
  if (options.etag !== undefined) {
    res.setHeader('ETag', options.etag);
    if (req.method === 'GET' && req.headers['if-none-match']?.split(/\s*,\s*/).includes(options.etag)) {
      res.statusCode = 304;
      res.end();
      return;
    }
  }
  const json = JSON.stringify(body);
  res.statusCode = options.status ?? 200;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
