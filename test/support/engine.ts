import type { Logger } from 'pino';
import { randomBytes } from 'node:crypto';
import { Runtime, DefaultLogger, bundleWorkflowCode, type Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { PayloadCodec } from '@temporalio/common';
import type { ActivityDeps } from '../../activities';
import { databaseGauges } from '../../api/metrics';
import type { EngineClient } from '../../api/commands';
import { newLinkSecret } from '../../domain/crypto';
import { createBankIdClient } from '../../platform/bankid-client';
import { startLocalBankId, type LocalBankId } from '../../platform/embedded/bankid-server';
import { createOutbound, type OutboundOptions } from '../../platform/outbound';
import { wakeWebhookDrains } from '../../worker/webhook-wakeup';
import { LocalMailbox } from '../../platform/embedded/mailbox';
import { createSmtpMailer } from '../../platform/mailer';
import { createMetrics, type Metrics } from '../../platform/metrics';
import { EncryptionCodec, FAILURE_CONVERTER_PATH, newPayloadKey, parsePayloadKeys } from '../../platform/payload-codec';
import { createWorker } from '../../worker/create-worker';
import { createTestDatabase, type TestDatabase } from './database';
import { startDevServer, startTimeSkippingServer } from './temporal-servers';

// Everything a workflow test runs on, all real: a Temporal server (time-skipping or dev server),
// a worker with the production activities, PostgreSQL and an SMTP server.

Runtime.install({ logger: new DefaultLogger('WARN') });

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;
function workflowBundle() {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: new DefaultLogger('WARN'),
  });
  return bundle;
}

export interface Engine extends EngineClient {
  env: TestWorkflowEnvironment;
  /** What the worker's activities run with, for tests that call an activity directly. */
  activityDeps: ActivityDeps;
  /** The worker's and the API's metrics, in one registry as under `npm start`. */
  metrics: Metrics;
  database: TestDatabase;
  mailbox: LocalMailbox;
  /** The local BankID server (mutual TLS) the worker's BankID client talks to, with its phone. */
  bankId: LocalBankId;
  /** Moves the local BankID server's clock on, so an order runs out of time without the wait. */
  advanceBankIdClock(ms: number): void;
  worker: Worker;
  publicBaseUrl: string;
  /** The key the client and the worker encrypt payloads with, as PAYLOAD_ENCRYPTION_KEYS writes it. */
  payloadKeys: string;
  payloadCodec: PayloadCodec;
  /** Stops the worker (running activities finish first) and resolves when it is down. */
  stopWorker(): Promise<void>;
  /** A fresh worker on the same queue, as after a deploy or a crash. */
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

export interface EngineOptions {
  publicBaseUrl?: string;
  /**
   * Workers that will be stopped and replaced mid-test. The time-skipping server ignores a worker's
   * shutdown and never times out a task on its sticky queue, so a workflow cached by a stopped
   * worker would wait forever; without a cache every task goes to the shared queue (and replays
   * the history, which checks determinism along the way).
   */
  replaceableWorkers?: boolean;
  /** Where the activities' info lines go, as the worker process writes them; nowhere by default. */
  logger?: Logger;
  /** How webhooks reach their receivers (a test's own CA, its loopback receiver allowed); public addresses only by default. */
  webhookOutbound?: OutboundOptions;
  /** BOUNCE_ADDRESS: every e-mail's return path names its outbox row there. */
  bounceAddress?: string;
  /** The relay the worker sends through (a real MTA in front of the local mailbox); the local mailbox by default. */
  smtpUrl?: string;
}

export async function startEngine(
  kind: 'time-skipping' | 'dev-server',
  {
    publicBaseUrl = 'http://localhost:3000',
    replaceableWorkers = false,
    logger,
    webhookOutbound,
    bounceAddress,
    smtpUrl,
  }: EngineOptions = {},
): Promise<Engine> {
  const payloadKeys = newPayloadKey('test');
  const payloadCodec = new EncryptionCodec(parsePayloadKeys(payloadKeys));
  const env = kind === 'time-skipping' ? await startTimeSkippingServer(payloadCodec) : await startDevServer(payloadCodec);
  const database = await createTestDatabase();
  const mailbox = new LocalMailbox();
  await mailbox.start();
  const mailer = createSmtpMailer({ url: smtpUrl ?? mailbox.smtpUrl, from: 'Medborgarlöften <noreply@test.example>' });
  let bankIdClockSkewMs = 0;
  const bankId = await startLocalBankId({ now: () => Date.now() + bankIdClockSkewMs });
  const { clientP12, passphrase, ca } = bankId.certificates;
  const bankIdClient = createBankIdClient({ url: bankId.url, pfx: clientP12, passphrase, ca, timeoutMs: 5_000 });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  const metrics = createMetrics(databaseGauges(database.db));
  const activityDeps: ActivityDeps = {
    db: database.db,
    mailer,
    publicBaseUrl,
    linkSecret: newLinkSecret(),
    metrics,
    logger,
    bankId: { client: bankIdClient },
    outbound: createOutbound(webhookOutbound),
    ...(bounceAddress ? { bounceAddress } : {}),
  };
  const newWorker = async () =>
    createWorker({
      connection: env.nativeConnection,
      namespace: env.namespace ?? 'default',
      taskQueue,
      deps: activityDeps,
      payloadCodec,
      workflowBundle: await workflowBundle(),
      ...(replaceableWorkers ? { maxCachedWorkflows: 0 } : {}),
    });
  let running: Promise<void> | undefined;
  const engine: Engine = {
    env,
    activityDeps,
    metrics,
    client: env.client,
    taskQueue,
    ...(kind === 'time-skipping' ? { workflowClock: () => env.currentTimeMs() } : {}),
    database,
    mailbox,
    bankId,
    advanceBankIdClock(ms) {
      bankIdClockSkewMs += ms;
    },
    worker: await newWorker(),
    publicBaseUrl,
    payloadKeys,
    payloadCodec,
    async stopWorker() {
      if (!running) return;
      engine.worker.shutdown();
      await running;
      running = undefined;
    },
    async startWorker() {
      await engine.stopWorker();
      engine.worker = await newWorker();
      running = engine.worker.run();
    },
    async stop() {
      await wakeup.stop();
      await engine.stopWorker();
      mailer.close();
      bankIdClient.close();
      await bankId.stop();
      await mailbox.stop();
      await database.drop();
      await env.teardown();
    },
  };
  running = engine.worker.run();
  const wakeup = await wakeWebhookDrains({ databaseUrl: database.url, db: database.db, client: env.client, taskQueue });
  return engine;
}
