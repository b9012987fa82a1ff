import { sameAddress } from '../domain/addresses';
import { linkOfEmail, loadBounceNotice } from '../store/bounces';
import { markUndeliverable } from '../store/outbox';
import { loadSigningRequest } from '../store/signing';
import { occurrenceToRemind } from '../store/year';
import type { ActivityDeps } from './index';
import { reminderUndeliverable, signingRequestUndeliverable, tellCoordinatorOfUndeliverable } from './undeliverable';

// A notification that came back after the relay took an e-mail (issue 26), applied by the promise's
// workflow when it is told: the same consequences as a refusal while sending. Only what the e-mail
// still stands for changes: a request of a round that has ended, or an address corrected since,
// keeps its state; the e-mail itself is recorded as undeliverable either way.

export function createBounceActivities(deps: ActivityDeps) {
  const { db } = deps;
  return {
    async applyBounce(input: { noticeId: string }): Promise<'UNDELIVERABLE' | 'UNCHANGED'> {
      const notice = await loadBounceNotice(db, input.noticeId);
      if (notice?.kind !== 'PERMANENT') return 'UNCHANGED';
      const email = notice.outbox;
      // An e-mail never sent (held back, abandoned) cannot have bounced; one already undeliverable
      // is this notice applied before (a retry), whose consequences below are each done once.
      if (email.status !== 'SENT' && email.status !== 'UNDELIVERABLE') return 'UNCHANGED';
      if (email.status === 'SENT') {
        // The server's words, with the status code in front unless they already carry it.
        const words =
          notice.diagnostic && notice.status && !notice.diagnostic.includes(notice.status)
            ? `${notice.status} ${notice.diagnostic}`
            : notice.diagnostic;
        const relay = words ?? notice.status ?? 'Mottagarens e-postserver avvisade adressen.';
        await markUndeliverable(db, { ...email, promiseId: email.promiseId ?? undefined }, relay);
      }
      if (!email.promiseId) return 'UNDELIVERABLE';
      const link = await linkOfEmail(db, email.idempotencyKey);
      if (link?.signingRequestId) {
        const request = await loadSigningRequest(db, link.signingRequestId);
        const stillWaiting = request.status === 'PENDING' || request.status === 'UNDELIVERABLE';
        if (request.round.status === 'OPEN' && stillWaiting && sameAddress(request.signatory.email, email.recipient))
          await signingRequestUndeliverable(deps, request);
      } else if (link?.occurrenceId) {
        const occurrence = await occurrenceToRemind(db, link.occurrenceId);
        const contact = occurrence.commitment.contacts.find((c) => sameAddress(c.email, email.recipient));
        if (contact) await reminderUndeliverable(deps, { promiseId: email.promiseId, contact, commitmentText: occurrence.commitment.text });
      } else {
        await tellCoordinatorOfUndeliverable(deps, {
          promiseId: email.promiseId,
          address: email.recipient,
          who: email.recipient,
          effect: 'Ett meddelande om löftet nådde inte fram. Inget annat i löftet påverkas.',
        });
      }
      return 'UNDELIVERABLE';
    },
  };
}
