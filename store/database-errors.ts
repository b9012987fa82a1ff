import { Prisma } from '../prisma/generated/client';

// What the database's errors mean: the data refused for good (retrying cannot help), or the
// database away for now (retrying later can). Read by the activities' failure policy and the API.

/** PostgreSQL's SQLSTATE classes for errors caused by the data: 22 data exception, 23 integrity. */
const DATA_ERROR_CLASSES = ['22', '23'];
/** Prisma's own refusals of a value (too long, unique, relation missing, record not found). */
const PRISMA_DATA_CODES = ['P2000', 'P2002', 'P2003', 'P2025'];
/** PostgreSQL cannot decode what it was sent (broken bytes, an escape jsonb refuses). */
const UNENCODABLE = /invalid byte sequence|unsupported Unicode escape/;
/** Prisma's codes for a database it cannot reach, a timeout, a closed connection, an exhausted pool. */
const PRISMA_UNAVAILABLE_CODES = ['P1001', 'P1002', 'P1008', 'P1017', 'P2024'];
/** SQLSTATE classes 08 (connection) and 57 (operator intervention: shutting down, restarting). */
const UNAVAILABLE_CLASSES = ['08', '57'];

function sqlState(error: unknown): string | undefined {
  const direct = (error as { cause?: { originalCode?: unknown } })?.cause?.originalCode;
  const viaPrisma = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown } } } })?.meta?.driverAdapterError?.cause
    ?.originalCode;
  const code = direct ?? viaPrisma;
  return typeof code === 'string' ? code : undefined;
}

const lastLine = (error: unknown) =>
  error instanceof Error ? (error.message.split('\n').filter(Boolean).pop() ?? error.message) : String(error);

/**
 * Text refused before it is sent (store/database.ts): a lone UTF-16 surrogate has no UTF-8 form,
 * and the driver would store U+FFFD in its place without a word. The entry points refuse it first.
 */
export class UnstorableTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnstorableTextError';
  }
}

/** Why the database refused the data for good, or undefined when it did not. */
export function databaseRefusal(error: unknown): { type: 'INVALID_DATA' | 'NOT_FOUND'; message: string } | undefined {
  const message = `Databasen tog inte emot uppgifterna: ${lastLine(error)}`;
  if (error instanceof UnstorableTextError) return { type: 'INVALID_DATA', message };
  if (error instanceof Prisma.PrismaClientValidationError)
    return { type: 'INVALID_DATA', message: 'Databasen tog inte emot uppgifterna (ogiltig fråga).' };
  const state = sqlState(error);
  if (state && DATA_ERROR_CLASSES.includes(state.slice(0, 2))) return { type: 'INVALID_DATA', message };
  if (error instanceof Prisma.PrismaClientKnownRequestError && PRISMA_DATA_CODES.includes(error.code)) {
    return { type: error.code === 'P2025' ? 'NOT_FOUND' : 'INVALID_DATA', message };
  }
  if (UNENCODABLE.test(lastLine(error))) return { type: 'INVALID_DATA', message };
  return undefined;
}

/** The database is away or overloaded: the same request can succeed a moment later. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  if (error instanceof Prisma.PrismaClientKnownRequestError && PRISMA_UNAVAILABLE_CODES.includes(error.code)) return true;
  const state = sqlState(error);
  if (state && UNAVAILABLE_CLASSES.includes(state.slice(0, 2))) return true;
  const kind = (error as { cause?: { kind?: unknown } })?.cause?.kind;
  return kind === 'DatabaseNotReachable' || kind === 'ConnectionClosed' || kind === 'SocketTimeout';
}
