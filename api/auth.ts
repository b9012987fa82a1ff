import type { Coordinator } from '@prisma/client';
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor';
import { AccessTokenSchema, PromiseIdParamsSchema } from '../domain/requests';
import { authenticateCoordinator } from '../store/coordinators';
import type { Database } from '../store/database';
import { HttpError, parseInput } from './errors';

/** The coordinator behind the request's Bearer token, or a 401. */
export async function requireCoordinator(db: Database, request: FastifyRequest): Promise<Coordinator> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) {
    throw new HttpError('UNAUTHENTICATED', 'Ange samordnarens API-nyckel som "Authorization: Bearer <nyckel>".');
  }
  const coordinator = await authenticateCoordinator(db, match[1]!);
  if (!coordinator) throw new HttpError('UNAUTHENTICATED', 'API-nyckeln är okänd eller återkallad.');
  return coordinator;
}

export function actorOf(request: FastifyRequest, kind: Actor['kind'], id: string): Actor {
  const userAgent = request.headers['user-agent'];
  return { kind, id, ipAddress: request.ip, ...(userAgent ? { userAgent: userAgent.slice(0, 500) } : {}) };
}

/** The caller and their own promise; 404 for another coordinator's (its existence is not revealed). */
export async function requireOwnPromise(db: Database, request: FastifyRequest) {
  const coordinator = await requireCoordinator(db, request);
  const { id } = parseInput(PromiseIdParamsSchema, request.params, 'sökvägen');
  const promise = await db.promiseRecord.findUnique({ where: { id } });
  if (!promise || promise.coordinatorId !== coordinator.id) throw new HttpError('NOT_FOUND', `Löftet ${id} finns inte.`);
  return { coordinator, promise, actor: actorOf(request, 'COORDINATOR', coordinator.id) };
}

/** What a personal link in an e-mail grants, or undefined for an unknown or malformed link. */
export async function accessFromLink<T>(request: FastifyRequest, find: (token: string) => Promise<T | undefined>) {
  const parsed = AccessTokenSchema.safeParse((request.params as { token?: string }).token);
  return parsed.success ? find(parsed.data) : undefined;
}
