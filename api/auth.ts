import type { Coordinator } from '../prisma/generated/client';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor';
import { AccessTokenSchema } from '../domain/requests';
import { authenticateCoordinator } from '../store/coordinators';
import type { Database } from '../store/database';
import { findPromiseOf } from '../store/promises';
import { HttpError } from './errors';

declare module 'fastify' {
  interface FastifyRequest {
    /** The coordinator behind the API key, on routes with config.auth. */
    coordinator?: Coordinator;
  }
}

/**
 * Routes with config.auth need a coordinator's API key, checked before the body is even read (a
 * caller without one learns nothing of what the route would accept) and after the rate limit (which
 * counts guessed keys too).
 */
export function requireApiKeys(app: FastifyInstance, db: Database) {
  app.decorateRequest('coordinator', undefined);
  app.addHook('preParsing', async (request) => {
    if (!request.routeOptions.config?.auth) return;
    const key = bearerKey(request);
    if (!key) throw new HttpError('UNAUTHENTICATED', 'Ange samordnarens API-nyckel som "Authorization: Bearer <nyckel>".');
    const coordinator = await authenticateCoordinator(db, key);
    if (!coordinator) throw new HttpError('UNAUTHENTICATED', 'API-nyckeln är okänd eller återkallad.');
    request.coordinator = coordinator;
  });
}

const bearerKey = (request: FastifyRequest) => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];

/** The coordinator behind the request's API key, where one is optional (e.g. /health's details). */
export async function optionalCoordinator(db: Database, request: FastifyRequest): Promise<Coordinator | undefined> {
  const key = bearerKey(request);
  return key ? ((await authenticateCoordinator(db, key)) ?? undefined) : undefined;
}

/** The coordinator of a route with config.auth. */
export function coordinatorOf(request: FastifyRequest): Coordinator {
  if (!request.coordinator) throw new Error(`${request.routeOptions.url} saknar config.auth`);
  return request.coordinator;
}

export function actorOf(request: FastifyRequest, kind: Actor['kind'], id: string): Actor {
  const userAgent = request.headers['user-agent'];
  return { kind, id, ipAddress: request.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 500) } : {}) };
}

/**
 * The caller and a promise they may run (their own, or one their municipality's or police area's
 * organisation runs); 404 for any other (its existence is not revealed).
 */
export async function requirePromiseAccess(db: Database, request: FastifyRequest & { params: { id: string } }) {
  const coordinator = coordinatorOf(request);
  const { id } = request.params;
  const promise = await findPromiseOf(db, coordinator.id, id);
  if (!promise) throw new HttpError('NOT_FOUND', `Löftet ${id} finns inte.`);
  return { coordinator, promise, actor: actorOf(request, 'COORDINATOR', coordinator.id) };
}

/** What a personal link in an e-mail grants, or undefined for an unknown or malformed link. */
export async function accessFromLink<T>(request: FastifyRequest, find: (token: string) => Promise<T | undefined>) {
  const parsed = AccessTokenSchema.safeParse((request.params as { token?: string }).token);
  return parsed.success ? find(parsed.data) : undefined;
}
