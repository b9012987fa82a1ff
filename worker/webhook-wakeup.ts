import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Database } from '../store/database';
import { listenForWebhooks, pendingWebhookDrains, type DrainKey } from '../store/webhooks';
import { webhookDrainWorkflow, webhookDrainWorkflowId } from '../workflows/webhook-drain';
import { webhooksPendingSignal } from '../workflows/messages';

// Wakes the webhook drains: when a delivery is written (the database's NOTIFY on commit), and, for
// anything a missed notification left behind (the worker was down, the connection dropped), on
// reconnecting and every few minutes. Waking is signal-with-start, so a running drain is told and a
// finished one starts again; every worker does it, and a second wake-up changes nothing.

const SWEEP_EVERY_MS = 5 * 60_000;
/** Without a connection to listen on (npm start's embedded database takes one connection), the sweep is all there is. */
const SWEEP_ALONE_EVERY_MS = 10_000;

export async function wakeWebhookDrains(deps: {
  /** The database to LISTEN on; none: sweeping only, every ten seconds. */
  databaseUrl?: string;
  db: Database;
  client: Client;
  taskQueue: string;
  logger?: Logger;
}): Promise<{ stop(): Promise<void> }> {
  const wake = (keys: DrainKey[]) => {
    for (const key of keys) {
      deps.client.workflow
        .signalWithStart(webhookDrainWorkflow, {
          workflowId: webhookDrainWorkflowId(key),
          taskQueue: deps.taskQueue,
          args: [key],
          signal: webhooksPendingSignal,
        })
        .catch((error: unknown) =>
          deps.logger?.warn({ err: error, ...key }, 'Kunde inte väcka webhook-leveransen; nästa svep försöker igen'),
        );
    }
  };
  const sweep = () =>
    pendingWebhookDrains(deps.db)
      .then(wake)
      .catch((error: unknown) => deps.logger?.warn({ err: error }, 'Svepet efter webhook-leveranser misslyckades'));
  const listener =
    deps.databaseUrl &&
    (await listenForWebhooks(deps.databaseUrl, {
      onPending: wake,
      onReconnected: () => void sweep(),
      onError: (error) => deps.logger?.warn({ err: error }, 'Lyssnaren efter webhook-leveranser tappade databasen; ansluter igen'),
    }));
  await sweep();
  const timer = setInterval(() => void sweep(), listener ? SWEEP_EVERY_MS : SWEEP_ALONE_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      if (listener) await listener.close();
    },
  };
}
