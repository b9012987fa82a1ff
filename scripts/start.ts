// `npm start`: the whole service on one machine. Every service that has no address in the
// environment runs embedded: PGlite for the database, the Temporal dev server, and a local
// mailbox for e-mail. Ctrl-C stops all of it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { Runtime } from '@temporalio/worker';
import { buildServer } from '../api/server';
import { databaseGauges } from '../api/metrics';
import { signInUrl } from '../api/sign-in-mail';
import { newLinkSecret } from '../domain/crypto';
import { ConfigError, loadConfig } from '../platform/config';
import { LocalMailbox } from '../platform/embedded/mailbox';
import { startLocalBankId } from '../platform/embedded/bankid-server';
import { bankIdClientFrom, createBankIdClient } from '../platform/bankid-client';
import { createLogger, temporalLogger } from '../platform/logger';
import { startEmbeddedDatabase } from '../platform/embedded/pglite';
import { startTemporalDevServer } from '../platform/embedded/temporal-dev-server';
import { createSmtpMailer } from '../platform/mailer';
import { createMetrics, serveConfiguredMetrics, temporalSdkMetrics, temporalSdkMetricsUrl } from '../platform/metrics';
import { migrate } from '../platform/migrate';
import { checkedPayloadCodec } from '../platform/production';
import { connectClient, connectWorker } from '../platform/temporal';
import { durationInWords } from '../domain/durations';
import { authenticateCoordinator, createCoordinator } from '../store/coordinators';
import { joinOrganisation } from '../store/organisations';
import { coordinatorByEmail, createSignInLink } from '../store/sessions';
import { createDatabase, type Database } from '../store/database';
import { changedPayloadKeys } from '../store/payload-keys';
import { createConfiguredWorker } from '../worker/create-worker';
import { wakeWebhookDrains } from '../worker/webhook-wakeup';
import { startBounceReaders } from '../worker/bounces';
import { sendDeliveryReport } from '../platform/embedded/delivery-report';
import { ensureRetentionSchedule } from '../worker/retention-schedule';
import { localPayloadKeys } from './lib/local-keys';
import { ensureTemporalCli, ProvisionError, step } from './lib/provision';
import { encryptingDataConverter } from '../platform/payload-codec';
import { createOutbound } from '../platform/outbound';

const stack: { name: string; stop: () => Promise<unknown> | unknown }[] = [];
const onShutdown = (name: string, stop: () => Promise<unknown> | unknown) => stack.push({ name, stop });

const LOCAL_COORDINATOR = { name: 'Lokal samordnare', email: 'samordnare@kommunen.example' };
const LOCAL_SIGN_IN_LINK_TTL = '24h';
/** The local relay's bounce mailbox (the worker's own SMTP port takes its mail). */
const LOCAL_BOUNCE_ADDRESS = 'studs@medborgarloften.localhost';
/** Mail to an address containing this is taken, then bounced a minute later. */
const BOUNCES_LATER_MARKER = 'studsar-senare';

async function localCoordinatorToken(db: Database, dataDir: string): Promise<string> {
  const file = join(dataDir, 'coordinator-token');
  if (existsSync(file)) {
    const saved = readFileSync(file, 'utf8').trim();
    if (await authenticateCoordinator(db, saved)) return saved;
  }
  const { token } = await createCoordinator(db, { ...LOCAL_COORDINATOR, label: 'npm start' });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The link secret of `npm start`: LINK_SECRET, or one kept under the data folder across restarts. */
function localLinkSecret(configured: string | undefined, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'link-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const secret = newLinkSecret();
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

async function main() {
  const config = loadConfig();
  mkdirSync(config.dataDir, { recursive: true });

  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    const embedded = await step('Inbäddad databas (PGlite)', () => startEmbeddedDatabase(join(config.dataDir, 'pglite')));
    onShutdown('databasen', embedded.stop);
    databaseUrl = embedded.url;
  }
  await step('Databasmigreringar', async () => {
    const result = await migrate(databaseUrl!, (line) => console.log(`  ${line}`));
    return `${result.applied.length} nya, ${result.alreadyApplied} redan körda`;
  });
  const db = createDatabase({ url: databaseUrl, poolSize: config.databasePoolSize });
  onShutdown('databaskopplingen', () => db.$disconnect());

  let temporalAddress = config.temporal.address;
  let temporalUi: string | undefined;
  if (!temporalAddress) {
    const cliPath = await step('Temporal CLI', ensureTemporalCli);
    const devServer = await step('Temporal dev server', () =>
      startTemporalDevServer({
        cliPath,
        dataDir: join(config.dataDir, 'temporal'),
        port: config.temporal.devPort,
        uiPort: config.temporal.devUiPort,
        namespace: config.temporal.namespace,
      }),
    );
    onShutdown('Temporal dev server', devServer.stop);
    temporalAddress = devServer.address;
    temporalUi = devServer.uiUrl;
  }
  const temporal = { ...config.temporal, address: temporalAddress };

  let mailbox: LocalMailbox | undefined;
  let smtpUrl = config.smtpUrl;
  if (!smtpUrl) {
    mailbox = new LocalMailbox();
    await step('Lokal brevlåda (SMTP)', () => mailbox!.start(config.devSmtpPort));
    onShutdown('brevlådan', () => mailbox!.stop());
    smtpUrl = mailbox.smtpUrl;
  }
  const mailer = createSmtpMailer({ url: smtpUrl, from: config.mailFrom });
  onShutdown('e-posten', () => mailer.close());

  // BankID: the installation's (BANKID_URL), or the local test server and its phone page.
  let bankIdPhone: string | undefined;
  const bankId = config.bankId
    ? { client: bankIdClientFrom(config.bankId), appUrl: config.bankIdAppUrl }
    : await step('Lokal BankID-testserver (mTLS) och telefonsida', async () => {
        const local = await startLocalBankId();
        onShutdown('BankID-testservern', local.stop);
        bankIdPhone = local.phoneUrl;
        const { clientP12, passphrase, ca } = local.certificates;
        return { client: createBankIdClient({ url: local.url, pfx: clientP12, passphrase, ca }), appUrl: local.phoneUrl };
      });
  onShutdown('BankID-klienten', () => bankId.client.close());

  // Quieter than a production process: the terminal is also where the links and the key are shown.
  const logger = createLogger({ level: config.logLevel === 'debug' ? 'info' : 'warn' });
  Runtime.install({ logger: temporalLogger(logger), shutdownSignals: [], telemetryOptions: temporalSdkMetrics(config.metrics) });
  // One process, one registry: the worker's counters and the API's beside each other.
  const metrics = createMetrics(databaseGauges(db));
  const served = await step(`Mätvärden (Prometheus)`, async () => {
    const server = await serveConfiguredMetrics(metrics.registry, config.metrics.host, config.metrics.apiPort);
    if (server) onShutdown('mätvärdena', server.close);
    return server?.url ?? 'av (API_METRICS_PORT=0)';
  });
  const payloadCodec = await step('Nycklarna som krypterar det Temporal lagrar', () =>
    checkedPayloadCodec(localPayloadKeys(config.payloadKeys, config.dataDir)!, (fingerprints) => changedPayloadKeys(db, fingerprints)),
  );
  const linkSecret = localLinkSecret(config.linkSecret, config.dataDir);
  // With the local mailbox as the relay, bounces come back to a port of the worker's own, so that
  // an address containing "studsar-senare" shows the whole way of a late bounce.
  const workerConfig = mailbox
    ? {
        ...config,
        bounceAddress: config.bounceAddress ?? LOCAL_BOUNCE_ADDRESS,
        bounceIntake: { ...config.bounceIntake, smtpPort: config.bounceIntake.smtpPort ?? 0, smtpHost: '127.0.0.1' },
      }
    : config;
  const worker = await step('Worker (paketerar arbetsflödena)', async () =>
    createConfiguredWorker(workerConfig, {
      connection: await connectWorker(temporal),
      payloadCodec,
      db,
      mailer,
      linkSecret,
      metrics,
      logger,
      bankId,
    }),
  );
  const workerRun = worker.run();
  onShutdown('workern', async () => {
    worker.shutdown();
    await workerRun;
  });

  const connection = await connectClient(temporal);
  onShutdown('Temporal-klienten', () => connection.close());
  const client = new Client({ connection, namespace: temporal.namespace, dataConverter: encryptingDataConverter(payloadCodec) });
  await step('Nattlig gallring av personuppgifter (Temporal Schedule)', () =>
    ensureRetentionSchedule(client, temporal.taskQueue, { policy: config.retention, sessionPolicy: config.sessionPolicy }).then((done) =>
      done === 'created' ? 'skapat' : 'uppdaterat',
    ),
  );
  await step('Webhooks (lyssnar efter nya leveranser)', async () => {
    // The embedded database takes one connection, so there is none to LISTEN on: it sweeps instead.
    const listen = config.databaseUrl !== undefined;
    const wakeup = await wakeWebhookDrains({ ...(listen ? { databaseUrl } : {}), db, client, taskQueue: temporal.taskQueue, logger });
    onShutdown('webhook-lyssnaren', wakeup.stop);
    return listen ? 'lyssnar på databasen' : 'söker var tionde sekund (inbäddad databas)';
  });
  await step('Studsar (leveransrapporter som kommer senare)', async () => {
    const readers = await startBounceReaders(workerConfig, { db, client, linkSecret, metrics, logger });
    onShutdown('studsläsarna', readers.stop);
    const port = readers.smtpPort;
    if (!mailbox || port === undefined) return workerConfig.bounceIntake.imapUrl ? 'läser IMAP' : 'av';
    mailbox.bounceLater = {
      marker: BOUNCES_LATER_MARKER,
      afterMs: 60_000,
      deliver: (report, returnPath) => sendDeliveryReport(port, returnPath, report),
    };
    return `adresser med "${BOUNCES_LATER_MARKER}" studsar en minut efter att de tagits emot`;
  });
  const app = await buildServer({
    db,
    linkSecret,
    engine: {
      client,
      taskQueue: temporal.taskQueue,
      commandDeadlineMs: config.commandDeadlineMs,
    },
    mailer,
    publicBaseUrl: config.publicBaseUrl,
    mailbox,
    logger,
    trustProxy: config.trustProxy,
    rateLimits: config.rateLimits,
    sessionPolicy: config.sessionPolicy,
    retention: config.retention,
    metrics,
    bankId: { appUrl: bankId.appUrl },
    outbound: createOutbound({ allowedNetworks: config.webhookAllowedNetworks }),
  });
  await step(`API och sidor på port ${config.port}`, () => app.listen({ port: config.port, host: config.host }));
  onShutdown('API:t', () => app.close());

  const token = await localCoordinatorToken(db, config.dataDir);
  const base = config.publicBaseUrl;
  // A new one-time link at every start, so a newcomer is in the web app with one click.
  const local = await coordinatorByEmail(db, LOCAL_COORDINATOR.email);
  // A coordinator of a municipality, so that colleagues can be invited into it from the web app.
  await joinOrganisation(db, local!.id, { kind: 'MUNICIPALITY', name: config.startMunicipality });
  const signIn = await createSignInLink(db, local!.id, LOCAL_SIGN_IN_LINK_TTL);
  console.log(`
Medborgarlöften körs.

  Logga in i webbappen: ${signInUrl(base, signIn)}
                       (gäller en gång, i ${durationInWords(LOCAL_SIGN_IN_LINK_TTL)}; ny länk vid nästa start eller på ${base}/logga-in)
  Webb och API:        ${base}
  API-beskrivning:     ${base}/openapi.json
  Bjud in en kollega:  ${base}/app/kollegor (till ${config.startMunicipality}; START_MUNICIPALITY väljer kommun)
  Hälsa:               ${base}/health
  Mätvärden:           ${served} (Temporal SDK: ${temporalSdkMetricsUrl(config.metrics)})
${mailbox ? `  Lokal brevlåda:      ${base}/dev/mailbox\n` : ''}${bankIdPhone ? `  BankID-telefon:      ${bankIdPhone} (den lokala testserverns "telefon")\n` : ''}${temporalUi ? `  Temporal UI:         ${temporalUi}\n` : ''}
  Samordnarens API-nyckel (lokal): ${token}

Prova (Lessebos löfte från 2020, flyttat till nästa år):
  npm run --silent exempel > lessebo.json
  curl -s -X POST ${base}/api/promises -H "Authorization: Bearer ${token}" \\
       -H "Content-Type: application/json" -d @lessebo.json

Stoppa med Ctrl-C.`);
}

let stoppingSince = 0;
async function shutdown(signal: string) {
  // tsx passes on the terminal's Ctrl-C, so one keypress can arrive twice in quick succession.
  if (stoppingSince) {
    if (Date.now() - stoppingSince < 1_000) return;
    console.log('Avbryter direkt.');
    process.exit(1);
  }
  stoppingSince = Date.now();
  console.log(`\n${signal}: stänger ned (Ctrl-C igen avbryter direkt)…`);
  for (const { name, stop } of stack.reverse()) {
    try {
      await stop();
      console.log(`  ✓ ${name}`);
    } catch (error) {
      console.log(`  ✗ ${name}: ${(error as Error).message}`);
    }
  }
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

main().catch(async (error) => {
  const known = error instanceof ProvisionError || error instanceof ConfigError;
  console.error(known ? `✗ ${error.message}` : error);
  stoppingSince = Date.now();
  for (const { stop } of stack.reverse()) await Promise.resolve(stop()).catch(() => undefined);
  process.exit(1);
});
