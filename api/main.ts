// The API and pages as their own process for production: `npm run api`.
import { Client } from '@temporalio/client';
import { loadConfig } from '../platform/config';
import { createLogger } from '../platform/logger';
import { createSmtpMailer } from '../platform/mailer';
import { createMetrics, serveConfiguredMetrics } from '../platform/metrics';
import { checkedPayloadCodec, requireExternalServices, requireLinkSecret, requirePayloadKeys, runMain } from '../platform/production';
import { requireSearchAttributes } from '../platform/search-attribute-check';
import { connectClient } from '../platform/temporal';
import { closeDatabase, createDatabase } from '../store/database';
import { changedPayloadKeys } from '../store/payload-keys';
import { databaseGauges } from './metrics';
import { buildServer } from './server';
import { encryptingDataConverter } from '../platform/payload-codec';
import { createOutbound } from '../platform/outbound';

runMain(async () => {
  const config = loadConfig();
  const services = requireExternalServices(config);
  const payloadKeys = requirePayloadKeys(config);
  const connection = await connectClient({ ...config.temporal, address: services.temporalAddress });
  const where = { address: services.temporalAddress, namespace: config.temporal.namespace };
  await requireSearchAttributes(connection.operatorService, where, (line) => console.warn(line));
  const db = createDatabase({ url: services.databaseUrl, poolSize: config.databasePoolSize });
  const payloadCodec = await checkedPayloadCodec(payloadKeys, (fingerprints) => changedPayloadKeys(db, fingerprints));
  const mailer = createSmtpMailer({ url: services.smtpUrl, from: config.mailFrom });
  const metrics = createMetrics(databaseGauges(db));
  const served = await serveConfiguredMetrics(metrics.registry, config.metrics.host, config.metrics.apiPort);
  const app = await buildServer({
    db,
    linkSecret: requireLinkSecret(config),
    engine: {
      client: new Client({ connection, namespace: config.temporal.namespace, dataConverter: encryptingDataConverter(payloadCodec) }),
      taskQueue: config.temporal.taskQueue,
      commandDeadlineMs: config.commandDeadlineMs,
    },
    mailer,
    publicBaseUrl: config.publicBaseUrl,
    logger: createLogger({ level: config.logLevel }),
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    sharedRateLimits: true,
    sessionPolicy: config.sessionPolicy,
    retention: config.retention,
    metrics,
    ...(config.bankId ? { bankId: { appUrl: config.bankIdAppUrl } } : {}),
    outbound: createOutbound({ allowedNetworks: config.webhookAllowedNetworks }),
  });
  await app.listen({ port: config.port, host: config.host });
  console.log(`api: mätvärden ${served?.url ?? 'av'}`);
  // One clean close, however many signals arrive (under tsx a process group's SIGTERM comes twice).
  let closing = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, async () => {
      if (closing) return;
      closing = true;
      await app.close();
      await served?.close();
      await connection.close();
      await closeDatabase(db);
      mailer.close();
      process.exit(0);
    });
  }
});
