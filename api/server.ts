import multipart from '@fastify/multipart';
import type { RetentionPolicy } from '../domain/retention';
import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { INVALID_PERCENT_ENCODING } from '../domain/input-encoding';
import type { SessionPolicy } from '../domain/sessions';
import type { RateLimits } from '../platform/config';
import type { LocalMailbox } from '../platform/embedded/mailbox';
import type { Mailer } from '../platform/mailer';
import type { Metrics } from '../platform/metrics';
import type { Outbound } from '../platform/outbound';
import type { Database } from '../store/database';
import { requireApiKeys } from './auth';
import type { EngineClient } from './commands';
import { registerBodyParsers } from './body-parsers';
import { errorHandler, HttpError, sendError } from './errors';
import { apiKeyRoutes } from './routes/api-keys';
import { colleagueRoutes } from './routes/colleagues';
import { webhookRoutes } from './routes/webhooks';
import { webhookDocs } from './webhook-docs';
import { rightsRoutes } from './routes/rights';
import { appRoutes } from './routes/app';
import { appEditorRoutes } from './routes/app-editor';
import { appPromiseRoutes } from './routes/app-promise';
import { healthRoutes } from './routes/health';
import { pageRoutes } from './routes/pages';
import { promiseRoutes } from './routes/promises';
import { calendarRoutes } from './routes/calendars';
import { publicRoutes } from './routes/public';
import { reportRoutes } from './routes/report';
import { signingRoutes } from './routes/signing';
import { yearRoutes } from './routes/year';
import { observeRequests } from './metrics';
import { completeRoutes, RouteTable, type Api } from './routing';
import { registerSessions } from './session';
import { refuseUnstorableText } from './unstorable-text';
import { sharedRateLimits } from './rate-limit-store';
import { MAX_UPLOAD_BYTES } from './verify';

export interface ApiDeps {
  db: Database;
  engine: EngineClient;
  mailer: Mailer;
  publicBaseUrl: string;
  /** The installation's secret (LINK_SECRET): the same as the worker's, so an erased address has the same pseudonym. */
  linkSecret: string;
  /** Only in embedded mode: the local mailbox shown at /dev/mailbox. */
  mailbox?: LocalMailbox;
  /** Request logs go here (platform/logger.ts); none without one. */
  logger?: Logger;
  /** Which proxies to believe about the client's address (TRUST_PROXY); none by default. */
  trustProxy?: number | string[] | false;
  rateLimits: RateLimits;
  /**
   * Count against the limits in the database, so that they hold across API processes (production);
   * without, each process counts for itself (npm start's one process).
   */
  sharedRateLimits?: boolean;
  /** How long coordinators stay signed in in the browser, and how long a sign-in link works. */
  sessionPolicy?: SessionPolicy;
  /** The installation's retention limits (RETENTION_*), which an organisation may shorten; the defaults without. */
  retention?: RetentionPolicy;
  /** Where every answer is counted (platform/metrics.ts); nowhere without one. */
  metrics?: Metrics;
  /** BankID is on (the worker has its client): where an autostart link opens the app. Absent: no one signs with BankID. */
  bankId?: { appUrl: string };
  /** Where a webhook receiver's address may lead (platform/outbound.ts); public addresses only by default. */
  outbound?: Outbound;
}

/** Which limit a request counts against: a link page, a post through a link, or the rest. */
function rateClass(request: FastifyRequest): keyof RateLimits {
  if (!request.routeOptions.config?.link || request.routeOptions.config.polled) return 'api';
  return request.method === 'POST' ? 'linkPosts' : 'linkPages';
}

/** A hop count (the nearest n proxies are ours) or the proxies' addresses. */
const trustedProxies = (setting: number | string[] | false) =>
  typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;

/** The answer's Content-Security-Policy: the pages load nothing but their own stylesheet and script, and no one may frame them. */
const CSP_DIRECTIVES = {
  defaultSrc: ["'none'"],
  styleSrc: ["'self'"],
  // Only the BankID page's own script, and its note to the server that the person left.
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
  imgSrc: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
  baseUri: ["'none'"],
};

/** One line per request, when it is answered, with what was asked (Fastify writes one on arrival too). */
class OneLinePerRequest extends LogController {
  override incomingRequest() {}
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const line = { req: request, res: { statusCode: reply.statusCode }, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

const BODY_LIMIT = 1_000_000;
const RATE_WINDOW_MS = 60_000;

export async function buildServer(deps: ApiDeps): Promise<Api> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger | undefined,
    bodyLimit: BODY_LIMIT,
    // A path Fastify cannot decode (%ff) is answered in the product's error format, not Fastify's.
    frameworkErrors: (error, request, reply) =>
      sendError(
        request,
        reply,
        error.code === 'FST_ERR_BAD_URL'
          ? new HttpError('VALIDATION', 'Adressen kunde inte tolkas.', [{ field: '(path)', problem: INVALID_PERCENT_ENCODING }])
          : new HttpError('VALIDATION', 'Anropet kunde inte tolkas.'),
      ),
    trustProxy: trustedProxies(deps.trustProxy ?? false),
    logController: new OneLinePerRequest(),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerBodyParsers(app, BODY_LIMIT);
  // Only the verify page takes a file: one PDF, small fields.
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6, fieldSize: 200_000 } });
  await app.register(helmet, {
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    referrerPolicy: { policy: 'no-referrer' },
    // For browsers that predate frame-ancestors: the same answer.
    frameguard: { action: 'deny' },
  });
  const shared = deps.sharedRateLimits
    ? sharedRateLimits({ db: deps.db, linkSecret: deps.linkSecret, windowMs: RATE_WINDOW_MS, logger: deps.logger })
    : undefined;
  if (shared) app.addHook('onClose', async () => shared.close());
  await app.register(rateLimit, {
    max: (request) => deps.rateLimits[rateClass(request)],
    timeWindow: RATE_WINDOW_MS,
    // With the database away a request goes on to its route, which answers for itself (503), not a 500 from here.
    ...(shared ? { store: shared.Store, skipOnError: true } : {}),
    keyGenerator: (request) => `${rateClass(request)}:${request.ip}`,
    allowList: (request) => request.routeOptions.config?.probe === true && request.headers.authorization === undefined,
    errorResponseBuilder: (_request, context) =>
      new HttpError('RATE_LIMITED', `För många anrop från din adress. Försök igen om ${Math.ceil(context.ttl / 1000)} sekunder.`),
  });
  if (deps.metrics) observeRequests(app, deps.metrics);
  // Pages behind a link, and the coordinators' answers, hold what no shared cache may keep.
  app.addHook('onSend', async (request, reply) => {
    const { config } = request.routeOptions;
    if (config?.link || config?.auth) reply.header('cache-control', 'no-store');
  });
  // After validation, an id in the path is a promise's: every later line about the request names it.
  app.addHook('preHandler', async (request, reply) => {
    const promiseId = (request.params as { id?: unknown } | undefined)?.id;
    if (typeof promiseId === 'string') request.log = reply.log = request.log.child({ promiseId });
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Medborgarlöften API',
        version: '0.2.0',
        description:
          'Samordnarens API för medborgarlöften: utkast, signering och livscykel. Felsvar har ett format (Error) och anger varje felaktigt fält.',
      },
      servers: [{ url: deps.publicBaseUrl }],
      components: { securitySchemes: { coordinatorToken: { type: 'http', scheme: 'bearer', description: 'Samordnarens API-nyckel' } } },
      webhooks: webhookDocs(),
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // Off for every route but the files meant for others, which turn it on (SHARED_CORS); before the
  // route table, so the plugin's catch-all OPTIONS route does not make every path look known.
  await app.register(cors, { origin: false });
  const routes = new RouteTable();
  completeRoutes(app, routes);
  app.decorate('pagePaths', routes.pages);
  requireApiKeys(app, deps.db);
  await registerSessions(app, deps);
  refuseUnstorableText(app);
  /** No route took the request: 405 with Allow for a known path, else 404. */
  const unrouted = (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    const allowed = routes.allowed(path);
    if (allowed) {
      reply.header('allow', allowed.join(', '));
      return sendError(
        request,
        reply,
        new HttpError('METHOD_NOT_ALLOWED', `${request.method} stöds inte här; använd ${allowed.join(' eller ')}.`),
      );
    }
    return sendError(request, reply, new HttpError('NOT_FOUND', `Ingen sida eller resurs på ${path}.`));
  };
  app.setNotFoundHandler(unrouted);
  // A method Fastify refuses before routing (e.g. QUERY without a body) is still one this path does not take.
  app.setErrorHandler((error, request, reply) =>
    request.routeOptions.url === undefined ? unrouted(request, reply) : errorHandler(error, request, reply),
  );

  pageRoutes(app, deps);
  healthRoutes(app, deps);
  promiseRoutes(app, deps);
  signingRoutes(app, deps);
  yearRoutes(app, deps);
  reportRoutes(app, deps);
  appRoutes(app, deps);
  appEditorRoutes(app, deps);
  appPromiseRoutes(app, deps);
  publicRoutes(app, deps);
  calendarRoutes(app, deps);
  apiKeyRoutes(app, deps);
  colleagueRoutes(app, deps);
  webhookRoutes(app, deps);
  rightsRoutes(app, deps);
  return app;
}
