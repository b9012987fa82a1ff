import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildServer } from '../../../api/server';
import { newLinkSecret } from '../../../domain/crypto';
import { startLocalBankId, type LocalBankId } from '../../../platform/embedded/bankid-server';
import { makeLocalBankIdCertificates } from '../../../platform/embedded/bankid-certificates';
import { LocalMailbox } from '../../../platform/embedded/mailbox';
import { startTemporalDevServer, type DevServer } from '../../../platform/embedded/temporal-dev-server';
import { createSmtpMailer, type Mailer } from '../../../platform/mailer';
import { migrate } from '../../../platform/migrate';
import { EncryptionCodec, encryptingDataConverter, newPayloadKey, parsePayloadKeys } from '../../../platform/payload-codec';
import { freePort } from '../../../platform/net';
import { createCoordinator } from '../../../store/coordinators';
import { createDatabase, type Database } from '../../../store/database';
import { client, UNLIMITED, UNLIMITED_ENV } from '../../support/http';
import { startCluster, startServer, stopCluster, stopServer, type PostgresCluster } from '../../support/postgres-cluster';
import { API, ServiceProcess, WORKER } from '../../support/service-process';

// Everything real and apart, as in production: the Temporal dev server, a PostgreSQL cluster of
// this suite's own (so that it can be stopped), an SMTP server, the API in this process, and the
// worker as a process of its own.

export interface FaultStack {
  db: Database;
  mailbox: LocalMailbox;
  /** The local BankID server the worker process talks to over mutual TLS, with its phone. */
  bankId: LocalBankId;
  api: { app: FastifyInstance; baseUrl: string };
  coordinator: ReturnType<typeof client>;
  anonymous: ReturnType<typeof client>;
  worker: ServiceProcess;
  /** The installation's LINK_SECRET (webhook secrets are sealed under it). */
  linkSecret: string;
  /**
   * An organisation's HTTPS webhook receiver (its CA trusted by the worker through
   * NODE_EXTRA_CA_CERTS, as an installation would): every request it gets, and a hook before it answers.
   */
  receiver: {
    url: string;
    received: { id: string; body: string; headers: Record<string, string> }[];
    beforeAnswering?: () => Promise<void>;
  };
  /** The worker's own SMTP port for bounces (BOUNCE_SMTP_PORT), and the bounce address it takes mail for. */
  bounces: { port: number; address: string };
  /** The worker process's metrics: its own, and the Temporal SDK's. */
  workerMetrics: { product: string; temporal: string };
  /** Another worker process on the same task queue (ports of its own), not yet started. */
  anotherWorker(): Promise<ServiceProcess>;
  /** The production API (api/main.ts) as a process of its own, not yet started, and where it will answer. */
  apiProcess(): Promise<{ process: ServiceProcess; baseUrl: string }>;
  /** A client of the stack's Temporal, with the product's payload key. */
  temporal: Client;
  /** The coordinator's API key, for a client of another API. */
  token: string;
  /** Stops PostgreSQL as an outage would; `startDatabase` brings it back on the same port. */
  stopDatabase(): void;
  startDatabase(): void;
  stop(): Promise<void>;
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} saknas: kör med \`npm run test:faults\`.`);
  return value;
}

export async function startFaultStack(name: string): Promise<FaultStack> {
  const binDir = requiredEnv('POSTGRES_BIN_DIR');
  const work = mkdtempSync(join(tmpdir(), `medborgarlofte-${name}-`));
  const temporal: DevServer = await startTemporalDevServer({
    cliPath: requiredEnv('TEMPORAL_CLI_PATH'),
    dataDir: join(work, 'temporal'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
  });
  const cluster: PostgresCluster = await startCluster(binDir);
  const databaseUrl = cluster.adminUrl;
  await migrate(databaseUrl);
  const db = createDatabase({ url: databaseUrl, poolSize: 5 });
  const mailbox = new LocalMailbox();
  await mailbox.start();
  const mailer: Mailer = createSmtpMailer({ url: mailbox.smtpUrl, from: 'Medborgarlöften <noreply@test.example>' });
  const connection = await Connection.connect({ address: temporal.address });
  const taskQueue = `faults-${name}`;
  const payloadKeys = newPayloadKey('faults');
  const dataConverter = encryptingDataConverter(new EncryptionCodec(parsePayloadKeys(payloadKeys)));
  const linkSecret = newLinkSecret();
  const bankId = await startLocalBankId();
  // The worker reads its BankID certificate and CA from files, as in production.
  const [p12Path, caPath] = [join(work, 'bankid-klient.p12'), join(work, 'bankid-ca.pem')];
  writeFileSync(p12Path, bankId.certificates.clientP12);
  writeFileSync(caPath, bankId.certificates.ca);
  const receiverCertificates = makeLocalBankIdCertificates();
  const receiverCaPath = join(work, 'mottagare-ca.pem');
  writeFileSync(receiverCaPath, receiverCertificates.ca);
  const receiver: FaultStack['receiver'] = { url: '', received: [] };
  const receiverServer = createHttpsServer({ key: receiverCertificates.server.key, cert: receiverCertificates.server.cert }, (req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      receiver.received.push({ id: String(req.headers['webhook-id']), body, headers: req.headers as Record<string, string> });
      void (receiver.beforeAnswering?.() ?? Promise.resolve()).then(() => res.writeHead(204).end());
    });
  });
  await new Promise<void>((resolve) => receiverServer.listen(0, '127.0.0.1', resolve));
  receiver.url = `https://localhost:${(receiverServer.address() as AddressInfo).port}/diariet`;
  const temporalClient = new Client({ connection, dataConverter });
  const app = await buildServer({
    db,
    engine: { client: temporalClient, taskQueue },
    mailer,
    publicBaseUrl: 'http://127.0.0.1',
    linkSecret,
    rateLimits: UNLIMITED,
    bankId: { appUrl: bankId.phoneUrl },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const baseUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const { token } = await createCoordinator(db, { name: 'Sara Samordnare', email: 'samordnare@lessebo.example' });
  const bounces = { port: await freePort(), address: 'studs@medborgarloften.lessebo.se' };
  // What every production process of this stack is given, as an installation would give it.
  const production = {
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_TASK_QUEUE: taskQueue,
    SMTP_URL: mailbox.smtpUrl,
    LINK_SECRET: linkSecret,
    PAYLOAD_ENCRYPTION_KEYS: payloadKeys,
    // Production settings: the links' base must be a public https name (the tests read only the
    // links' paths, and call them on the API's own address).
    PUBLIC_BASE_URL: 'https://medborgarloften.lessebo.se',
    MAIL_FROM: 'Medborgarlöften <noreply@medborgarloften.lessebo.se>',
    BANKID_URL: bankId.url,
    BANKID_CLIENT_P12: p12Path,
    BANKID_PASSPHRASE: bankId.certificates.passphrase,
    BANKID_CA: caPath,
    WEBHOOK_ALLOWED_NETWORKS: '127.0.0.1/32',
    NODE_EXTRA_CA_CERTS: receiverCaPath,
    BOUNCE_ADDRESS: bounces.address,
  };
  let workers = 0;
  const newWorker = async (bouncePort: number, metrics: { product: number; temporal: number }) =>
    new ServiceProcess(
      WORKER,
      {
        ...production,
        WORKER_METRICS_PORT: String(metrics.product),
        TEMPORAL_METRICS_PORT: String(metrics.temporal),
        BOUNCE_SMTP_PORT: String(bouncePort),
        BOUNCE_SMTP_HOST: '127.0.0.1',
      },
      join(work, `worker-${++workers}.log`),
    );
  const metricsPorts = { product: await freePort(), temporal: await freePort() };
  const worker = await newWorker(bounces.port, metricsPorts);
  let apis = 0;
  return {
    db,
    mailbox,
    bankId,
    api: { app, baseUrl },
    coordinator: client(baseUrl, token),
    anonymous: client(baseUrl),
    worker,
    linkSecret,
    receiver,
    bounces,
    token,
    temporal: temporalClient,
    anotherWorker: async () => newWorker(await freePort(), { product: await freePort(), temporal: await freePort() }),
    async apiProcess() {
      const port = await freePort();
      // One driver makes every call from one address: the limits (shared through the database) stay out of its way.
      const env = {
        ...production,
        PORT: String(port),
        HOST: '127.0.0.1',
        API_METRICS_PORT: String(await freePort()),
        ...UNLIMITED_ENV,
      };
      return { process: new ServiceProcess(API, env, join(work, `api-${++apis}.log`)), baseUrl: `http://127.0.0.1:${port}` };
    },
    workerMetrics: {
      product: `http://127.0.0.1:${metricsPorts.product}/metrics`,
      temporal: `http://127.0.0.1:${metricsPorts.temporal}/metrics`,
    },
    stopDatabase: () => stopServer(binDir, cluster.dataDir),
    startDatabase: () => startServer(binDir, cluster.dataDir),
    async stop() {
      await worker.stop();
      await app.close();
      mailer.close();
      await connection.close();
      await mailbox.stop();
      await bankId.stop();
      receiverServer.closeAllConnections();
      await new Promise<void>((resolve) => receiverServer.close(() => resolve()));
      await db.$disconnect();
      await temporal.stop();
      stopCluster(binDir, cluster.dataDir);
    },
  };
}
