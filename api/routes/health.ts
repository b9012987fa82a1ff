import type { FastifyInstance } from 'fastify';
import type { ApiRegistry } from '../openapi';
import type { ApiDeps } from '../server';

const TIMEOUT_MS = 3_000;

async function probe(check: () => Promise<unknown>): Promise<{ ok: boolean; error?: string }> {
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

export function healthRoutes(app: FastifyInstance, deps: ApiDeps, registry: ApiRegistry) {
  registry.route(app, {
    method: 'GET',
    url: '/health',
    summary: 'Hälsa: Temporal, databasen och SMTP, var för sig',
    tag: 'Drift',
    responses: { 200: 'Allt fungerar', 503: 'Något fungerar inte; se checks' },
  }, async (_request, reply) => {
    const [temporal, database, smtp] = await Promise.all([
      probe(() => deps.engine.client.workflowService.getSystemInfo({})),
      probe(() => deps.db.$queryRaw`SELECT 1`),
      probe(() => deps.mailer.verify()),
    ]);
    const ok = temporal.ok && database.ok && smtp.ok;
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'fel', checks: { temporal, database, smtp } });
  });
}
