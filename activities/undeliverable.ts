import { sameAddress } from '../domain/addresses';
import { addressTag } from '../domain/crypto';
import { relayRefusalOf } from '../store/outbox';
import { promiseWithCoordinator } from '../store/promises';
import { recordRequestDelivery } from '../store/signing';
import { emails } from './email-templates';
import { sendOnce, type OutboxDeps } from './outbox';

// After an address was found undeliverable, whether the relay refused it while sending or a
// notification came back later (activities/bounces.ts): the coordinator hears of it once per
// address and promise, with the relay's words and what to do. Everything else goes on as before.

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

type Deps = OutboxDeps & { publicBaseUrl: string };

/** A signing request whose e-mail will not arrive: no reminders go to it, and the coordinator is told. */
export async function signingRequestUndeliverable(
  deps: Deps,
  request: { id: string; round: { promiseId: string }; signatory: { name: string; title: string; email: string; party: { name: string } } },
): Promise<void> {
  await recordRequestDelivery(deps.db, request.id, 'UNDELIVERABLE');
  await tellCoordinatorOfUndeliverable(deps, {
    promiseId: request.round.promiseId,
    address: request.signatory.email,
    who: signatoryDescription(request.signatory),
    effect:
      'Begäran om signatur nådde inte fram, så hen kan inte signera förrän adressen är rättad. Övriga undertecknare påverkas inte, och signeringen fortsätter till sin tidsfrist.',
  });
}

/** An activity's reminder that will not arrive: the coordinator is told; the year goes on. */
export const reminderUndeliverable = (
  deps: Deps,
  reminder: { promiseId: string; contact: { name: string; email: string }; commitmentText: string },
) =>
  tellCoordinatorOfUndeliverable(deps, {
    promiseId: reminder.promiseId,
    address: reminder.contact.email,
    who: `${reminder.contact.name} (kontaktperson för "${reminder.commitmentText}")`,
    effect: 'Påminnelsen om aktiviteten nådde inte fram. Andra påminnelser och resten av året går som planerat.',
  });
