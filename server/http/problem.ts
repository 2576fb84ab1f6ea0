import { randomUUID } from 'node:crypto';
import { ConnectionException, LockWaitTimeoutException } from '@mikro-orm/postgresql';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { HttpProblem, NotFoundProblem, UnavailableProblem } from './errors.js';

const PROBLEM_TYPES: Record<number, string> = {
  400: 'validation',
  404: 'not-found',
  410: 'gone',
  412: 'precondition-failed',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'unavailable',
};

export function sendProblem(res: Response, problem: HttpProblem): void {
  for (const [name, value] of Object.entries(problem.extra.headers ?? {})) res.setHeader(name, value);
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `/problems/${PROBLEM_TYPES[problem.status] ?? 'error'}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(problem.extra.errors ? { errors: problem.extra.errors } : {}),
      ...(problem.extra.current ? { current: problem.extra.current } : {}),
    });
}

// SQLSTATEs meaning "try again shortly": 08 connection, 53 out of resources, 57014 statement timeout,
// 57P0x shutdown or starting up, 40001/40P01 serialization failure or deadlock.
const UNAVAILABLE_CODES = /^(08|53|57014|57P0|40001|40P01)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/** True for errors that say the database is away (down, restarting, waking up, pool exhausted), not that the request is wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ConnectionException || error instanceof LockWaitTimeoutException) return true;
  const candidates = [error, (error as { cause?: unknown })?.cause, (error as { previous?: unknown })?.previous];
  return candidates.some((candidate) => {
    if (!candidate || typeof candidate !== 'object') return false;
    const { code, name, message } = candidate as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (UNAVAILABLE_CODES.test(code) || NETWORK_CODES.has(code))) return true;
    if (name === 'KnexTimeoutError') return true;
    return (
      typeof message === 'string' &&
      /Connection terminated|connection timeout|Timeout acquiring a connection|Client has encountered a connection error|Transaction query already complete/i.test(
        message,
      )
    );
  });
}

const BODY_PARSER_PROBLEMS: Record<string, (error: { limit?: number; message: string }) => HttpProblem> = {
  'entity.too.large': (e) =>
    new HttpProblem(413, 'Payload too large', `the request body is larger than the ${e.limit ?? ''} bytes allowed`),
  'entity.parse.failed': () =>
    new HttpProblem(400, 'Invalid request', 'the request body is not valid JSON', {
      errors: [{ path: 'body', message: 'is not valid JSON' }],
    }),
  'encoding.unsupported': (e) => new HttpProblem(415, 'Unsupported media type', e.message),
  'charset.unsupported': (e) => new HttpProblem(415, 'Unsupported media type', e.message),
};

export const notFoundHandler: RequestHandler = (req, _res, next) => {
  next(new NotFoundProblem(`there is no ${req.method} ${req.path}`));
};

export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    if (error instanceof HttpProblem) {
      sendProblem(res, error);
      return;
    }
    const bodyParserType = (error as { type?: unknown })?.type;
    if (typeof bodyParserType === 'string' && bodyParserType in BODY_PARSER_PROBLEMS) {
      sendProblem(res, BODY_PARSER_PROBLEMS[bodyParserType]!(error as { limit?: number; message: string }));
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, path: req.path }, 'database unavailable');
      sendProblem(res, new UnavailableProblem('the database is unavailable right now; retry shortly'));
      return;
    }
    const correlationId = randomUUID();
    logger.error({ err: error, correlationId, method: req.method, path: req.path }, 'unhandled error');
    sendProblem(
      res,
      new HttpProblem(500, 'Internal server error', `something went wrong on our side; reference ${correlationId}`),
    );
  };
}
