// A promise's webhook deliveries to one endpoint, in the order their events happened: one at a
// time, each under its own retry policy, so a receiver that is down delays only its own deliveries,
// never the promise or its e-mail. Woken by a signal when more are written; ends when none are left.
import { ActivityFailure, setHandler } from '@temporalio/workflow';
import { records, webhookDelivery } from './activity-stubs';
import { webhooksPendingSignal } from './messages';

export interface WebhookDrainInput {
  endpointId: string;
  promiseId: string;
}

export const webhookDrainWorkflowId = ({ endpointId, promiseId }: WebhookDrainInput) => `webhooks-${endpointId}-${promiseId}`;

export async function webhookDrainWorkflow(input: WebhookDrainInput): Promise<void> {
  let pending = true;
  setHandler(webhooksPendingSignal, () => {
    pending = true;
  });
  // A signal that came while draining (even as the last look found nothing) means more were written: look again.
  while (pending) {
    pending = false;
    for (let next = await records.nextWebhookDelivery(input); next; next = await records.nextWebhookDelivery(input)) {
      try {
        await webhookDelivery.deliverWebhook({ deliveryId: next });
      } catch (error) {
        if (!(error instanceof ActivityFailure)) throw error;
        // A day of tries without an answer that counts: the delivery shows as failed, the next goes on.
        await records.failWebhookDelivery({ deliveryId: next });
      }
    }
  }
}
