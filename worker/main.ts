// A worker process for production: `npm run worker`. Run as many as the load needs; they share
// the task queue. Applies pending migrations first (safe to race: an advisory lock serialises).
import { Runtime } from '@temporalio/worker';
import { bankIdClientFrom } from '../platform/bankid-client';
import { loadConfig } from '../platform/config';
import { createLogger, temporalLogger } from '../platform/logger';
import { createSmtpMailer } from '../platform/mailer';
import { createMetrics, serveConfiguredMetrics, temporalSdkMetrics, temporalSdkMetricsUrl } from '../platform/metrics';
import { migrate } from '../platform/migrate';
import { checkedPayloadCodec, requireExternalServices, requireLinkSecret, requirePayloadKeys, runMain } from '../platform/production';
import { requireSearchAttributes } from '../platform/search-attribute-check';
import { connectClient, connectWorker } from '../platform/temporal';
import { encryptingDataConverter } from '../platform/payload-codec';
import { Client } from '@temporalio/client';
import { closeDatabase, createDatabase } from '../store/database';
import { changedPayloadKeys } from '../store/payload-keys';
import { createConfiguredWorker } from './create-worker';
import { ensureRetentionSchedule, RETENTION_SCHEDULE_ID } from './retention-schedule';
import { wakeWebhookDrains } from './webhook-wakeup';
import { startBounceReaders } from './bounces';

runMain(async () => {
  const config = loadConfig();
  const services = requireExternalServices(config);
  const linkSecret = requireLinkSecret(config);
  const payloadKeys = requirePayloadKeys(config);
  const logger = createLogger({ level: config.logLevel });
  Runtime.install({
    logger: temporalLogger(logger),
    telemetryOptions: temporalSdkMetrics(config.metrics),
  });
  const connection = await connectWorker({ ...config.temporal, address: services.temporalAddress });
  const where = { address: services.temporalAddress, namespace: config.temporal.namespace };
  await requireSearchAttributes(connection.operatorService, where, (line) => console.warn(line));
  const metrics = createMetrics();
  const served = await serveConfiguredMetrics(metrics.registry, config.metrics.host, config.metrics.workerPort);
  const result = await migrate(services.databaseUrl, (line) => console.log(line));
  console.log(`databasen: ${result.applied.length} nya migreringar, ${result.alreadyApplied} redan körda`);
  const db = createDatabase({ url: services.databaseUrl, poolSize: config.databasePoolSize });
  const mailer = createSmtpMailer({ url: services.smtpUrl, from: config.mailFrom });
  const payloadCodec = await checkedPayloadCodec(payloadKeys, (fingerprints) => changedPayloadKeys(db, fingerprints));
  const worker = await createConfiguredWorker(config, {
    connection,
    payloadCodec,
    db,
    mailer,
    linkSecret,
    metrics,
    logger,
    ...(config.bankId ? { bankId: { client: bankIdClientFrom(config.bankId) } } : {}),
  });
  const clientConnection = await connectClient({ ...config.temporal, address: services.temporalAddress });
  const client = new Client({
    connection: clientConnection,
    namespace: config.temporal.namespace,
    dataConverter: encryptingDataConverter(payloadCodec),
  });
  const schedule = await ensureRetentionSchedule(client, config.temporal.taskQueue, {
    policy: config.retention,
    sessionPolicy: config.sessionPolicy,
  });
  // Kept open: the webhook listener wakes drains through it for as long as the worker runs.
  const wakeup = await wakeWebhookDrains({ databaseUrl: services.databaseUrl, db, client, taskQueue: config.temporal.taskQueue, logger });
  const bounces = await startBounceReaders(config, { db, client, linkSecret, metrics, logger });
  const bounceWays = [config.bounceIntake.imapUrl && 'IMAP', bounces.smtpPort && `SMTP-port ${bounces.smtpPort}`].filter(Boolean);
  console.log(`worker: studsar läses ${bounceWays.length ? bounceWays.join(' och ') : 'inte (BOUNCE_IMAP_URL, BOUNCE_SMTP_PORT)'}`);
  console.log(`worker: nattlig gallring av personuppgifter (${RETENTION_SCHEDULE_ID}) ${schedule === 'created' ? 'skapat' : 'uppdaterat'}`);
  console.log(`worker: kö ${config.temporal.taskQueue} i namnrymden ${config.temporal.namespace} på ${services.temporalAddress}`);
  console.log(`worker: mätvärden ${served?.url ?? 'av'}, Temporal SDK:s ${temporalSdkMetricsUrl(config.metrics)}`);
  // The Runtime stops the worker on SIGINT and SIGTERM, letting running activities finish.
  await worker.run();
  await wakeup.stop();
  await bounces.stop();
  await clientConnection.close();
  mailer.close();
  await served?.close();
  await closeDatabase(db);
  // As the API does: nothing left behind (a connection an outage cut off) keeps the process alive.
  process.exit(0);
});
