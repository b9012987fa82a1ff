import { sameAddress } from '../domain/addresses';
import { addressTag } from '../domain/crypto';
import { relayRefusalOf } from '../store/outbox';
import { promiseWithCoordinator } from '../store/promises';
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

export async function tellCoordinatorOfUndeliverable(
  deps: OutboxDeps & { publicBaseUrl: string },
  notice: UndeliverableNotice,
): Promise<void> {
  const promise = await promiseWithCoordinator(deps.db, notice.promiseId);
  // The coordinator's own address bounced: it shows on the promise (GET /api/promises/{id}), nowhere to e-mail.
  if (sameAddress(promise.coordinator.email, notice.address)) return;
  const relay = (await relayRefusalOf(deps.db, notice.promiseId, notice.address)) ?? '(inget svar sparades)';
  await sendOnce(deps, {
    idempotencyKey: `undeliverable:${notice.promiseId}:${addressTag(deps.linkSecret, notice.address)}`,
    promiseId: notice.promiseId,
    to: promise.coordinator.email,
    toName: promise.coordinator.name,
    purpose: 'COORDINATOR_UNDELIVERABLE',
    compose: () =>
      emails.undeliverable({
        promiseTitle: promise.title,
        promisePage: `${deps.publicBaseUrl}/app/loften/${promise.id}`,
        ...notice,
        relay,
      }),
  });
}
