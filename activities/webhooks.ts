import { ApplicationFailure } from '@temporalio/activity';
import { openSealed, webhookHeaders } from '../domain/crypto';
import { createOutbound, type Outbound } from '../platform/outbound';
import { recordWebhookAnswered, recordWebhookFailure } from '../store/webhook-endpoints';
import { emails } from './email-templates';
import { sendOnce, tryEach, type OutboxDeps } from './outbox';

// Delivering one webhook (its workflow drains a promise's deliveries to an endpoint in order). The
// same webhook-id and body on every attempt; a new timestamp and signatures each time. What the
// answer means is decided here: 2xx delivered; 408, 429, 5xx and no answer at all tried again (after
// Retry-After when given); any other 4xx, a redirect, or an address that is not public is final.

export interface WebhookDeps extends OutboxDeps {
  outbound?: Outbound;
}

/** Answers worth another attempt: the receiver was busy, overloaded or briefly down. */
const TRANSIENT = (status: number) => status === 408 || status === 429 || status >= 500;

export function createWebhookActivities(deps: WebhookDeps) {
  const { db, linkSecret } = deps;
  const outbound = deps.outbound ?? createOutbound();

  async function record(id: string, outcome: { status: 'PENDING' | 'DELIVERED' | 'FAILED'; code?: number; error?: string }) {
    await db.webhookDelivery.update({
      where: { id },
      data: {
        status: outcome.status,
        attempts: { increment: 1 },
        lastAttemptAt: new Date(),
        lastStatusCode: outcome.code ?? null,
        lastError: outcome.error ?? null,
        ...(outcome.status === 'DELIVERED' ? { deliveredAt: new Date() } : {}),
      },
    });
  }

  return {
    /** The next delivery still to go to the endpoint for the promise, in the order the events happened. */
    async nextWebhookDelivery(input: { endpointId: string; promiseId: string }): Promise<string | null> {
      const next = await db.webhookDelivery.findFirst({
        where: { endpointId: input.endpointId, promiseId: input.promiseId, status: 'PENDING' },
        orderBy: { sequence: 'asc' },
        select: { id: true },
      });
      return next?.id ?? null;
    },

    /**
     * The last attempt failed: the delivery shows as failed (the app offers to send it again). An
     * endpoint failing for days is switched off, and each of its organisation's coordinators told once.
     */
    async failWebhookDelivery(input: { deliveryId: string }) {
      const switchedOff = await recordWebhookFailure(db, input.deliveryId);
      if (!switchedOff) return;
      const { endpoint, coordinators } = switchedOff;
      await tryEach(coordinators, (coordinator) =>
        sendOnce(deps, {
          idempotencyKey: `webhook-disabled:${endpoint.id}:${endpoint.disabledAt!.getTime()}:${coordinator.id}`,
          to: coordinator.email,
          toName: coordinator.name,
          purpose: 'WEBHOOK_DISABLED',
          compose: () =>
            emails.webhookDisabled({
              recipientName: coordinator.name,
              organisation: coordinator.organisation,
              description: endpoint.description,
              url: endpoint.url,
              reason: endpoint.disabledReason ?? '',
              link: `${deps.publicBaseUrl}/app/webhooks/${endpoint.id}`,
            }),
        }),
      );
    },

    /** One attempt at a delivery; throws a retryable failure when another attempt may succeed. */
    async deliverWebhook(input: { deliveryId: string }): Promise<{ status: 'DELIVERED' | 'FAILED' | 'SKIPPED' }> {
      const delivery = await db.webhookDelivery.findUniqueOrThrow({ where: { id: input.deliveryId }, include: { endpoint: true } });
      if (delivery.status !== 'PENDING') return { status: 'SKIPPED' };
      const { endpoint } = delivery;
      if (endpoint.disabledAt) {
        await record(delivery.id, { status: 'FAILED', error: 'Mottagaren är avstängd.' });
        return { status: 'FAILED' };
      }
      const payload = delivery.payload as { occurredAt: string; data: Record<string, unknown> };
      // The shape domain/webhooks.ts documents (webhookPayloadSchema).
      const body = JSON.stringify({
        type: delivery.eventType,
        timestamp: payload.occurredAt,
        data: {
          ...payload.data,
          promiseId: delivery.promiseId,
          links: {
            page: `${deps.publicBaseUrl}/loften/${delivery.promiseId}`,
            api: `${deps.publicBaseUrl}/api/promises/${delivery.promiseId}`,
          },
        },
      });
      const secrets = [openSealed(linkSecret, endpoint.secretSealed)];
      if (endpoint.previousSecretSealed && endpoint.previousSecretUntil && endpoint.previousSecretUntil > new Date()) {
        secrets.push(openSealed(linkSecret, endpoint.previousSecretSealed));
      }
      const headers = webhookHeaders(secrets, { id: delivery.id, timestamp: Math.floor(Date.now() / 1000), body });
      const answer = await outbound.post(endpoint.url, headers, body);
      if (answer.kind === 'answered' && answer.status >= 200 && answer.status < 300) {
        await record(delivery.id, { status: 'DELIVERED', code: answer.status });
        await recordWebhookAnswered(db, endpoint.id);
        return { status: 'DELIVERED' };
      }
      if (answer.kind === 'refused' || (answer.kind === 'answered' && !TRANSIENT(answer.status))) {
        const error = answer.kind === 'refused' ? answer.reason : `svarade ${answer.status}: ${answer.excerpt.slice(0, 200)}`;
        await record(delivery.id, { status: 'FAILED', ...(answer.kind === 'answered' ? { code: answer.status } : {}), error });
        return { status: 'FAILED' };
      }
      const error = answer.kind === 'unreachable' ? answer.reason : `svarade ${answer.status}`;
      await record(delivery.id, { status: 'PENDING', ...(answer.kind === 'answered' ? { code: answer.status } : {}), error });
      throw ApplicationFailure.create({
        message: `Webhooken ${delivery.id} kom inte fram: ${error}`,
        type: 'WEBHOOK_NOT_DELIVERED',
        ...(answer.kind === 'answered' && answer.retryAfterSeconds !== undefined ? { nextRetryDelay: `${answer.retryAfterSeconds}s` } : {}),
      });
    },
  };
}
