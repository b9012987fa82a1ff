import type { FastifyInstance } from 'fastify';
import { stockholmDateOf } from '../domain/calendar';
import type { DatabaseGauges, Metrics } from '../platform/metrics';
import { countNeedingAttention, countOverdueOccurrences } from '../store/attention';
import type { Database } from '../store/database';

/** Every answer, by its route's pattern (never the path: a link's token stays out of the metrics). */
export function observeRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'okänd', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
}

/** The counts an operator alerts on, read from the records when scraped. */
export const databaseGauges = (db: Database): DatabaseGauges => ({
  promisesNeedingAttention: () => countNeedingAttention(db),
  occurrencesOverdue: () => countOverdueOccurrences(db, stockholmDateOf(Date.now())),
});
