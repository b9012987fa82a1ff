import { uuidFromName } from '../domain/crypto';
import { webhookEventOf, type WebhookEvent } from '../domain/webhooks';
import type { AuditAction } from '../domain/audit-actions';
import type { Prisma } from '@prisma/client';
import type { Tx } from './database';

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
      payload: { auditEventId: String(event.id), occurredAt: event.occurredAt.toISOString(), details: event.details ?? {} },
    })),
    skipDuplicates: true,
  });
  return endpoints.length;
}
