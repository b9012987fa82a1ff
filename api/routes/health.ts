import { HealthResponseSchema } from '../../domain/responses';
import { missingSearchAttributes } from '../../platform/search-attribute-check';
import { pingDatabase } from '../../store/database';
import { optionalCoordinator } from '../auth';
import { json, type Api } from '../routing';
import type { ApiDeps } from '../server';

const TIMEOUT_MS = 3_000;
/** The relay (and the namespace's search attributes) are asked at most this often: a load balancer's probes must not become SMTP logins. */
export const SMTP_CHECK_EVERY_MS = 60_000;

type Check = { ok: boolean; error?: string };

async function probe(check: () => Promise<unknown>): Promise<Check> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`inget svar inom ${TIMEOUT_MS / 1000} s`)), TIMEOUT_MS);
      }),
    ]);
    return { ok: true };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The anonymous answer is at most this old: a load balancer (or anyone) asking thousands of times a
 * second costs the database and Temporal one question a second. A coordinator's answer is fresh.
 */
const ANONYMOUS_ANSWER_MAX_AGE_MS = 1_000;

/** A check whose answer is kept for a while; callers meanwhile share the one in flight. */
function cached<T>(check: () => Promise<T>, maxAgeMs: number) {
  let last: { at: number; result: Promise<T> } | undefined;
  return () => {
    if (!last || Date.now() - last.at > maxAgeMs) last = { at: Date.now(), result: check() };
    return last.result;
  };
}

/**
 * The namespace still has the promises' search attributes (someone may have removed one since
 * start). A server that cannot list them says nothing here: the start-up check warned about it.
 */
async function searchAttributesPresent(engine: ApiDeps['engine']) {
  const { client } = engine;
  const missing = await missingSearchAttributes(client.connection.operatorService, client.options.namespace).catch(() => []);
  if (missing.length > 0) throw new Error(`namnrymden saknar sökattributen ${missing.join(', ')} (README, "Drift")`);
}

export function healthRoutes(app: Api, deps: ApiDeps) {
  const smtp = cached(() => probe(() => deps.mailer.verify()), SMTP_CHECK_EVERY_MS);
  const searchAttributes = cached(() => probe(() => searchAttributesPresent(deps.engine)), SMTP_CHECK_EVERY_MS);
  const checkAll = async () => {
    const [reached, database, mail] = await Promise.all([
      probe(() => deps.engine.client.workflowService.getSystemInfo({})),
      probe(() => pingDatabase(deps.db)),
      smtp(),
    ]);
    return { temporal: reached.ok ? await searchAttributes() : reached, database, smtp: mail };
  };
  const recentChecks = cached(checkAll, ANONYMOUS_ANSWER_MAX_AGE_MS);
  app.route({
    method: 'GET',
    url: '/health',
    config: { probe: true },
    // A load balancer asks every few seconds: its answers are not news (a failure to answer is still logged).
    logLevel: 'warn',
    schema: {
      operationId: 'getHealth',
      summary: 'Hälsa för lastbalanserare: ok eller fel. Med samordnarens API-nyckel även Temporal, databasen och SMTP var för sig.',
      tags: ['Drift'],
      response: { 200: json('Allt fungerar', HealthResponseSchema), 503: json('Något fungerar inte', HealthResponseSchema) },
    },
    handler: async (request, reply) => {
      // Error texts name hosts and accounts: only a coordinator sees them (not while the database is down).
      const coordinator = request.headers.authorization ? await optionalCoordinator(deps.db, request).catch(() => undefined) : undefined;
      const checks = coordinator ? await checkAll() : await recentChecks();
      const ok = checks.temporal.ok && checks.database.ok && checks.smtp.ok;
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'fel', ...(coordinator ? { checks } : {}) });
    },
  });
}
