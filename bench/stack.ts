import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { newLinkSecret } from '../domain/crypto';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { startTemporalDevServer, type DevServer } from '../platform/embedded/temporal-dev-server';
import { migrate } from '../platform/migrate';
import { newPayloadKey } from '../platform/payload-codec';
import { freePort } from '../platform/net';
import { createCoordinator } from '../store/coordinators';
import { createDatabase, type Database } from '../store/database';
import { client, UNLIMITED_ENV } from '../test/support/http';
import { startCluster, stopCluster, type PostgresCluster } from '../test/support/postgres-cluster';
import { API, ServiceProcess, WORKER } from '../test/support/service-process';
import { usageOf, type Usage } from './processes';

// Everything as in production, each in a process of its own: the Temporal dev server, PostgreSQL
// with fsync on, the API, the worker, and the baseline's worker; an SMTP server here, where the
// driver reads the signing links. The product and the baseline share the Temporal server.

export const BASELINE_QUEUE = 'bench-baseline';
const BASELINE = { script: 'bench/baseline/worker.ts', name: 'Baseline-workern', readyWhen: 'baseline: kö ' };
const BARE = { script: 'bench/bare-server.ts', name: 'Den nakna servern', readyWhen: 'bare server: ' };

const DRIVER_ROLE = 'bench_driver';
/** The statements counted as the product's: every role's but the driver's ($1). */
const PRODUCT_STATEMENTS = 'FROM pg_stat_statements WHERE userid <> (SELECT oid FROM pg_roles WHERE rolname = $1)';

/** The driver's role, and the statement counter PostgreSQL keeps; the driver's database URL. */
async function driverRole(adminUrl: string): Promise<string> {
  const admin = new PgClient({ connectionString: adminUrl });
  await admin.connect();
  await admin.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await admin.query(`CREATE ROLE ${DRIVER_ROLE} LOGIN SUPERUSER`);
  await admin.end();
  const url = new URL(adminUrl);
  url.username = DRIVER_ROLE;
  return url.toString();
}

export interface BenchStack {
  baseUrl: string;
  /** The bare Fastify server (bench/bare-server.ts), the pages' anchor. */
  bareUrl: string;
  databaseUrl: string;
  /** The first API process's clients. */
  coordinator: ReturnType<typeof client>;
  anonymous: ReturnType<typeof client>;
  /** Every running API process's clients: a driver spreads its jobs over them as a load balancer would. */
  readonly apis: { coordinator: ReturnType<typeof client>; anonymous: ReturnType<typeof client> }[];
  /** One API process and one worker, or two of each. */
  setScale(processes: 1 | 2): Promise<void>;
  /** A connection of the driver's own, for waiting on a promise's status. */
  db: Database;
  mailbox: LocalMailbox;
  /** The baseline's client: raw Temporal, payloads as they are. */
  temporal: Client;
  /** How many SQL statements the product (the API and the worker) has run so far. */
  statements(): Promise<number>;
  /** The count starts again from nothing. */
  resetStatements(): Promise<void>;
  /** The statements the product ran most often since the count started, with how often. */
  commonestStatements(limit: number): Promise<{ calls: number; query: string }[]>;
  /** CPU time and memory of each process tree now. */
  usage(): Record<string, Usage>;
  /** Both workers started afresh, with empty caches. */
  restartWorkers(): Promise<void>;
  stop(): Promise<void>;
}

export async function startBenchStack(tools: { temporalCli: string; postgresBin: string; profileDir?: string }): Promise<BenchStack> {
  const work = mkdtempSync(join(tmpdir(), 'medborgarlofte-bench-'));
  const server: DevServer = await startTemporalDevServer({
    cliPath: tools.temporalCli,
    dataDir: join(work, 'temporal'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
  });
  const cluster: PostgresCluster = await startCluster(tools.postgresBin, { fsync: true, countStatements: true });
  await migrate(cluster.adminUrl);
  // The driver reads as a role of its own, so that the statements counted are the product's.
  const driverUrl = await driverRole(cluster.adminUrl);
  const db = createDatabase({ url: driverUrl, poolSize: 4 });
  const statementCounter = new PgClient({ connectionString: driverUrl });
  await statementCounter.connect();
  const mailbox = new LocalMailbox();
  await mailbox.start();
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // The product encrypts what Temporal holds, as in production; the baseline (raw Temporal) does not.
  const payloadKeys = newPayloadKey('bench');
  const production = {
    DATABASE_URL: cluster.adminUrl,
    TEMPORAL_ADDRESS: server.address,
    TEMPORAL_TASK_QUEUE: 'bench',
    SMTP_URL: mailbox.smtpUrl,
    LINK_SECRET: newLinkSecret(),
    PAYLOAD_ENCRYPTION_KEYS: payloadKeys,
    // Links name the public address; the driver follows them to this machine by their path.
    PUBLIC_BASE_URL: 'https://medborgarloften.lessebo.se',
    MAIL_FROM: 'Medborgarlöften <noreply@medborgarloften.lessebo.se>',
    // The driver is one address sending thousands of requests, and the coordinator gets every confirmation.
    ...UNLIMITED_ENV,
    MAIL_DAILY_LIMIT_PER_RECIPIENT: '10000',
  };
  // CPU profiles, written when the processes stop (Node's --cpu-prof).
  const profiling = tools.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${tools.profileDir}`] : [];
  const newApi = async (name: string, apiPort: number) =>
    new ServiceProcess(
      API,
      { ...production, PORT: String(apiPort), HOST: '127.0.0.1', API_METRICS_PORT: String(await freePort()) },
      join(work, `${name}.log`),
      profiling,
    );
  const newWorker = async (name: string) =>
    new ServiceProcess(
      WORKER,
      { ...production, WORKER_METRICS_PORT: String(await freePort()), TEMPORAL_METRICS_PORT: String(await freePort()) },
      join(work, `${name}.log`),
      profiling,
    );
  const api = await newApi('api', port);
  const worker = await newWorker('worker');
  // The second of each, for the lifecycle on two API processes and two workers (setScale).
  const secondPort = await freePort();
  const secondApi = await newApi('api-2', secondPort);
  const secondWorker = await newWorker('worker-2');
  const baseline = new ServiceProcess(
    BASELINE,
    { TEMPORAL_ADDRESS: server.address, BENCH_TASK_QUEUE: BASELINE_QUEUE },
    join(work, 'baseline.log'),
  );
  const barePort = await freePort();
  const bare = new ServiceProcess(BARE, { PORT: String(barePort) }, join(work, 'bare.log'));
  await Promise.all([api.start(), worker.start(), baseline.start(), bare.start()]);
  const { token } = await createCoordinator(db, { name: 'Sara Samordnare', email: 'samordnare@lessebo.example' });
  const connection = await Connection.connect({ address: server.address });
  const postmaster = Number(readFileSync(join(cluster.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  // A bench that fails half-way leaves nothing running: the services get SIGTERM and PostgreSQL stops.
  const leaveNothing = () => {
    for (const pid of [api.pid, worker.pid, secondApi.pid, secondWorker.pid, baseline.pid, bare.pid])
      if (pid) process.kill(-pid, 'SIGTERM');
    process.kill(server.pid, 'SIGTERM');
    stopCluster(tools.postgresBin, cluster.dataDir);
  };
  process.once('exit', leaveNothing);
  const apiClients = (url: string) => ({ coordinator: client(url, token), anonymous: client(url) });
  const first = apiClients(baseUrl);
  const second = apiClients(`http://127.0.0.1:${secondPort}`);
  return {
    baseUrl,
    bareUrl: `http://127.0.0.1:${barePort}`,
    databaseUrl: cluster.adminUrl,
    ...first,
    get apis() {
      return secondApi.running ? [first, second] : [first];
    },
    async setScale(processes: 1 | 2) {
      if (processes === 2) await Promise.all([secondApi.start(), secondWorker.start()]);
      else await Promise.all([secondApi.stop(), secondWorker.stop()]);
    },
    db,
    mailbox,
    temporal: new Client({ connection }),
    statements: async () =>
      Number(
        (await statementCounter.query<{ calls: string }>(`SELECT coalesce(sum(calls), 0) AS calls ${PRODUCT_STATEMENTS}`, [DRIVER_ROLE]))
          .rows[0]!.calls,
      ),
    async resetStatements() {
      await statementCounter.query('SELECT pg_stat_statements_reset()');
    },
    commonestStatements: async (limit) =>
      (
        await statementCounter.query<{ calls: string; query: string }>(
          `SELECT calls, query ${PRODUCT_STATEMENTS} ORDER BY calls DESC LIMIT $2`,
          [DRIVER_ROLE, limit],
        )
      ).rows.map((row) => ({ calls: Number(row.calls), query: row.query })),
    usage: () =>
      usageOf({
        API: [api.pid, secondApi.pid],
        worker: [worker.pid, secondWorker.pid],
        Temporal: [server.pid],
        PostgreSQL: [postmaster],
        'baseline-worker': [baseline.pid],
      }),
    async restartWorkers() {
      await Promise.all([worker.stop(), baseline.stop()]);
      await Promise.all([worker.start(), baseline.start()]);
    },
    async stop() {
      process.off('exit', leaveNothing);
      await Promise.all([api.stop(), worker.stop(), secondApi.stop(), secondWorker.stop(), baseline.stop(), bare.stop()]);
      await connection.close();
      await mailbox.stop();
      await db.$disconnect();
      await statementCounter.end();
      await server.stop();
      stopCluster(tools.postgresBin, cluster.dataDir);
    },
  };
}
