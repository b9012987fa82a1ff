import type { Database } from './database';

// The rate limits' counters, shared by every API process: one statement counts a request and
// says where its window stands, on the database's clock so that processes on different machines
// agree. A window that has run out starts again at the request that meets it.

export interface WindowCount {
  hits: number;
  /** Milliseconds until the window ends. */
  ttlMs: number;
}

export async function countRequest(db: Database, key: string, windowMs: number): Promise<WindowCount> {
  const [row] = await db.$queryRaw<{ hits: number; ttlMs: number }[]>`
    INSERT INTO "RateLimitWindow" ("key", "startedAt", "hits") VALUES (${key}, now(), 1)
    ON CONFLICT ("key") DO UPDATE SET
      "hits" = CASE WHEN "RateLimitWindow"."startedAt" <= now() - ${windowMs} * interval '1 millisecond'
        THEN 1 ELSE "RateLimitWindow"."hits" + 1 END,
      "startedAt" = CASE WHEN "RateLimitWindow"."startedAt" <= now() - ${windowMs} * interval '1 millisecond'
        THEN now() ELSE "RateLimitWindow"."startedAt" END
    RETURNING "hits", greatest(0, ceil(extract(epoch FROM "startedAt" - now()) * 1000 + ${windowMs}))::int AS "ttlMs"`;
  return row!;
}

/** Removes the windows that ended more than `windowMs` ago; how many. */
export const removeEndedWindows = (db: Database, windowMs: number): Promise<number> =>
  db.$executeRaw`DELETE FROM "RateLimitWindow" WHERE "startedAt" < now() - ${2 * windowMs} * interval '1 millisecond'`;
