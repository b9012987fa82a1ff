import type { Database } from '../store/database';
import { emails } from './email-templates';
import { sendOnce, type OutboxDeps } from './outbox';

// After the relay refused an address for good: the coordinator hears of it once per address and
// promise, with the relay's words and what to do. Everything else goes on as before.

export interface UndeliverableNotice {
  promiseId: string;
  address: string;
  /** Who the address belongs to, as the coordinator knows them: "Anna Andersson, butikschef (undertecknare)". */
  who: string;
  /** What the bounce holds up, in a sentence. */
  effect: string;
}

/** A signatory as the coordinator knows them, for a notice about their address. */
export const signatoryDescription = (signatory: { name: string; title: string; party: { name: string } }): string =>
  `${signatory.name}, ${signatory.title} för ${signatory.party.name} (undertecknare)`;

async function relayAnswer(db: Database, promiseId: string, address: string): Promise<string> {
  const row = await db.emailOutbox.findFirst({
    where: { promiseId, recipient: address, status: 'UNDELIVERABLE' },
    orderBy: { createdAt: 'desc' },
  });
  return row?.lastError ?? '(inget svar sparades)';
}

export async function tellCoordinatorOfUndeliverable(deps: OutboxDeps, notice: UndeliverableNotice): Promise<void> {
  const promise = await deps.db.promiseRecord.findUniqueOrThrow({ where: { id: notice.promiseId }, include: { coordinator: true } });
  // The coordinator's own address bounced: it shows on the promise (GET /api/promises/{id}), nowhere to e-mail.
  if (promise.coordinator.email.toLowerCase() === notice.address.toLowerCase()) return;
  const relay = await relayAnswer(deps.db, notice.promiseId, notice.address);
  await sendOnce(deps, {
    idempotencyKey: `undeliverable:${notice.promiseId}:${notice.address.toLowerCase()}`,
    promiseId: notice.promiseId,
    to: promise.coordinator.email,
    toName: promise.coordinator.name,
    purpose: 'COORDINATOR_UNDELIVERABLE',
    compose: () => emails.undeliverable({ promiseTitle: promise.title, ...notice, relay }),
  });
}
