import { PrismaPg } from '@prisma/adapter-pg';
import { Prisma, PrismaClient } from '@prisma/client';

export type Database = PrismaClient;
export type Tx = Prisma.TransactionClient;

export function createDatabase(options: { url: string; poolSize: number }): Database {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString: options.url, max: options.poolSize }),
  });
}

export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}
