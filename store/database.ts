import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '../prisma/generated/client';
import { unstorableTextMessage } from '../domain/text';
import { UnstorableTextError } from './database-errors';

export type Database = PrismaClient;
export type Tx = Prisma.TransactionClient;

export function createDatabase(options: { url: string; poolSize: number }): Database {
  const client = new PrismaClient({
    // A database that does not answer fails a query in seconds (and is retried), never hangs it.
    adapter: new PrismaPg({ connectionString: options.url, max: options.poolSize, connectionTimeoutMillis: 5_000 }),
  });
  const refusingUnstorableText = client.$extends({
    query: {
      $allOperations({ args, query }) {
        const message = unstorableTextMessage(args);
        if (message) throw new UnstorableTextError(message);
        return query(args);
      },
    },
  });
  // The extension changes no model and no result, so the client keeps its own type.
  return refusingUnstorableText as unknown as Database;
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

/**
 * Closes the pool for a stopping process, in bounded time: a connection that PostgreSQL cut off
 * in the middle of a transaction (an outage) is never handed back to the pool, and waiting for it
 * would keep the process from ever exiting.
 */
export async function closeDatabase(db: Database, withinMs = 5_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([db.$disconnect(), new Promise<void>((resolve) => (timer = setTimeout(resolve, withinMs)))]);
  clearTimeout(timer);
}

/** The cheapest question the database must answer, for health checks. */
export const pingDatabase = (db: Database) => db.$queryRaw`SELECT 1`;
