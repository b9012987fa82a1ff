import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import type { LocalMailbox } from '../platform/embedded/mailbox';
import type { Mailer } from '../platform/mailer';
import type { Database } from '../store/database';
import type { EngineClient } from './commands';
import { errorHandler, HttpError } from './errors';
import { ApiRegistry } from './openapi';
import { healthRoutes } from './routes/health';
import { pageRoutes } from './routes/pages';
import { promiseRoutes } from './routes/promises';
import { reportRoutes } from './routes/report';
import { signingRoutes } from './routes/signing';
import { yearRoutes } from './routes/year';

export interface ApiDeps {
  db: Database;
  engine: EngineClient;
  mailer: Mailer;
  publicBaseUrl: string;
  /** Only in embedded mode: the local mailbox shown at /dev/mailbox. */
  mailbox?: LocalMailbox;
  logLevel?: string;
}

export async function buildServer(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logLevel ? { level: deps.logLevel } : false,
    bodyLimit: 1_000_000,
    trustProxy: true,
  });
  await app.register(formbody);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) =>
    errorHandler(new HttpError('NOT_FOUND', `Ingen sida eller resurs på ${request.method} ${request.url}.`), request, reply),
  );
  const registry = new ApiRegistry();
  pageRoutes(app, deps, registry);
  healthRoutes(app, deps, registry);
  promiseRoutes(app, deps, registry);
  signingRoutes(app, deps, registry);
  yearRoutes(app, deps, registry);
  reportRoutes(app, deps, registry);
  return app;
}
