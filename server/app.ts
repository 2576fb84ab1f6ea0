import { createServer, type Server as HttpServer } from 'node:http';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RequestContext, type MikroORM } from '@mikro-orm/postgresql';
import express, { type Express } from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Config } from './config.js';
import { HttpProblem } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { originPolicy } from './http/origin.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { createRealtime, type BoardServer } from './realtime/realtime.js';
import { ticketRoutes } from './tickets/ticket.routes.js';
import { TicketService } from './tickets/ticket.service.js';

export interface AppDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  /** Built board to serve at `/`; skipped when absent. */
  webDir?: string;
}

export interface TicketDeskApp {
  app: Express;
  httpServer: HttpServer;
  io: BoardServer;
  tickets: TicketService;
  /** Resolves once realtime is ready (Redis connected, when used): listen only after it. */
  ready: Promise<void>;
  /** Stops taking connections, lets requests in flight finish (and publish), stops realtime; the caller closes the ORM. */
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export function createApp({ orm, config, logger, webDir }: AppDeps): TicketDeskApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  const httpServer = createServer(app);
  const realtime = createRealtime(httpServer, config, logger);
  const tickets = new TicketService(orm, (event) => realtime.publish(event), config.EVENT_REPLAY_WINDOW);

  // Express's own ETag hashes every body; ticket responses carry their version as ETag instead.
  app.set('etag', false);
  if (logger.isLevelEnabled('debug')) {
    app.use(
      pinoHttp({ logger, customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : 'debug') }),
    );
  }
  // Page security headers for the board; JSON answers need only nosniff (no HTML is ever rendered from them).
  const pageHeaders = helmet({
    // TLS is the proxy's business: no forced https on a plain-http install.
    strictTransportSecurity: false,
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });

  const api = express.Router();
  const parseJson = express.json({ limit: config.BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] });
  api.use(originPolicy(config.CORS_ORIGINS));
  api.use((req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    // Reads are plain SQL: no body to parse and no unit of work to set up.
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (
      WRITE_METHODS.has(req.method) &&
      (hasBody || req.get('content-type')) &&
      !req.is(['application/json', 'application/*+json'])
    ) {
      next(new HttpProblem(415, 'Unsupported media type', 'send the request body as application/json'));
      return;
    }
    parseJson(req, res, (error?: unknown) => {
      if (error) {
        next(error);
        return;
      }
      // A write with no body at all still needs an object to validate against.
      req.body ??= {};
      RequestContext.create(orm.em, next);
    });
  });

  api.get('/health', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await orm.em.fork().execute('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'unavailable';
    }
    const redis = await realtime.redisHealth();
    if (redis) checks.redis = redis;
    const ok = Object.values(checks).every((state) => state === 'ok');
    res.setHeader('Cache-Control', 'no-store');
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', ...checks });
  });
  const openApi = openApiDocument();
  api.get('/openapi.json', (_req, res) => {
    res.json(openApi);
  });
  api.use(ticketRoutes(tickets));
  api.use(notFoundHandler);
  api.use(problemHandler(logger));
  app.use('/api', api);

  if (webDir && existsSync(path.join(webDir, 'index.html'))) {
    app.use(pageHeaders);
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    app.get('/{*splat}', (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(webDir, 'index.html'));
    });
  }
  app.use(problemHandler(logger));

  const close = async () => {
    const drained = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    realtime.dropConnections();
    httpServer.closeIdleConnections();
    await drained;
    await realtime.close();
  };
  return { app, httpServer, io: realtime.io, tickets, ready: realtime.ready, close };
}
