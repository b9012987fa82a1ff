import { uuidFromName } from '../domain/crypto';
import { webhookDataOf, webhookEventOf, type WebhookEvent } from '../domain/webhooks';
import type { AuditAction } from '../domain/audit-actions';
import type { Prisma } from '../prisma/generated/client';
import { Client } from 'pg';
import type { Database, Tx } from './database';

// Webhook deliveries as an outbox: written in the transaction that records the event, one per
// enabled endpoint of the promise's organisations (its municipality's, its police area's) that takes
// the event, so no event is lost and none is sent that was not recorded.

/** The webhook-id of an event's delivery to an endpoint: the same however often it is written or tried. */
export const deliveryIdOf = (auditEventId: bigint, endpointId: string) => `msg_${uuidFromName(`webhook:${auditEventId}:${endpointId}`)}`;

export async function enqueueWebhooks(
  tx: Tx,
  event: { id: bigint; promiseId: string; action: AuditAction; occurredAt: Date; details: Prisma.InputJsonValue | undefined },
): Promise<number> {
  const type: WebhookEvent | undefined = webhookEventOf(event.action);
  if (!type) return 0;
  const promise = await tx.promiseRecord.findUnique({ where: { id: event.promiseId }, select: { municipality: true, policeArea: true } });
  if (!promise) return 0;
  const endpoints = await tx.webhookEndpoint.findMany({
    where: {
      disabledAt: null,
      events: { has: type },
      organisation: {
        OR: [
          { kind: 'MUNICIPALITY', name: { equals: promise.municipality, mode: 'insensitive' } },
          ...(promise.policeArea
            ? [{ kind: 'POLICE_AREA' as const, name: { equals: promise.policeArea, mode: 'insensitive' as const } }]
            : []),
        ],
      },
    },
    select: { id: true },
  });
  if (endpoints.length === 0) return 0;
  await tx.webhookDelivery.createMany({
    data: endpoints.map((endpoint) => ({
      id: deliveryIdOf(event.id, endpoint.id),
      endpointId: endpoint.id,
      promiseId: event.promiseId,
      eventType: type,
      payload: {
        auditEventId: String(event.id),
        occurredAt: event.occurredAt.toISOString(),
        data: webhookDataOf(type, event.action, (event.details ?? {}) as Record<string, unknown>),
      } as Prisma.InputJsonObject,
    })),
    skipDuplicates: true,
  });
  await notifyDrains(
    tx,
    endpoints.map((endpoint) => ({ endpointId: endpoint.id, promiseId: event.promiseId })),
  );
  return endpoints.length;
}

/** Sent when the transaction commits, and only then: the workers wake these drains (worker/webhook-wakeup.ts). */
export async function notifyDrains(tx: Tx, keys: DrainKey[]) {
  await tx.$executeRaw`SELECT pg_notify(${WEBHOOKS_CHANNEL}, ${JSON.stringify(keys)})`;
}

const WEBHOOKS_CHANNEL = 'webhooks';

export interface DrainKey {
  endpointId: string;
  promiseId: string;
}

/** Every endpoint and promise with deliveries still to go: what the drains should be running for. */
export async function pendingWebhookDrains(db: Database): Promise<DrainKey[]> {
  return db.webhookDelivery.findMany({
    where: { status: 'PENDING' },
    distinct: ['endpointId', 'promiseId'],
    select: { endpointId: true, promiseId: true },
  });
}

/**
 * Listens for deliveries written (NOTIFY on commit), on a connection of its own that comes back
 * after the database does; `onPending` hears each endpoint and promise, `onReconnected` when
 * notifications may have been missed meanwhile.
 */
export async function listenForWebhooks(
  databaseUrl: string,
  handlers: { onPending(keys: DrainKey[]): void; onReconnected(): void; onError(error: Error): void },
): Promise<{ close(): Promise<void> }> {
  let closed = false;
  let connection: Client | undefined;
  const connect = async (): Promise<void> => {
    const client = new Client({ connectionString: databaseUrl });
    client.on('notification', (message) => {
      if (message.channel === WEBHOOKS_CHANNEL && message.payload) handlers.onPending(JSON.parse(message.payload) as DrainKey[]);
    });
    client.on('error', (error) => {
      handlers.onError(error);
      void client.end().catch(() => undefined);
      if (!closed) setTimeout(() => void reconnect(), RECONNECT_MS);
    });
    await client.connect();
    await client.query(`LISTEN ${WEBHOOKS_CHANNEL}`);
    connection = client;
  };
  const reconnect = async () => {
    try {
      await connect();
      handlers.onReconnected();
    } catch (error) {
      handlers.onError(error as Error);
      if (!closed) setTimeout(() => void reconnect(), RECONNECT_MS);
    }
  };
  await connect();
  return {
    async close() {
      closed = true;
      await connection?.end().catch(() => undefined);
    },
  };
}

const RECONNECT_MS = 5_000;
