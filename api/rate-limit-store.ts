import type { FastifyRateLimitOptions, FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Logger } from 'pino';
import { rateLimitKey } from '../domain/crypto';
import type { Database } from '../store/database';
import { countRequest, removeEndedWindows } from '../store/rate-limits';

// @fastify/rate-limit's counters in PostgreSQL, so that a limit holds however many API processes
// answer (its own store counts per process). The key carries the client's address only as a keyed
// hash, and a window's row is swept away a window after it ended.

const SWEEP_EVERY_MS = 60_000;

export interface SharedRateLimits {
  /** The store class for the plugin's `store` option. */
  Store: new (options: FastifyRateLimitOptions) => FastifyRateLimitStore;
  /** Stops the sweep (the server closing). */
  close(): void;
}

export function sharedRateLimits(deps: { db: Database; linkSecret: string; windowMs: number; logger?: Logger }): SharedRateLimits {
  const { db, linkSecret, windowMs } = deps;
  class DatabaseStore implements FastifyRateLimitStore {
    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void) {
      countRequest(db, rateLimitKey(linkSecret, key), windowMs).then(
        ({ hits, ttlMs }) => callback(null, { current: hits, ttl: ttlMs }),
        (error: Error) => callback(error),
      );
    }
    child() {
      return this;
    }
  }
  const sweep = setInterval(
    () =>
      void removeEndedWindows(db, windowMs).catch((error: unknown) =>
        deps.logger?.warn({ err: error }, 'Kunde inte rensa gamla räknare för anropsgränser'),
      ),
    SWEEP_EVERY_MS,
  );
  sweep.unref();
  return { Store: DatabaseStore, close: () => clearInterval(sweep) };
}
