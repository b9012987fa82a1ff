import type { Actor } from '../domain/actor';
import { DomainError } from '../domain/errors';
import { durationInWords, durationToMs } from '../domain/durations';
import { DISABLE_FAILING_AFTER, PREVIOUS_SECRET_GRACE, type WebhookEvent } from '../domain/webhooks';
import { recordAudit } from './audit';
import { membershipOf } from './organisations';
import { notifyDrains } from './webhooks';
import type { Database, Tx } from './database';

// An organisation's webhook endpoints as its coordinators manage them (the deliveries' outbox is in
// webhooks.ts): add one, change its secret with a grace period, switch it off and on, see its
// deliveries and send one again. A coordinator reaches only their own organisations' endpoints.

/** The endpoint, if the coordinator coordinates its organisation; NOT_FOUND otherwise (no hint that it exists). */
async function endpointFor(tx: Tx, endpointId: string, coordinatorId: string) {
  const endpoint = await tx.webhookEndpoint.findFirst({
    where: { id: endpointId, organisation: { members: { some: { coordinatorId } } } },
    include: { organisation: true },
  });
  if (!endpoint) throw new DomainError('NOT_FOUND', 'Ingen sådan webhook-mottagare i dina organisationer.');
  return endpoint;
}

const auditOf = (endpoint: { id: string; organisationId: string; url: string }) => ({
  organisationId: endpoint.organisationId,
  endpointId: endpoint.id,
  url: endpoint.url,
});

/** The endpoints with how many of their deliveries wait, arrived and failed. */
async function withDeliveryCounts<E extends { id: string }>(db: Database, endpoints: E[]) {
  const counts = await db.webhookDelivery.groupBy({
    by: ['endpointId', 'status'],
    where: { endpointId: { in: endpoints.map((e) => e.id) } },
    _count: { _all: true },
  });
  const countOf = (endpointId: string, status: 'PENDING' | 'DELIVERED' | 'FAILED') =>
    counts.find((c) => c.endpointId === endpointId && c.status === status)?._count._all ?? 0;
  return endpoints.map((endpoint) => ({
    ...endpoint,
    pending: countOf(endpoint.id, 'PENDING'),
    delivered: countOf(endpoint.id, 'DELIVERED'),
    failed: countOf(endpoint.id, 'FAILED'),
  }));
}

/** Each organisation the coordinator belongs to, with its endpoints and how their deliveries stand. */
export async function webhookEndpointsOf(db: Database, coordinatorId: string) {
  const organisations = await db.organisation.findMany({
    where: { members: { some: { coordinatorId } } },
    orderBy: { name: 'asc' },
    include: { webhookEndpoints: { orderBy: { createdAt: 'asc' } } },
  });
  const counted = await withDeliveryCounts(
    db,
    organisations.flatMap((o) => o.webhookEndpoints),
  );
  return organisations.map((organisation) => ({
    id: organisation.id,
    name: organisation.name,
    endpoints: counted.filter((endpoint) => endpoint.organisationId === organisation.id),
  }));
}

export async function addWebhookEndpoint(
  db: Database,
  input: { organisationId: string; url: string; description: string; events: WebhookEvent[]; secretSealed: string; actor: Actor },
) {
  return db.$transaction(async (tx) => {
    const { organisation } = await membershipOf(tx, input.organisationId, input.actor.id);
    const endpoint = await tx.webhookEndpoint.create({
      data: {
        organisationId: organisation.id,
        url: input.url,
        description: input.description,
        events: input.events,
        secretSealed: input.secretSealed,
      },
    });
    await recordAudit(tx, { actor: input.actor, action: 'WEBHOOK_ENDPOINT_ADDED', details: auditOf(endpoint) });
    return { ...endpoint, organisation };
  });
}

/** A new secret; the one before keeps signing beside it for the grace period, so the receiver can change over. */
export async function rotateWebhookSecret(db: Database, input: { endpointId: string; secretSealed: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const endpoint = await endpointFor(tx, input.endpointId, input.actor.id);
    const previousSecretUntil = new Date(Date.now() + durationToMs(PREVIOUS_SECRET_GRACE));
    const rotated = await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { secretSealed: input.secretSealed, previousSecretSealed: endpoint.secretSealed, previousSecretUntil },
    });
    await recordAudit(tx, { actor: input.actor, action: 'WEBHOOK_SECRET_ROTATED', details: auditOf(endpoint) });
    return rotated;
  });
}

/** Switched off by a coordinator: nothing more is written for it; what waits fails as it comes up. */
export async function disableWebhookEndpoint(db: Database, input: { endpointId: string; reason: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const endpoint = await endpointFor(tx, input.endpointId, input.actor.id);
    if (endpoint.disabledAt) return endpoint;
    return switchOff(tx, endpoint, input.reason, input.actor);
  });
}

async function switchOff(
  tx: Tx,
  endpoint: { id: string; organisationId: string; url: string; failingSince?: Date | null },
  reason: string,
  actor: Actor,
) {
  const disabled = await tx.webhookEndpoint.update({
    where: { id: endpoint.id },
    data: { disabledAt: new Date(), disabledReason: reason, ...(endpoint.failingSince ? { failingSince: endpoint.failingSince } : {}) },
  });
  await recordAudit(tx, { actor, action: 'WEBHOOK_ENDPOINT_DISABLED', details: { ...auditOf(endpoint), reason } });
  return disabled;
}

/** Switched on again: events from now on are delivered; its failed ones can be sent again one by one. */
export async function enableWebhookEndpoint(db: Database, input: { endpointId: string; actor: Actor }) {
  return db.$transaction(async (tx) => {
    const endpoint = await endpointFor(tx, input.endpointId, input.actor.id);
    if (!endpoint.disabledAt) return endpoint;
    const enabled = await tx.webhookEndpoint.update({
      where: { id: endpoint.id },
      data: { disabledAt: null, disabledReason: null, failingSince: null },
    });
    await recordAudit(tx, { actor: input.actor, action: 'WEBHOOK_ENDPOINT_ENABLED', details: auditOf(endpoint) });
    return enabled;
  });
}

/** The endpoint, with how its deliveries stand, and its latest deliveries, newest first. */
export async function webhookEndpointWithDeliveries(db: Database, input: { endpointId: string; coordinatorId: string; take?: number }) {
  const endpoint = (await withDeliveryCounts(db, [await endpointFor(db, input.endpointId, input.coordinatorId)]))[0]!;
  const deliveries = await db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id },
    orderBy: { sequence: 'desc' },
    take: input.take ?? 100,
  });
  return { endpoint, deliveries };
}

/**
 * A delivery sent again, with the same webhook-id (so a receiver that had it drops the copy), ahead
 * of what waits for the same promise. CONFLICT while it still waits or the endpoint is off.
 */
export async function resendWebhookDelivery(db: Database, input: { endpointId: string; deliveryId: string; coordinatorId: string }) {
  return db.$transaction(async (tx) => {
    const endpoint = await endpointFor(tx, input.endpointId, input.coordinatorId);
    if (endpoint.disabledAt) throw new DomainError('CONFLICT', 'Mottagaren är avstängd; sätt på den först.');
    const delivery = await tx.webhookDelivery.findFirst({ where: { id: input.deliveryId, endpointId: endpoint.id } });
    if (!delivery) throw new DomainError('NOT_FOUND', 'Ingen sådan leverans till den här mottagaren.');
    if (delivery.status === 'PENDING') throw new DomainError('CONFLICT', 'Leveransen väntar redan på att skickas.');
    const resent = await tx.webhookDelivery.update({ where: { id: delivery.id }, data: { status: 'PENDING', lastError: null } });
    await notifyDrains(tx, [{ endpointId: endpoint.id, promiseId: delivery.promiseId }]);
    return resent;
  });
}

/**
 * A delivery failed after its last attempt. An endpoint that has delivered nothing for
 * DISABLE_FAILING_AFTER is switched off; the answer then names it and its coordinators, to be told
 * (again on a retry: the e-mail is keyed on the switch-off, so it goes once).
 */
export async function recordWebhookFailure(db: Database, deliveryId: string) {
  return db.$transaction(async (tx) => {
    const delivery = await tx.webhookDelivery.update({
      where: { id: deliveryId },
      data: { status: 'FAILED' },
      include: { endpoint: true },
    });
    const { endpoint } = delivery;
    // Failing since this delivery was written, when none has arrived since: it was tried that long.
    const failingSince = endpoint.failingSince ?? delivery.createdAt;
    const failedFor = (endpoint.disabledAt?.getTime() ?? Date.now()) - failingSince.getTime();
    if (failedFor < durationToMs(DISABLE_FAILING_AFTER)) {
      if (!endpoint.failingSince && !endpoint.disabledAt)
        await tx.webhookEndpoint.update({ where: { id: endpoint.id }, data: { failingSince } });
      return undefined;
    }
    const reason = `Varje leverans har misslyckats i ${durationInWords(DISABLE_FAILING_AFTER)}.`;
    const disabled = endpoint.disabledAt
      ? endpoint
      : await switchOff(tx, { ...endpoint, failingSince }, reason, { kind: 'SYSTEM', id: 'webhooks' });
    const members = await tx.organisationMember.findMany({
      where: { organisationId: endpoint.organisationId },
      include: { coordinator: { select: { id: true, name: true, email: true } }, organisation: { select: { name: true } } },
    });
    return { endpoint: disabled, coordinators: members.map((m) => ({ ...m.coordinator, organisation: m.organisation.name })) };
  });
}

/** A delivery arrived: the endpoint answers again. */
export async function recordWebhookAnswered(db: Database, endpointId: string) {
  await db.webhookEndpoint.updateMany({ where: { id: endpointId, failingSince: { not: null } }, data: { failingSince: null } });
}
