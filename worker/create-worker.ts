import { createOutbound } from '../platform/outbound';
import type { PayloadCodec } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { AppConfig } from '../platform/config';
import { encryptingDataConverter } from '../platform/payload-codec';

export interface WorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  deps: ActivityDeps;
  /** Encrypts what the worker hands Temporal and decrypts what it reads back (platform/payload-codec.ts). */
  payloadCodec: PayloadCodec;
  /** A prebuilt bundle (tests build it once per file); otherwise the workflows are bundled here. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  /** Workflows kept in memory between tasks; 0 makes every task replay its history. */
  maxCachedWorkflows?: number;
}

export function createWorker(options: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    activities: createActivities(options.deps),
    dataConverter: encryptingDataConverter(options.payloadCodec),
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
  });
}

/** The worker as the configuration sets it up (`npm run worker` and `npm start`), on the services given. */
export function createConfiguredWorker(
  config: AppConfig,
  services: { connection: NativeConnection; payloadCodec: PayloadCodec } & Pick<
    ActivityDeps,
    'db' | 'mailer' | 'linkSecret' | 'metrics' | 'logger' | 'bankId'
  >,
): Promise<Worker> {
  const { connection, payloadCodec, ...deps } = services;
  return createWorker({
    connection,
    payloadCodec,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    maxCachedWorkflows: config.workerCachedWorkflows,
    deps: {
      ...deps,
      publicBaseUrl: config.publicBaseUrl,
      dailyLimitPerRecipient: config.mailDailyLimitPerRecipient,
      ...(config.bounceAddress ? { bounceAddress: config.bounceAddress } : {}),
      outbound: createOutbound({ allowedNetworks: config.webhookAllowedNetworks }),
    },
  });
}
