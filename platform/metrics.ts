import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConfigError } from './config';

// The product's own metrics, where an operator would alert (README, "Drift"): every name and
// label is declared here. One registry per process, served on a port of its own so that the
// public port never shows them. Temporal's own metrics of the worker come from its SDK runtime
// (worker/main.ts), on another port.

const HOUR = 3_600;
const DAY = 24 * HOUR;

export type EmailOutcome = 'sent' | 'suppressed' | 'undeliverable' | 'failed';
/** What became of a message in the bounce mailbox (worker/bounce-intake.ts), and a reader's lost connection. */
export type InboundMailOutcome =
  | 'bounce'
  | 'delayed'
  | 'not_a_failure'
  | 'duplicate'
  | 'forged'
  | 'unknown_email'
  | 'auto_reply'
  | 'reply'
  | 'unreadable'
  | 'failed'
  | 'mailbox_unreachable';
export type RoundOutcome = 'completed' | 'declined' | 'expired' | 'superseded' | 'withdrawn';

/** Counts read from the records when scraped, so they are right whichever process changed them. */
export interface DatabaseGauges {
  promisesNeedingAttention(): Promise<number>;
  occurrencesOverdue(): Promise<number>;
}

/** A gauge read when scraped; a failed read drops the series for that scrape rather than the whole answer. */
function gaugeOf(registry: Registry, name: string, help: string, read: () => Promise<number>): void {
  new Gauge({
    name,
    help,
    registers: [registry],
    async collect() {
      try {
        this.set(await read());
      } catch {
        this.reset();
      }
    },
  });
}

export function createMetrics(database?: DatabaseGauges) {
  const registry = new Registry();
  const registers = [registry];
  collectDefaultMetrics({ register: registry });
  if (database) {
    gaugeOf(
      registry,
      'medborgarloften_promises_needing_attention',
      'Löften vars steg har misslyckats för gott och väntar på att återupptas eller återkallas',
      database.promisesNeedingAttention,
    );
    gaugeOf(
      registry,
      'medborgarloften_occurrences_overdue',
      'Aktivitetstillfällen i pågående löften vars datum har passerat utan rapport',
      database.occurrencesOverdue,
    );
  }
  return {
    registry,
    emails: new Counter({
      name: 'medborgarloften_emails_total',
      help: 'E-post per syfte och utfall: sent, suppressed (dygnsgränsen), undeliverable (reläet nekade för gott), failed (ett försök som görs om)',
      labelNames: ['purpose', 'outcome'] as const,
      registers,
    }),
    inboundMail: new Counter({
      name: 'medborgarloften_bounce_mailbox_messages_total',
      help: 'Meddelanden till studsadressen per utfall: bounce (adressen kom inte fram), delayed (fördröjd), duplicate, forged (fel kontrollvärde), unknown_email, auto_reply, reply, unreadable, failed (görs om), mailbox_unreachable (IMAP-anslutningen)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    signingRounds: new Counter({
      name: 'medborgarloften_signing_rounds_total',
      help: 'Avslutade signeringsomgångar per utfall',
      labelNames: ['outcome'] as const,
      registers,
    }),
    signingRoundDuration: new Histogram({
      name: 'medborgarloften_signing_round_duration_seconds',
      help: 'Signeringsomgångarnas längd, från start till utfall',
      labelNames: ['outcome'] as const,
      buckets: [HOUR, DAY, 3 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 60 * DAY],
      registers,
    }),
    httpRequests: new Histogram({
      name: 'medborgarloften_http_request_duration_seconds',
      help: 'API:ets svar per metod, route (mönstret, aldrig länkens token) och status',
      labelNames: ['method', 'route', 'status'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

/** host:port, with an IPv6 address in brackets. */
const hostPort = (host: string, port: number) => `${host.includes(':') ? `[${host}]` : host}:${port}`;

interface SdkMetricsSettings {
  host: string;
  temporalPort: number;
}

/** The Temporal SDK runtime's own metrics (polls, task latencies, slots), for Runtime.install; none on port 0. */
export const temporalSdkMetrics = ({ host, temporalPort }: SdkMetricsSettings) =>
  temporalPort > 0 ? { metrics: { prometheus: { bindAddress: hostPort(host, temporalPort) } } } : undefined;

/** Where the SDK's metrics are, in words for the start-up lines. */
export const temporalSdkMetricsUrl = ({ host, temporalPort }: SdkMetricsSettings) =>
  temporalPort > 0 ? `http://${hostPort(host, temporalPort)}/metrics` : 'av';

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** A process's metrics on its configured port; nothing when that port is 0. */
export const serveConfiguredMetrics = (registry: Registry, host: string, port: number) =>
  port > 0 ? serveMetrics(registry, { host, port }) : Promise.resolve(undefined);

/** Serves `GET /metrics` in Prometheus' text format; port 0 picks a free one. */
export async function serveMetrics(registry: Registry, { host, port }: { host: string; port: number }): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Mätvärdena finns på /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
      (error: unknown) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`${String(error)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(
              `Porten för mätvärden, ${hostPort(host, port)}, är upptagen. Välj en annan eller 0 för av (README, Miljövariabler).`,
            )
          : error,
      ),
    );
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${hostPort(host, bound)}/metrics`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
